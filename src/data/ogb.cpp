// Reader for OGB's graph-property raw CSV format (ogb.h). Counts read from
// num-node-list / num-edge-list are trusted only after they have been checked
// against the row counts of the tables they describe, so a bad count ends in
// an error naming both files instead of a huge allocation or a read past the
// end of a table.
#include "data/ogb.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <system_error>

#include "core/error.h"
#include "data/csv.h"
#include "data/text_table.h"

namespace gt {

namespace {

namespace fs = std::filesystem;

constexpr int64_t kMaxInt32 = std::numeric_limits<int32_t>::max();

// OGB's get_atom_feature_dims() / get_bond_feature_dims() (ogb/utils/features.py).
const std::vector<int32_t> kAtomVocab = {119, 5, 12, 12, 10, 6, 6, 2, 2};
const std::vector<std::string> kAtomNames = {
    "atomic_num", "chirality", "degree", "formal_charge", "num_hs",
    "num_radical_electrons", "hybridization", "is_aromatic", "is_in_ring"};
const std::vector<int32_t> kBondVocab = {5, 6, 2};
const std::vector<std::string> kBondNames = {"bond_type", "bond_stereo", "is_conjugated"};

// What master.csv says about one data set (defaults: no column for it).
struct Meta {
  bool found = false;
  bool molecule = false;
  bool add_inverse_edge = true;
  bool has_node_attr = true, has_edge_attr = true;
  int64_t num_tasks = 0;  // 0: as many as graph-label's first row holds
  bool task_known = false;
  TaskType task = TaskType::Regression;
  int64_t num_classes = 0;
  std::string metric, split;
};

// One feature table (node-feat or edge-feat) split into categorical and
// continuous columns, rows in file order.
struct Features {
  FeatureColumns cols;
  std::vector<int32_t> slot;         // per file column: categorical index c, or -1 - continuous index
  std::vector<std::string> labels;   // per file column, for error messages: "3 (degree)"
  std::vector<int32_t> cat;          // [rows * categorical]
  std::vector<float> cont;           // [rows * continuous]
};

std::string str(int64_t v) { return std::to_string(v); }

bool exists(const std::string& path) {
  std::error_code ec;  // an unreadable parent reads as "missing", never as a throw
  return fs::exists(path, ec);
}

// OGB names every table X.csv.gz; a plain X.csv is taken when only it exists.
std::string table_path(const std::string& base) {
  return exists(base + ".gz") || !exists(base) ? base + ".gz" : base;
}

const std::string& require(const std::string& path) {
  if (!exists(path)) fail(path + ": missing file (required by the OGB raw format)");
  return path;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool parse_bool(const std::string& value, const std::string& where, const std::string& key) {
  const std::string v = lower(value);
  if (v == "true") return true;
  if (v == "false") return false;
  fail(where + "field \"" + key + "\": " + quote_field(value) + " is not True or False");
}

void apply_meta(Meta* m, const std::string& key, const std::string& value, const std::string& where) {
  if (key == "num tasks") {
    m->num_tasks = parse_int(value, where, key);
    if (m->num_tasks < 1 || m->num_tasks > 1000000)
      fail(where + "field \"num tasks\": " + str(m->num_tasks) + " is not in 1..1000000");
  } else if (key == "num classes") {
    m->num_classes = parse_int(value, where, key);
  } else if (key == "eval metric") {
    m->metric = value;
  } else if (key == "split") {
    m->split = value;
  } else if (key == "data type") {
    m->molecule = value == "mol";
  } else if (key == "add_inverse_edge") {
    m->add_inverse_edge = parse_bool(value, where, key);
  } else if (key == "has_node_attr" && !value.empty()) {
    m->has_node_attr = parse_bool(value, where, key);
  } else if (key == "has_edge_attr" && !value.empty()) {
    m->has_edge_attr = parse_bool(value, where, key);
  } else if (key == "binary" && !value.empty() && parse_bool(value, where, key)) {
    fail(where + "field \"binary\": the data set ships its raw data as binary .npz files, "
                 "which gt does not read (only the CSV raw format)");
  } else if (key == "task type") {
    m->task_known = true;
    if (value == "binary classification") m->task = TaskType::Binary;
    else if (value == "regression") m->task = TaskType::Regression;
    else if (value == "multiclass classification") m->task = TaskType::MultiClass;
    else
      fail(where + "field \"task type\": " + quote_field(value) +
           " is not supported (binary classification, regression, multiclass classification)");
  }
}

// The column of master.csv named like the data set; meta.found = false (and
// defaults) when the file or the column is absent.
Meta read_master(const std::string& path, const std::string& name) {
  Meta meta;
  meta.molecule = name.rfind("ogbg-mol", 0) == 0;
  if (!exists(path)) return meta;
  // pandas writes it: quoted fields may hold commas (ogbg-code2's file lists).
  const CsvTable table = read_csv(path);
  const int32_t col = table.find_column(name);
  if (col <= 0) return meta;  // column 0 holds the row names
  meta.found = true;
  for (int64_t r = 0; r < table.num_rows(); ++r)
    apply_meta(&meta, std::string(table.field(r, 0)), std::string(table.field(r, col)),
               location(path, table.line(r)));
  const bool multiclass = meta.task_known && meta.task == TaskType::MultiClass;
  if (multiclass && (meta.num_classes < 2 || meta.num_classes > kMaxInt32))
    fail(path + ": column \"" + name + "\": multiclass classification needs \"num classes\" >= 2, found " +
         str(meta.num_classes));
  return meta;
}

int64_t count_rows(const std::string& text) {
  LineReader lines(text);
  std::string_view line;
  while (lines.next(&line)) {
  }
  return lines.line_number();
}

void expect_columns(const std::vector<std::string_view>& f, size_t n, const std::string& path, int64_t line) {
  if (f.size() != n)
    fail(location(path, line) + "expected " + str(static_cast<int64_t>(n)) + " comma-separated field" +
         (n == 1 ? "" : "s") + ", found " + str(static_cast<int64_t>(f.size())));
}

bool try_int(std::string_view s, int64_t* v) {
  const char* last = s.data() + s.size();
  const auto r = std::from_chars(s.data(), last, *v);
  return !s.empty() && r.ec == std::errc() && r.ptr == last;
}

// The fast paths skip building the error location for the millions of good
// fields of a large table; the slow parse builds it and throws.
int64_t int_field(std::string_view s, const std::string& path, int64_t line, const std::string& name) {
  int64_t v = 0;
  if (try_int(s, &v)) return v;
  return parse_int(s, location(path, line), name);
}

float float_field(std::string_view s, const std::string& path, int64_t line, const std::string& name) {
  double v = 0.0;
  const char* last = s.data() + s.size();
  const auto r = std::from_chars(s.data(), last, v);
  if (s.empty() || r.ec != std::errc() || r.ptr != last || !std::isfinite(v))
    v = parse_finite_double(s, location(path, line), name);
  const float f = static_cast<float>(v);
  if (!std::isfinite(f))
    fail(location(path, line) + "field \"" + name + "\": " + quote_field(s) + " does not fit a 32-bit float");
  return f;
}

// num-node-list / num-edge-list: one count per graph.
std::vector<int32_t> read_counts(const std::string& path, const char* what, bool nodes) {
  const std::string text = read_file_bytes(path);
  LineReader lines(text);
  std::string_view line;
  std::vector<std::string_view> f;
  std::vector<int32_t> counts;
  while (lines.next(&line)) {
    split_fields(line, ',', &f);
    expect_columns(f, 1, path, lines.line_number());
    const int64_t v = int_field(f[0], path, lines.line_number(), what);
    if (v < 0 || v > kMaxInt32)
      fail(location(path, lines.line_number()) + "field \"" + what + "\": " + str(v) +
           (v < 0 ? " is negative" : " is too large"));
    if (v == 0 && nodes)
      fail(location(path, lines.line_number()) + "graph " + str(static_cast<int64_t>(counts.size())) +
           " has 0 nodes (empty graphs are not allowed)");
    counts.push_back(static_cast<int32_t>(v));
  }
  if (counts.empty()) fail(path + ": no graphs (the file is empty)");
  return counts;
}

// Non-molecule tables: a column whose values are all non-negative integers is
// categorical (vocab = max + 1); any other column is continuous.
void classify_columns(const std::string& path, const std::string& text, Features* out) {
  LineReader lines(text);
  std::string_view line;
  std::vector<std::string_view> f;
  std::vector<int64_t> max;
  std::vector<char> integral;
  while (lines.next(&line)) {
    split_fields(line, ',', &f);
    if (lines.line_number() == 1) {
      max.assign(f.size(), 0);
      integral.assign(f.size(), 1);
    }
    expect_columns(f, max.size(), path, lines.line_number());
    for (size_t c = 0; c < f.size(); ++c) {
      int64_t v = 0;
      if (integral[c] && try_int(f[c], &v) && v >= 0 && v < kMaxInt32) {
        max[c] = std::max(max[c], v);
        continue;
      }
      integral[c] = 0;
      float_field(f[c], path, lines.line_number(), str(static_cast<int64_t>(c + 1)));  // validates
    }
  }
  for (size_t c = 0; c < max.size(); ++c) {
    out->labels.push_back(str(static_cast<int64_t>(c + 1)));
    if (integral[c]) {
      out->slot.push_back(out->cols.categorical());
      out->cols.vocab.push_back(static_cast<int32_t>(max[c] + 1));
      out->cols.names.push_back("column_" + str(static_cast<int64_t>(c + 1)));
    } else {
      out->slot.push_back(-1 - out->cols.continuous++);
    }
  }
}

void fill_features(const std::string& path, const std::string& text, int64_t rows, Features* out) {
  const size_t ncat = static_cast<size_t>(out->cols.categorical());
  const size_t ncont = static_cast<size_t>(out->cols.continuous);
  out->cat.resize(static_cast<size_t>(rows) * ncat);
  out->cont.resize(static_cast<size_t>(rows) * ncont);
  LineReader lines(text);
  std::string_view line;
  std::vector<std::string_view> f;
  while (lines.next(&line)) {
    const int64_t n = lines.line_number();
    const size_t row = static_cast<size_t>(n - 1);
    split_fields(line, ',', &f);
    expect_columns(f, out->slot.size(), path, n);
    for (size_t c = 0; c < f.size(); ++c) {
      const int32_t slot = out->slot[c];
      if (slot < 0) {
        out->cont[row * ncont + static_cast<size_t>(-1 - slot)] = float_field(f[c], path, n, out->labels[c]);
        continue;
      }
      const int64_t v = int_field(f[c], path, n, out->labels[c]);
      const int32_t vocab = out->cols.vocab[static_cast<size_t>(slot)];
      if (v < 0 || v >= vocab)
        fail(location(path, n) + "field \"" + out->labels[c] + "\": " + str(v) +
             " is outside the vocabulary [0, " + str(vocab) + ")");
      out->cat[row * ncat + static_cast<size_t>(slot)] = static_cast<int32_t>(v);
    }
  }
}

// node-feat / edge-feat. `vocab` and `names` fix the columns (molecule sets);
// null: inferred from the values. `counted` says where the expected row count
// came from, for the mismatch message.
Features read_features(const std::string& path, int64_t expected_rows, const std::string& counted,
                       const std::vector<int32_t>* vocab, const std::vector<std::string>* names) {
  const std::string text = read_file_bytes(path);
  const int64_t rows = count_rows(text);
  if (rows != expected_rows) fail(path + " has " + str(rows) + " rows but " + counted);
  Features out;
  if (vocab) {
    out.cols.vocab = *vocab;
    out.cols.names = *names;
    for (size_t c = 0; c < vocab->size(); ++c) {
      out.slot.push_back(static_cast<int32_t>(c));
      out.labels.push_back(str(static_cast<int64_t>(c + 1)) + " (" + (*names)[c] + ")");
    }
  } else {
    classify_columns(path, text, &out);
  }
  fill_features(path, text, rows, &out);
  return out;
}

// edge.csv: the rows of graph g follow those of graph g-1; ids are local to g.
void read_edges(const std::string& path, const std::vector<int32_t>& nodes, const std::vector<int32_t>& edges,
                int64_t expected_rows, const std::string& counted, std::vector<int32_t>* src,
                std::vector<int32_t>* dst) {
  const std::string text = read_file_bytes(path);
  const int64_t rows = count_rows(text);
  if (rows != expected_rows) fail(path + " has " + str(rows) + " rows but " + counted);
  src->resize(static_cast<size_t>(rows));
  dst->resize(static_cast<size_t>(rows));
  LineReader lines(text);
  std::string_view line;
  std::vector<std::string_view> f;
  size_t g = 0;
  int64_t left = edges[0];
  static const char* const kNames[2] = {"src", "dst"};
  while (lines.next(&line)) {
    while (left == 0) left = edges[++g];  // rows == sum of edges: some graph still has rows
    const int64_t n = lines.line_number();
    split_fields(line, ',', &f);
    expect_columns(f, 2, path, n);
    for (int k = 0; k < 2; ++k) {
      const int64_t v = int_field(f[static_cast<size_t>(k)], path, n, kNames[k]);
      if (v < 0 || v >= nodes[g])
        fail(location(path, n) + "field \"" + kNames[k] + "\": node " + str(v) + " is out of range for graph " +
             str(static_cast<int64_t>(g)) + ", which has " + str(nodes[g]) + " nodes (local ids 0.." +
             str(nodes[g] - 1) + ")");
      (k == 0 ? *src : *dst)[static_cast<size_t>(n - 1)] = static_cast<int32_t>(v);
    }
    --left;
  }
}

bool is_missing(std::string_view s) {
  return s.empty() || lower(std::string(s)) == "nan";
}

// Checks a label against the task master.csv declares.
void check_label(const Meta& meta, float y, std::string_view s, const std::string& path, int64_t line,
                 const std::string& name) {
  if (!meta.task_known || meta.task == TaskType::Regression) return;
  if (meta.task == TaskType::Binary && (std::isnan(y) || y == 0.0f || y == 1.0f)) return;
  if (meta.task == TaskType::MultiClass && !std::isnan(y) && y >= 0.0f && y == std::floor(y) &&
      y < static_cast<float>(meta.num_classes))
    return;
  const std::string want = meta.task == TaskType::Binary
                               ? "0, 1 or missing (binary classification)"
                               : "a class index 0.." + str(meta.num_classes - 1) + " (multiclass classification)";
  fail(location(path, line) + "field \"" + name + "\": " + quote_field(s) + " is not " + want);
}

// graph-label: one row per graph, one field per task; "" or "nan" = missing.
std::vector<float> read_labels(const std::string& path, size_t graphs, const std::string& node_list,
                               const Meta& meta, int64_t* tasks) {
  const std::string text = read_file_bytes(path);
  const int64_t rows = count_rows(text);
  if (rows != static_cast<int64_t>(graphs))
    fail(path + " has " + str(rows) + " rows but " + node_list + " has " + str(static_cast<int64_t>(graphs)) +
         " (one row per graph in both)");
  LineReader lines(text);
  std::string_view line;
  std::vector<std::string_view> f;
  std::vector<float> y;
  std::vector<std::string> names;  // "task <k>", for error messages
  *tasks = meta.num_tasks;
  while (lines.next(&line)) {
    const int64_t n = lines.line_number();
    split_fields(line, ',', &f);
    if (*tasks == 0) *tasks = static_cast<int64_t>(f.size());
    expect_columns(f, static_cast<size_t>(*tasks), path, n);
    if (meta.task == TaskType::MultiClass && *tasks != 1)
      fail(path + ": multiclass classification needs one label column, found " + str(*tasks));
    while (names.size() < f.size()) names.push_back("task " + str(static_cast<int64_t>(names.size() + 1)));
    for (size_t t = 0; t < f.size(); ++t) {
      const float v =
          is_missing(f[t]) ? std::numeric_limits<float>::quiet_NaN() : float_field(f[t], path, n, names[t]);
      check_label(meta, v, f[t], path, n, names[t]);
      y.push_back(v);
    }
  }
  return y;
}

// Master.csv's task, or Binary when every label is 0, 1 or missing.
void set_task(const Meta& meta, const std::vector<float>& y, SourceDataset* d) {
  d->eval_metric = meta.metric;
  if (meta.task_known) {
    d->task = meta.task;
    if (d->task == TaskType::MultiClass) d->num_classes = static_cast<int32_t>(meta.num_classes);
    return;
  }
  const bool binary =
      std::all_of(y.begin(), y.end(), [](float v) { return std::isnan(v) || v == 0.0f || v == 1.0f; });
  d->task = binary ? TaskType::Binary : TaskType::Regression;
}

// Task names from mapping/mol.csv's header "<task columns>,smiles,mol_id";
// task_<k> when there is no mapping file or its header does not fit.
std::vector<std::string> task_names(const std::string& dir, int64_t tasks) {
  std::vector<std::string> names;
  for (int64_t t = 0; t < tasks; ++t) names.push_back("task_" + str(t + 1));
  const std::string path = table_path(dir + "/mapping/mol.csv");
  if (!exists(path)) return names;
  // Only the header is needed: parse the first line alone.
  const std::string text = read_file_bytes(path);
  const std::vector<std::string> header = parse_csv(path, text.substr(0, text.find('\n'))).columns;
  if (static_cast<int64_t>(header.size()) == tasks + 2 && header[header.size() - 2] == "smiles")
    names.assign(header.begin(), header.begin() + tasks);
  return names;
}

template <class T>
void append_rows(const std::vector<T>& from, int64_t row, int64_t rows, size_t width, std::vector<T>* to) {
  const auto first = from.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(row) * width);
  to->insert(to->end(), first, first + static_cast<std::ptrdiff_t>(static_cast<size_t>(rows) * width));
}

// Everything read from raw/, checked against each other.
struct RawTables {
  std::vector<int32_t> nodes, edges;  // per graph
  Features node, edge;
  std::vector<int32_t> src, dst;      // per edge row
  std::vector<float> y;               // [graphs * tasks]
  int64_t tasks = 0;
};

// One bond becomes (u,v),(v,u) with its features repeated when add_inverse_edge
// is set, as OGB's read_csv_graph_raw does.
void build_graphs(const RawTables& t, bool inverse, SourceDataset* d) {
  const size_t ncat = static_cast<size_t>(t.node.cols.categorical());
  const size_t ncont = static_cast<size_t>(t.node.cols.continuous);
  const size_t ecat = static_cast<size_t>(t.edge.cols.categorical());
  const size_t econt = static_cast<size_t>(t.edge.cols.continuous);
  int64_t node_row = 0, edge_row = 0;
  d->graphs.resize(t.nodes.size());
  for (size_t g = 0; g < t.nodes.size(); ++g) {
    SourceGraph& s = d->graphs[g];
    const int64_t n = t.nodes[g], m = t.edges[g];
    if (m * (inverse ? 2 : 1) > kMaxInt32)
      fail(d->path + ": graph " + str(static_cast<int64_t>(g)) + " has too many edges");
    s.id = str(static_cast<int64_t>(g));
    s.num_nodes = static_cast<int32_t>(n);
    append_rows(t.node.cat, node_row, n, ncat, &s.node_cat);
    append_rows(t.node.cont, node_row, n, ncont, &s.node_cont);
    for (int64_t e = edge_row; e < edge_row + m; ++e) {
      const size_t r = static_cast<size_t>(e);
      for (int copy = 0; copy < (inverse ? 2 : 1); ++copy) {
        s.src.push_back(copy ? t.dst[r] : t.src[r]);
        s.dst.push_back(copy ? t.src[r] : t.dst[r]);
        append_rows(t.edge.cat, e, 1, ecat, &s.edge_cat);
        append_rows(t.edge.cont, e, 1, econt, &s.edge_cont);
      }
    }
    append_rows(t.y, static_cast<int64_t>(g), 1, static_cast<size_t>(t.tasks), &s.y);
    node_row += n;
    edge_row += m;
  }
}

// A feature table, or no columns when master.csv says the data set has none.
Features read_optional_features(const std::string& base, bool required, int64_t rows, const std::string& counted,
                                bool molecule, bool nodes) {
  const std::string path = table_path(base);
  if (!exists(path) && !required) return Features();
  require(path);
  if (!molecule) return read_features(path, rows, counted, nullptr, nullptr);
  return nodes ? read_features(path, rows, counted, &kAtomVocab, &kAtomNames)
               : read_features(path, rows, counted, &kBondVocab, &kBondNames);
}

RawTables read_raw(const std::string& raw, const Meta& meta) {
  RawTables t;
  const std::string node_list = require(table_path(raw + "num-node-list.csv"));
  const std::string edge_list = require(table_path(raw + "num-edge-list.csv"));
  t.nodes = read_counts(node_list, "nodes", true);
  t.edges = read_counts(edge_list, "edges", false);
  if (t.edges.size() != t.nodes.size())
    fail(edge_list + " has " + str(static_cast<int64_t>(t.edges.size())) + " rows but " + node_list + " has " +
         str(static_cast<int64_t>(t.nodes.size())) + " (one row per graph in both)");
  int64_t total_nodes = 0, total_edges = 0;
  for (size_t g = 0; g < t.nodes.size(); ++g) {
    total_nodes += t.nodes[g];
    total_edges += t.edges[g];
  }
  const std::string nodes_counted = node_list + " sums to " + str(total_nodes) + " nodes";
  const std::string edges_counted = edge_list + " sums to " + str(total_edges) + " edges";
  t.node = read_optional_features(raw + "node-feat.csv", meta.has_node_attr, total_nodes, nodes_counted,
                                  meta.molecule, true);
  t.edge = read_optional_features(raw + "edge-feat.csv", meta.has_edge_attr, total_edges, edges_counted,
                                  meta.molecule, false);
  read_edges(require(table_path(raw + "edge.csv")), t.nodes, t.edges, total_edges, edges_counted, &t.src, &t.dst);
  t.y = read_labels(require(table_path(raw + "graph-label.csv")), t.nodes.size(), node_list, meta, &t.tasks);
  return t;
}

// One split file; `owner` records which file already listed each graph.
std::vector<int32_t> read_split(const std::string& path, const char* file, std::vector<const char*>* owner) {
  const std::string text = read_file_bytes(path);
  LineReader lines(text);
  std::string_view line;
  std::vector<std::string_view> f;
  std::vector<int32_t> out;
  const int64_t graphs = static_cast<int64_t>(owner->size());
  while (lines.next(&line)) {
    const int64_t n = lines.line_number();
    split_fields(line, ',', &f);
    expect_columns(f, 1, path, n);
    const int64_t v = int_field(f[0], path, n, "graph index");
    if (v < 0 || v >= graphs)
      fail(location(path, n) + "graph index " + str(v) + " is out of range (the data set has " + str(graphs) +
           " graphs, 0.." + str(graphs - 1) + ")");
    const char*& seen = (*owner)[static_cast<size_t>(v)];
    if (seen) fail(location(path, n) + "graph " + str(v) + " is listed twice (already in " + seen + ")");
    seen = file;
    out.push_back(static_cast<int32_t>(v));
  }
  return out;
}

void read_splits(const std::string& dir, const std::string& split, SourceDataset* d) {
  const std::string folder = dir + "/split/" + split;
  if (!exists(folder)) {
    std::string available;
    std::error_code ec;
    for (fs::directory_iterator it(dir + "/split", ec), end; !ec && it != end; it.increment(ec))
      available += (available.empty() ? "" : ", ") + it->path().filename().string();
    fail(folder + ": missing split folder (available: " + (available.empty() ? "none" : available) + ")");
  }
  std::vector<const char*> owner(d->graphs.size(), nullptr);
  d->train = read_split(require(table_path(folder + "/train.csv")), "train", &owner);
  d->val = read_split(require(table_path(folder + "/valid.csv")), "valid", &owner);
  d->test = read_split(require(table_path(folder + "/test.csv")), "test", &owner);
}

}  // namespace

SourceDataset read_ogb_graphprop(const std::string& dir_in, const std::string& split) {
  std::string dir = dir_in;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::error_code ec;
  fs::path folder = fs::absolute(dir, ec).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "x/." normalises to "x/"
  if (!fs::is_directory(folder, ec)) fail(dir + ": not a directory (expected an OGB data set folder)");

  SourceDataset d;
  d.name = folder.filename().string();
  std::replace(d.name.begin(), d.name.end(), '_', '-');
  d.path = dir;
  const Meta meta = read_master((folder.parent_path() / "master.csv").string(), d.name);
  const RawTables t = read_raw(dir + "/raw/", meta);
  d.node = t.node.cols;
  d.edge = t.edge.cols;
  build_graphs(t, meta.add_inverse_edge, &d);
  set_task(meta, t.y, &d);
  d.task_names = task_names(dir, t.tasks);
  read_splits(dir, split.empty() ? (meta.split.empty() ? "scaffold" : meta.split) : split, &d);
  return d;
}

}  // namespace gt
