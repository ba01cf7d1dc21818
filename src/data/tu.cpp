#include "data/tu.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string_view>

#include "core/error.h"
#include "core/rng.h"
#include "data/text_table.h"

namespace fs = std::filesystem;

namespace gt {
namespace {

// TU files pad values with spaces (ENZYMES: " 11.000000, 15.887014") and
// separate them with ", ", so every field is trimmed before strict parsing.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The folder's basename; "." and trailing slashes resolve to the real folder.
std::string default_name(const std::string& dir) {
  fs::path p = fs::absolute(fs::path(dir)).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  const std::string base = p.filename().string();
  if (base.empty() || base == "." || base == "..")
    fail(dir + ": cannot infer the TU data set name from the folder; pass it explicitly");
  return base;
}

// dir/name_suffix.txt, or its .gz twin; "" when neither exists.
std::string find_tu_file(const std::string& dir, const std::string& name, const std::string& suffix) {
  const fs::path plain = fs::path(dir) / (name + "_" + suffix + ".txt");
  std::error_code ec;
  if (fs::exists(plain, ec)) return plain.string();
  const fs::path gz = fs::path(plain.string() + ".gz");
  if (fs::exists(gz, ec)) return gz.string();
  return "";
}

std::string require_tu_file(const std::string& dir, const std::string& name, const std::string& suffix) {
  const std::string path = find_tu_file(dir, name, suffix);
  if (path.empty())
    fail((fs::path(dir) / (name + "_" + suffix + ".txt")).string() +
         ": required TU file not found (a TU data set needs " + name + "_A.txt, " + name +
         "_graph_indicator.txt and " + name + "_graph_labels.txt)");
  return path;
}

// A comma-separated table: one row per line, the same number of values on
// every line. Row r is line r + 1 (TU files have no header).
template <typename T>
struct Table {
  std::string path;
  int64_t rows = 0;
  int32_t cols = 0;
  std::vector<T> values;  // [rows * cols]
  T at(int64_t r, int32_t c) const { return values[static_cast<size_t>(r) * cols + c]; }
};

// `what` names a value in errors ("node label"); with several columns the
// field is "<what> <column>" (1-based, as the line shows it).
template <typename T, typename Parse>
Table<T> read_table(const std::string& path, const std::string& what, Parse parse) {
  Table<T> table;
  table.path = path;
  const std::string text = read_file_bytes(path);
  LineReader reader(text);
  std::string_view line;
  std::vector<std::string_view> fields;
  while (reader.next(&line)) {
    split_fields(line, ',', &fields);
    const std::string where = location(path, reader.line_number());
    if (table.rows == 0) {
      table.cols = static_cast<int32_t>(fields.size());
    } else if (static_cast<int32_t>(fields.size()) != table.cols) {
      fail(where + "has " + std::to_string(fields.size()) + " comma-separated values, but line 1 has " +
           std::to_string(table.cols) + " (every line needs the same number)");
    }
    for (size_t c = 0; c < fields.size(); ++c) {
      const std::string field = table.cols == 1 ? what : what + " " + std::to_string(c + 1);
      table.values.push_back(parse(trim(fields[c]), where, field));
    }
    ++table.rows;
  }
  return table;
}

Table<int64_t> read_int_table(const std::string& path, const std::string& what) {
  return read_table<int64_t>(path, what, [](std::string_view f, const std::string& where, const std::string& name) {
    return parse_int(f, where, name);
  });
}

Table<float> read_float_table(const std::string& path, const std::string& what) {
  return read_table<float>(path, what, [](std::string_view f, const std::string& where, const std::string& name) {
    const double v = parse_finite_double(f, where, name);
    // A finite double can still overflow float (1e300); that is not a usable feature.
    if (std::fabs(v) > std::numeric_limits<float>::max())
      fail(where + "field \"" + name + "\": " + quote_field(f) + " is out of range for a float");
    return static_cast<float>(v);
  });
}

void require_one_column(const Table<int64_t>& t, const std::string& what) {
  if (t.rows > 0 && t.cols != 1)
    fail(location(t.path, 1) + "has " + std::to_string(t.cols) + " comma-separated values, expected one " + what);
}

// Optional per-node / per-edge files must have one line per node / edge.
template <typename T>
void require_rows(const Table<T>& t, int64_t expected, const std::string& ref_path, const std::string& unit) {
  if (t.rows != expected)
    fail(t.path + ": " + std::to_string(t.rows) + " lines, but " + ref_path + " has " + std::to_string(expected) +
         " (both need one line per " + unit + ")");
}

// Column c's values remapped by their sorted distinct values to 0..K-1
// (labels in TU files are arbitrary integers: -1/1, 1..6, sparse codes).
std::vector<int32_t> remap_column(const Table<int64_t>& t, int32_t c, std::vector<int64_t>* distinct) {
  distinct->clear();
  for (int64_t r = 0; r < t.rows; ++r) distinct->push_back(t.at(r, c));
  std::sort(distinct->begin(), distinct->end());
  distinct->erase(std::unique(distinct->begin(), distinct->end()), distinct->end());
  std::vector<int32_t> index(static_cast<size_t>(t.rows));
  for (int64_t r = 0; r < t.rows; ++r)
    index[r] = static_cast<int32_t>(std::lower_bound(distinct->begin(), distinct->end(), t.at(r, c)) -
                                    distinct->begin());
  return index;
}

// Checks graph_indicator (non-decreasing from 1, no gaps, so every graph has
// a node) and returns each graph's first node: offsets[g] .. offsets[g+1]-1
// are graph g's 0-based global node ids.
std::vector<int64_t> graph_offsets(const Table<int64_t>& indicator) {
  const std::string& path = indicator.path;
  if (indicator.rows == 0) fail(path + ": no nodes (the file is empty)");
  if (indicator.rows > std::numeric_limits<int32_t>::max())
    fail(path + ": " + std::to_string(indicator.rows) + " nodes, more than gt supports");
  std::vector<int64_t> offsets{0};
  int64_t prev = 0;
  for (int64_t r = 0; r < indicator.rows; ++r) {
    const int64_t g = indicator.at(r, 0);
    const std::string where = location(path, r + 1) + "field \"graph id\": ";
    if (r == 0 && g != 1)
      fail(where + "the first node's graph id is " + std::to_string(g) + ", expected 1 (graph ids are 1..N)");
    if (g < prev)
      fail(where + "graph id " + std::to_string(g) + " after " + std::to_string(prev) +
           ": graph ids must be non-decreasing (nodes are listed graph by graph)");
    if (g > prev + 1)
      fail(where + "graph id " + std::to_string(g) + " after " + std::to_string(prev) + ": graph " +
           std::to_string(prev + 1) + " has no nodes (graph ids must have no gaps)");
    if (g == prev + 1) {
      if (r > 0) offsets.push_back(r);
      prev = g;
    }
  }
  offsets.push_back(indicator.rows);
  return offsets;
}

// Graph labels -> class indices; fills y, task and num_classes.
void read_graph_labels(const std::string& path, const std::string& indicator_path, SourceDataset* d) {
  const Table<int64_t> labels = read_int_table(path, "graph label");
  require_one_column(labels, "graph label");
  const int64_t num_graphs = static_cast<int64_t>(d->graphs.size());
  if (labels.rows != num_graphs)
    fail(path + ": " + std::to_string(labels.rows) + " lines, but " + indicator_path + " names " +
         std::to_string(num_graphs) + " graphs (graph_labels needs one line per graph)");
  std::vector<int64_t> distinct;
  const std::vector<int32_t> cls = remap_column(labels, 0, &distinct);
  for (int64_t g = 0; g < num_graphs; ++g) d->graphs[g].y = {static_cast<float>(cls[g])};
  d->task = TaskType::MultiClass;
  d->task_names = {"class"};
  d->num_classes = static_cast<int32_t>(distinct.size());
  d->class_values = distinct;
}

// Label columns (remapped) and attribute columns of nodes or edges. `owner`
// maps a row (node or edge) to its graph; rows of a graph are consecutive in
// the graph's own order, so appending row by row lines them up.
void add_categorical(const Table<int64_t>& t, const std::string& base, const std::vector<int32_t>& owner,
                     FeatureColumns* cols, std::vector<int32_t> SourceGraph::*field, SourceDataset* d) {
  if (t.rows == 0) return;
  std::vector<std::vector<int32_t>> remapped(t.cols);
  std::vector<int64_t> distinct;
  for (int32_t c = 0; c < t.cols; ++c) {
    remapped[c] = remap_column(t, c, &distinct);
    cols->names.push_back(t.cols == 1 ? base : base + "_" + std::to_string(c));
    cols->vocab.push_back(static_cast<int32_t>(distinct.size()));
    cols->values.push_back(distinct);
  }
  for (int64_t r = 0; r < t.rows; ++r)
    for (int32_t c = 0; c < t.cols; ++c) (d->graphs[owner[r]].*field).push_back(remapped[c][r]);
}

void add_continuous(const Table<float>& t, const std::vector<int32_t>& owner, FeatureColumns* cols,
                    std::vector<float> SourceGraph::*field, SourceDataset* d) {
  if (t.rows == 0) return;
  cols->continuous = t.cols;
  for (int64_t r = 0; r < t.rows; ++r)
    for (int32_t c = 0; c < t.cols; ++c) (d->graphs[owner[r]].*field).push_back(t.at(r, c));
}

// One "row, col" node id of A.txt, 1-based, checked against the node count.
int64_t parse_node_id(std::string_view field, const std::string& where, const char* name, int64_t num_nodes,
                      const std::string& indicator_path) {
  const int64_t id = parse_int(trim(field), where, name);
  if (id < 1 || id > num_nodes)
    fail(where + "field \"" + name + "\": node id " + std::to_string(id) + " is out of range (" + indicator_path +
         " has " + std::to_string(num_nodes) + " nodes, ids 1.." + std::to_string(num_nodes) + ")");
  return id;
}

// Reads A.txt into the graphs (graph-local ids) and returns each line's graph.
std::vector<int32_t> read_edges(const std::string& path, const std::string& indicator_path,
                                const std::vector<int32_t>& node_graph, const std::vector<int64_t>& offsets,
                                SourceDataset* d) {
  const std::string text = read_file_bytes(path);
  const int64_t n = static_cast<int64_t>(node_graph.size());
  LineReader reader(text);
  std::string_view line;
  std::vector<std::string_view> fields;
  std::vector<int32_t> edge_graph;
  while (reader.next(&line)) {
    const std::string where = location(path, reader.line_number());
    split_fields(line, ',', &fields);
    if (fields.size() != 2)
      fail(where + "expected \"row, col\" (two node ids separated by a comma), got " + quote_field(line));
    const int64_t u = parse_node_id(fields[0], where, "row", n, indicator_path) - 1;
    const int64_t v = parse_node_id(fields[1], where, "col", n, indicator_path) - 1;
    const int32_t g = node_graph[u];
    if (node_graph[v] != g)
      fail(where + "edge " + std::to_string(u + 1) + ", " + std::to_string(v + 1) + " joins graph " +
           std::to_string(g + 1) + " and graph " + std::to_string(node_graph[v] + 1) + " (per " + indicator_path +
           "); an edge must stay within one graph");
    d->graphs[g].src.push_back(static_cast<int32_t>(u - offsets[g]));
    d->graphs[g].dst.push_back(static_cast<int32_t>(v - offsets[g]));
    edge_graph.push_back(g);
  }
  return edge_graph;
}

// The optional per-node and per-edge files.
void read_features(const std::string& dir, const std::string& name, const std::string& indicator_path,
                   const std::string& a_path, const std::vector<int32_t>& node_graph,
                   const std::vector<int32_t>& edge_graph, SourceDataset* d) {
  const int64_t n = static_cast<int64_t>(node_graph.size());
  const int64_t m = static_cast<int64_t>(edge_graph.size());
  std::string path = find_tu_file(dir, name, "node_labels");
  if (!path.empty()) {
    const Table<int64_t> t = read_int_table(path, "node label");
    require_rows(t, n, indicator_path, "node");
    add_categorical(t, "node_label", node_graph, &d->node, &SourceGraph::node_cat, d);
  }
  path = find_tu_file(dir, name, "edge_labels");
  if (!path.empty()) {
    const Table<int64_t> t = read_int_table(path, "edge label");
    require_rows(t, m, a_path, "edge");
    add_categorical(t, "edge_label", edge_graph, &d->edge, &SourceGraph::edge_cat, d);
  }
  path = find_tu_file(dir, name, "node_attributes");
  if (!path.empty()) {
    const Table<float> t = read_float_table(path, "node attribute");
    require_rows(t, n, indicator_path, "node");
    add_continuous(t, node_graph, &d->node, &SourceGraph::node_cont, d);
  }
  path = find_tu_file(dir, name, "edge_attributes");
  if (!path.empty()) {
    const Table<float> t = read_float_table(path, "edge attribute");
    require_rows(t, m, a_path, "edge");
    add_continuous(t, edge_graph, &d->edge, &SourceGraph::edge_cont, d);
  }
  // DS_graph_attributes.txt is deliberately not read: in the TU collection it
  // holds regression targets (or per-graph features) of a few data sets, and
  // this reader produces the classification task of graph_labels.
}

}  // namespace

SourceDataset read_tu(const std::string& dir, const std::string& name_arg) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) fail(dir + ": TU data set folder not found");
  const std::string name = name_arg.empty() ? default_name(dir) : name_arg;
  const std::string a_path = require_tu_file(dir, name, "A");
  const std::string indicator_path = require_tu_file(dir, name, "graph_indicator");
  const std::string labels_path = require_tu_file(dir, name, "graph_labels");

  SourceDataset d;
  d.name = name;
  d.path = dir;
  const Table<int64_t> indicator = read_int_table(indicator_path, "graph id");
  require_one_column(indicator, "graph id");
  const std::vector<int64_t> offsets = graph_offsets(indicator);
  const size_t num_graphs = offsets.size() - 1;
  d.graphs.resize(num_graphs);
  std::vector<int32_t> node_graph(static_cast<size_t>(indicator.rows));
  for (size_t g = 0; g < num_graphs; ++g) {
    d.graphs[g].id = std::to_string(g + 1);
    d.graphs[g].num_nodes = static_cast<int32_t>(offsets[g + 1] - offsets[g]);
    std::fill(node_graph.begin() + offsets[g], node_graph.begin() + offsets[g + 1], static_cast<int32_t>(g));
  }
  read_graph_labels(labels_path, indicator_path, &d);
  const std::vector<int32_t> edge_graph = read_edges(a_path, indicator_path, node_graph, offsets, &d);
  read_features(dir, name, indicator_path, a_path, node_graph, edge_graph, &d);
  return d;
}

// Method: graphs are grouped by class (in index order); each class's list is
// shuffled with one gt::Rng(seed) stream, classes taken in class order, and
// dealt round-robin to the folds, each class starting at the fold after the
// one where the previous class stopped. Dealing round-robin makes each class's
// per-fold counts differ by at most 1; carrying the position across classes
// makes the total fold sizes differ by at most 1 as well. This is the
// protocol of sklearn's StratifiedKFold(shuffle=True) used by the PyG/GIN
// papers' 10-fold CV, though not its exact assignment for a given seed.
std::vector<std::vector<int32_t>> stratified_kfold(const SourceDataset& d, int k, uint64_t seed) {
  if (d.task != TaskType::MultiClass || d.num_classes < 1)
    fail(d.name + ": stratified k-fold needs a classification data set");
  const int64_t num_graphs = static_cast<int64_t>(d.graphs.size());
  if (k < 2 || k > num_graphs)
    fail(d.name + ": cannot make " + std::to_string(k) + " cross-validation folds of " + std::to_string(num_graphs) +
         " graphs (need 2 <= k <= graphs)");
  std::vector<std::vector<int32_t>> by_class(static_cast<size_t>(d.num_classes));
  for (int64_t g = 0; g < num_graphs; ++g) {
    const std::vector<float>& y = d.graphs[g].y;
    const float c = y.empty() ? -1.0f : y[0];
    if (!(c >= 0.0f && c < static_cast<float>(d.num_classes)) || c != std::floor(c))
      fail(d.name + ": graph " + d.graphs[g].id + " has no valid class index for stratified k-fold");
    by_class[static_cast<size_t>(c)].push_back(static_cast<int32_t>(g));
  }
  Rng rng(seed);
  std::vector<std::vector<int32_t>> folds(static_cast<size_t>(k));
  size_t next = 0;
  for (std::vector<int32_t>& members : by_class) {
    rng.shuffle(members.data(), members.size());
    for (int32_t g : members) {
      folds[next].push_back(g);
      next = (next + 1) % static_cast<size_t>(k);
    }
  }
  for (std::vector<int32_t>& fold : folds) std::sort(fold.begin(), fold.end());
  return folds;
}

}  // namespace gt
