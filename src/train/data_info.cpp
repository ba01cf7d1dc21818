#include "train/data_info.h"

#include <algorithm>

#include "core/error.h"

namespace gt {

namespace {

const std::vector<std::string> kTasks = {"regression", "binary", "multiclass", "node_classification"};

// The losses and metrics that make sense for each task kind; the first is the default.
const std::vector<std::string>& losses_of(const std::string& task) {
  static const std::vector<std::string> regression = {"l1", "mse"}, binary = {"bce"},
                                        multiclass = {"ce"}, node = {"weighted_ce"};
  return task == "regression" ? regression : task == "binary" ? binary : task == "multiclass" ? multiclass : node;
}
const std::vector<std::string>& metrics_of(const std::string& task) {
  static const std::vector<std::string> regression = {"mae", "rmse"}, binary = {"rocauc", "acc"},
                                        multiclass = {"acc"}, node = {"sbm_acc"};
  return task == "regression" ? regression : task == "binary" ? binary : task == "multiclass" ? multiclass : node;
}

bool member(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string list(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "\"" : ", \"") + x + "\"";
  return s;
}

// Resolves "auto" and checks the choice against the task kind.
std::string choose(const std::string& wanted, const std::vector<std::string>& allowed,
                   const std::string& fallback, const std::string& what, const std::string& task,
                   const std::string& where) {
  if (wanted == "auto") return fallback.empty() ? allowed[0] : fallback;
  if (!member(allowed, wanted))
    fail(where + ": \"task." + what + "\" \"" + wanted + "\" does not fit a " + task +
         " task (valid: \"auto\", " + list(allowed) + ")");
  return wanted;
}

Json strings(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const std::string& s : v) a.items().push_back(Json(s));
  return a;
}
template <class T>
Json ints(const std::vector<T>& v) {
  Json a = Json::array();
  for (T x : v) a.items().push_back(Json(static_cast<long long>(x)));
  return a;
}
Json int_lists(const std::vector<std::vector<int64_t>>& v) {
  Json a = Json::array();
  for (const auto& x : v) a.items().push_back(ints(x));
  return a;
}

const Json& field(const Json& j, const std::string& key, Json::Type type) {
  const Json& v = j.at(key);
  if (v.type() != type)
    fail(v.where() + ": \"data_info." + key + "\" must be " + Json::type_name(type) + ", got " + v.describe());
  return v;
}
std::vector<std::string> read_strings(const Json& j, const std::string& key) {
  std::vector<std::string> out;
  for (const Json& x : field(j, key, Json::Type::Array).items()) out.push_back(x.as_string());
  return out;
}
template <class T>
std::vector<T> read_ints(const Json& a, int64_t lo, int64_t hi) {
  std::vector<T> out;
  for (const Json& x : a.items()) out.push_back(static_cast<T>(x.as_int64(lo, hi)));
  return out;
}
std::vector<std::vector<int64_t>> read_int_lists(const Json& j, const std::string& key) {
  std::vector<std::vector<int64_t>> out;
  for (const Json& x : field(j, key, Json::Type::Array).items())
    out.push_back(read_ints<int64_t>(x, INT64_MIN, INT64_MAX));
  return out;
}

}  // namespace

int32_t DataInfo::num_outputs() const {
  if (task == "multiclass" || task == "node_classification") return num_classes;
  return static_cast<int32_t>(task_names.size());
}

GraphDataset DataInfo::scheme(int32_t pe_dim) const {
  GraphDataset d;
  d.name = name;
  d.pe_dim = pe_dim;
  d.node_vocab = node_vocab;
  d.edge_vocab = edge_vocab;
  d.node_cont = node_cont;
  d.edge_cont = edge_cont;
  d.num_targets = node_level() ? 1 : task == "multiclass" ? 1 : static_cast<int32_t>(task_names.size());
  return d;
}

DataInfo benchmark_info(const std::string& dataset) {
  DataInfo i;
  i.name = dataset;
  if (dataset == "ZINC") {
    i.format = "zinc";
    i.node_vocab = {28}, i.edge_vocab = {4};  // atom / bond dictionaries
    i.node_columns = {"atom_type"}, i.edge_columns = {"bond_type"};
    i.task_names = {"y"};
    return i;
  }
  if (dataset != "SBM_PATTERN" && dataset != "SBM_CLUSTER")
    fail("unknown benchmark \"" + dataset + "\" (known: ZINC, SBM_PATTERN, SBM_CLUSTER)");
  const bool pattern = dataset == "SBM_PATTERN";
  i.format = "sbm";
  i.node_vocab = {pattern ? 3 : 7}, i.edge_vocab = {1};
  i.node_columns = {"feature"}, i.edge_columns = {"edge"};
  i.task = "node_classification", i.loss = "weighted_ce", i.metric = "sbm_acc";
  i.num_classes = pattern ? 2 : 6;
  return i;
}

DataInfo source_info(const SourceDataset& s, const std::string& format, const std::string& task_type,
                     const std::string& loss, const std::string& metric, const std::string& where) {
  DataInfo i;
  i.name = s.name;
  i.format = format;
  i.node_vocab = s.node.vocab, i.edge_vocab = s.edge.vocab;
  i.node_cont = s.node.continuous, i.edge_cont = s.edge.continuous;
  i.node_columns = s.node.names, i.edge_columns = s.edge.names;
  i.node_values = s.node.values, i.edge_values = s.edge.values;
  if (i.node_vocab.empty() && i.node_cont == 0)  // no node features at all: one constant category
    i.node_vocab = {1}, i.node_columns = {"constant"};
  i.task_names = s.task_names;
  i.num_classes = s.num_classes;
  i.class_values = s.class_values;
  const std::string native = s.task == TaskType::Regression ? "regression"
                             : s.task == TaskType::Binary   ? "binary"
                                                            : "multiclass";
  i.task = task_type == "auto" ? native : task_type;
  if (!member(kTasks, i.task) || i.task == "node_classification")
    fail(where + ": \"task.type\" \"" + task_type +
         "\" is not one of \"auto\", \"regression\", \"binary\", \"multiclass\"");
  if (i.task != native && !(native == "binary" && i.task == "regression"))
    fail(where + ": \"task.type\" \"" + i.task + "\" does not fit " + s.name + ", whose labels are " +
         native + " (only binary labels can also be fit as a regression)");
  // OGB's master.csv names the data set's own metric: the default when it fits.
  const std::string own = s.eval_metric == "rmse" || s.eval_metric == "rocauc" || s.eval_metric == "mae"
                              ? s.eval_metric : "";
  i.loss = choose(loss, losses_of(i.task), i.task == "regression" && own == "rmse" ? "mse" : "", "loss",
                  i.task, where);
  i.metric = choose(metric, metrics_of(i.task), member(metrics_of(i.task), own) ? own : "", "metric",
                    i.task, where);
  return i;
}

Json data_info_to_json(const DataInfo& i) {
  Json j = Json::object();
  j.set("name", i.name);
  j.set("format", i.format);
  j.set("node_vocab", ints(i.node_vocab));
  j.set("edge_vocab", ints(i.edge_vocab));
  j.set("node_cont", i.node_cont);
  j.set("edge_cont", i.edge_cont);
  j.set("node_columns", strings(i.node_columns));
  j.set("edge_columns", strings(i.edge_columns));
  j.set("node_values", int_lists(i.node_values));
  j.set("edge_values", int_lists(i.edge_values));
  j.set("task", i.task);
  j.set("loss", i.loss);
  j.set("metric", i.metric);
  j.set("task_names", strings(i.task_names));
  j.set("num_classes", i.num_classes);
  j.set("class_values", ints(i.class_values));
  j.set("smiles_column", i.smiles_column);
  return j;
}

DataInfo data_info_from_json(const Json& j, const std::string& src) {
  if (!j.is_object()) fail(src + ": \"data_info\" must be an object, got " + j.describe());
  DataInfo i;
  i.name = field(j, "name", Json::Type::String).as_string();
  i.format = field(j, "format", Json::Type::String).as_string();
  i.node_vocab = read_ints<int32_t>(field(j, "node_vocab", Json::Type::Array), 1, INT32_MAX);
  i.edge_vocab = read_ints<int32_t>(field(j, "edge_vocab", Json::Type::Array), 1, INT32_MAX);
  i.node_cont = j.at("node_cont").as_int64(0, 1 << 20);
  i.edge_cont = j.at("edge_cont").as_int64(0, 1 << 20);
  i.node_columns = read_strings(j, "node_columns");
  i.edge_columns = read_strings(j, "edge_columns");
  i.node_values = read_int_lists(j, "node_values");
  i.edge_values = read_int_lists(j, "edge_values");
  i.task = field(j, "task", Json::Type::String).as_string();
  i.loss = field(j, "loss", Json::Type::String).as_string();
  i.metric = field(j, "metric", Json::Type::String).as_string();
  i.task_names = read_strings(j, "task_names");
  i.num_classes = j.at("num_classes").as_int64(0, INT32_MAX);
  i.class_values = read_ints<int64_t>(field(j, "class_values", Json::Type::Array), INT64_MIN, INT64_MAX);
  i.smiles_column = field(j, "smiles_column", Json::Type::String).as_string();
  if (!member(kTasks, i.task) || !member(losses_of(i.task), i.loss) || !member(metrics_of(i.task), i.metric))
    fail(src + ": data_info has an inconsistent task (" + i.task + ", " + i.loss + ", " + i.metric + ")");
  if (i.num_outputs() < 1) fail(src + ": data_info describes a task without outputs");
  return i;
}

}  // namespace gt
