// The CSV side of read_smiles_csv: columns, targets, task type and split.
// Featurisation and scaffolds come from mol_ogb_rdkit.cpp (or the no-RDKit
// fallback), so this file builds without RDKit.
#include "data/smiles_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "core/error.h"
#include "data/csv.h"
#include "data/text_table.h"

namespace gt {

const std::vector<int32_t>& ogb_atom_vocab() {
  static const std::vector<int32_t> v{119, 5, 12, 12, 10, 6, 6, 2, 2};
  return v;
}
const std::vector<int32_t>& ogb_bond_vocab() {
  static const std::vector<int32_t> v{5, 6, 2};
  return v;
}
const std::vector<std::string>& ogb_atom_feature_names() {
  static const std::vector<std::string> v{"atomic_num",    "chirality",   "degree",
                                          "formal_charge", "num_hs",      "num_radical_electrons",
                                          "hybridization", "is_aromatic", "is_in_ring"};
  return v;
}
const std::vector<std::string>& ogb_bond_feature_names() {
  static const std::vector<std::string> v{"bond_type", "bond_stereo", "is_conjugated"};
  return v;
}

void scaffold_split(const std::vector<std::string>& scaffolds, std::vector<int32_t>* train,
                    std::vector<int32_t>* valid, std::vector<int32_t>* test, double frac_train,
                    double frac_valid) {
  // Groups in first-appearance order; members ascending by construction.
  std::unordered_map<std::string, size_t> group_of;
  std::vector<std::vector<int32_t>> groups;
  for (size_t i = 0; i < scaffolds.size(); ++i) {
    const auto [it, fresh] = group_of.emplace(scaffolds[i], groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(static_cast<int32_t>(i));
  }
  // sorted(key=(len(group), group[0]), reverse=True): bigger groups first,
  // and among equal sizes the group that appears LAST first.
  std::sort(groups.begin(), groups.end(), [](const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
    if (a.size() != b.size()) return a.size() > b.size();
    return a[0] > b[0];
  });
  // The same double arithmetic as Python, so boundary cases round alike.
  const double n = static_cast<double>(scaffolds.size());
  const double train_cutoff = frac_train * n;
  const double valid_cutoff = (frac_train + frac_valid) * n;
  train->clear();
  valid->clear();
  test->clear();
  for (const std::vector<int32_t>& g : groups) {
    std::vector<int32_t>* into = train;
    if (static_cast<double>(train->size() + g.size()) > train_cutoff)
      into = static_cast<double>(train->size() + valid->size() + g.size()) > valid_cutoff ? test : valid;
    into->insert(into->end(), g.begin(), g.end());
  }
  for (std::vector<int32_t>* list : {train, valid, test}) std::sort(list->begin(), list->end());
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

enum class Cell { Empty, Finite, NonFinite, Text };

// Classifies a target cell; *value is set for Finite. from_chars is
// locale-independent; a leading '+' and surrounding blanks are accepted as
// pandas accepts them.
Cell classify(std::string_view field, double* value) {
  std::string_view s = trim(field);
  if (s.empty()) return Cell::Empty;
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  double v = 0.0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc::result_out_of_range) return Cell::NonFinite;
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return Cell::Text;
  if (!std::isfinite(v) || std::fabs(v) > std::numeric_limits<float>::max()) return Cell::NonFinite;
  *value = v;
  return Cell::Finite;
}

// Columns a user would not mean as targets even when they hold numbers.
bool is_id_like(const std::string& name) {
  const std::string n = lower(name);
  return n.empty() || n == "id" || n == "index" || n == "split" ||
         (n.size() > 3 && n.compare(n.size() - 3, 3, "_id") == 0) || n.rfind("unnamed:", 0) == 0;
}

// Target columns picked automatically: every column whose non-empty values
// all look numeric. A column that is mostly numbers with some text is more
// likely a broken target than a text column, so it is an error, not skipped.
std::vector<int32_t> auto_targets(const CsvTable& t, int32_t smiles_col, int32_t split_col) {
  std::vector<int32_t> targets;
  for (int32_t c = 0; c < t.num_columns(); ++c) {
    if (c == smiles_col || c == split_col || is_id_like(t.columns[c])) continue;
    int64_t numbers = 0, texts = 0, first_text = -1;
    for (int64_t r = 0; r < t.num_rows(); ++r) {
      double v;
      const Cell k = classify(t.field(r, c), &v);
      if (k == Cell::Finite || k == Cell::NonFinite) ++numbers;
      if (k == Cell::Text && texts++ == 0) first_text = r;
    }
    if (numbers > 0 && texts == 0) targets.push_back(c);
    if (numbers > texts && texts > 0)
      fail(t.where(first_text, c) + quote_field(t.field(first_text, c)) +
           " is not a number, yet most of the column is numeric; name the target columns "
           "explicitly to leave this column out");
  }
  if (targets.empty())
    fail(t.path + ": no numeric target column besides " + quote_field(t.columns[smiles_col]) +
         "; name the target columns explicitly");
  return targets;
}

// The column indices the options name, checked.
std::vector<int32_t> resolve_targets(const CsvTable& t, const SmilesCsvOptions& opt, int32_t smiles_col,
                                     int32_t split_col) {
  if (opt.targets.empty()) return auto_targets(t, smiles_col, split_col);
  std::vector<int32_t> targets;
  for (const std::string& name : opt.targets) {
    const int32_t c = t.require_column(name, "a target column");
    if (c == smiles_col || c == split_col)
      fail(t.path + ": column " + quote_field(name) + " cannot be a target: it is the " +
           (c == smiles_col ? "SMILES" : "split") + " column");
    if (std::find(targets.begin(), targets.end(), c) != targets.end())
      fail(t.path + ": target column " + quote_field(name) + " is named twice");
    targets.push_back(c);
  }
  return targets;
}

// Binary when every label is 0 or 1, unless the options say otherwise.
TaskType resolve_task(const CsvTable& t, const std::vector<int32_t>& targets, const std::string& task) {
  if (task == "regression") return TaskType::Regression;
  if (task == "binary") return TaskType::Binary;
  if (!task.empty())
    fail(t.path + ": unknown task " + quote_field(task) +
         " (expected \"regression\", \"binary\" or \"\" to infer)");
  for (int32_t c : targets)
    for (int64_t r = 0; r < t.num_rows(); ++r) {
      double v = 0.0;
      if (classify(t.field(r, c), &v) == Cell::Finite && v != 0.0 && v != 1.0) return TaskType::Regression;
    }
  return TaskType::Binary;
}

// One label; NaN for a missing one (binary tasks only).
float read_label(const CsvTable& t, int64_t r, int32_t c, TaskType task, bool task_inferred) {
  double v = 0.0;
  const std::string_view field = t.field(r, c);
  switch (classify(field, &v)) {
    case Cell::Empty:
      if (task == TaskType::Binary) return std::numeric_limits<float>::quiet_NaN();
      fail(t.where(r, c) + "is empty: a regression target cannot be missing" +
           (task_inferred ? " (the task is regression because some labels are neither 0 nor 1)" : ""));
    case Cell::NonFinite:
      fail(t.where(r, c) + quote_field(field) +
           " is not a finite 32-bit number (leave the field empty for a missing binary label)");
    case Cell::Text: fail(t.where(r, c) + quote_field(field) + " is not a number");
    case Cell::Finite: break;
  }
  if (task == TaskType::Binary && v != 0.0 && v != 1.0)
    fail(t.where(r, c) + quote_field(field) + " is not a binary label (0 or 1)");
  return static_cast<float>(v);
}

// The split column's value per row into d->train/val/test.
void read_split_column(const CsvTable& t, int32_t c, SourceDataset* d) {
  for (int64_t r = 0; r < t.num_rows(); ++r) {
    const std::string v = lower(trim(t.field(r, c)));
    std::vector<int32_t>* into = nullptr;
    if (v == "train") into = &d->train;
    if (v == "valid" || v == "val") into = &d->val;
    if (v == "test") into = &d->test;
    if (!into)
      fail(t.where(r, c) + quote_field(t.field(r, c)) +
           " is not a split name (expected train, valid (or val) or test)");
    into->push_back(static_cast<int32_t>(r));
  }
}

// Featurises every row's SMILES into d->graphs; the first bad row is the
// error, with a count of the others so one run shows the extent.
void featurize_rows(const CsvTable& t, int32_t c, SourceDataset* d, std::vector<std::string>* smiles) {
  smiles->resize(static_cast<size_t>(t.num_rows()));
  for (int64_t r = 0; r < t.num_rows(); ++r) (*smiles)[r] = std::string(trim(t.field(r, c)));
  std::vector<std::string> errors;
  smiles_to_ogb_graphs(*smiles, &d->graphs, &errors);
  int64_t first = -1, bad = 0;
  for (int64_t r = 0; r < t.num_rows(); ++r)
    if (!errors[r].empty() && bad++ == 0) first = r;
  if (bad > 0)
    fail(t.where(first, c) + errors[first] +
         (bad > 1 ? " (and " + std::to_string(bad - 1) + " more rows with bad SMILES)" : ""));
}

// A molecule data set read from `path`, before its graphs: OGB's atom and
// bond feature scheme and the task.
SourceDataset empty_molecule_dataset(const std::string& path, TaskType task) {
  SourceDataset d;
  d.name = std::filesystem::path(path).filename().string();
  d.path = path;
  d.node.vocab = ogb_atom_vocab();
  d.node.names = ogb_atom_feature_names();
  d.edge.vocab = ogb_bond_vocab();
  d.edge.names = ogb_bond_feature_names();
  d.task = task;
  return d;
}

}  // namespace

SourceDataset read_smiles_csv(const std::string& path, const SmilesCsvOptions& opt) {
  const CsvTable t = read_csv(path);
  if (t.num_rows() == 0) fail(path + ": no data rows after the header");
  const int32_t smiles_col = t.require_column(opt.smiles_column, "the SMILES column");
  int32_t split_col = -1;
  if (!opt.split_column.empty()) {
    split_col = t.require_column(opt.split_column, "the split column");
    if (split_col == smiles_col) fail(path + ": the split column cannot be the SMILES column");
  }
  const std::vector<int32_t> targets = resolve_targets(t, opt, smiles_col, split_col);
  const TaskType task = resolve_task(t, targets, opt.task);

  SourceDataset d = empty_molecule_dataset(path, task);
  for (int32_t c : targets) d.task_names.push_back(t.columns[c]);
  // Labels before SMILES: they are cheap to check and need no RDKit.
  std::vector<std::vector<float>> labels(static_cast<size_t>(t.num_rows()));
  for (int64_t r = 0; r < t.num_rows(); ++r)
    for (int32_t c : targets) labels[r].push_back(read_label(t, r, c, task, opt.task.empty()));
  if (split_col >= 0) read_split_column(t, split_col, &d);

  std::vector<std::string> smiles;
  featurize_rows(t, smiles_col, &d, &smiles);
  for (int64_t r = 0; r < t.num_rows(); ++r) d.graphs[r].y = std::move(labels[r]);
  if (split_col < 0) scaffold_split(murcko_scaffolds(smiles), &d.train, &d.val, &d.test);
  return d;
}

SourceDataset read_smiles_csv_for_prediction(const std::string& path, const std::string& smiles_column,
                                             const std::vector<std::string>& task_names, TaskType task) {
  const CsvTable t = read_csv(path);
  if (t.num_rows() == 0) fail(path + ": no data rows after the header");
  const int32_t smiles_col = t.require_column(smiles_column, "the SMILES column");
  SourceDataset d = empty_molecule_dataset(path, task);
  d.task_names = task_names;
  std::vector<int32_t> cols;
  for (const std::string& name : task_names) cols.push_back(t.find_column(name));
  std::vector<std::vector<float>> labels(static_cast<size_t>(t.num_rows()));
  for (int64_t r = 0; r < t.num_rows(); ++r)
    for (int32_t c : cols)
      labels[r].push_back(c < 0 || trim(t.field(r, c)).empty() ? std::numeric_limits<float>::quiet_NaN()
                                                                : read_label(t, r, c, task, false));
  std::vector<std::string> smiles;
  featurize_rows(t, smiles_col, &d, &smiles);
  for (int64_t r = 0; r < t.num_rows(); ++r) d.graphs[r].y = std::move(labels[r]);
  return d;
}

}  // namespace gt
