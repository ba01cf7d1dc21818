// Config parsing, validation and serialisation (see config.h).
#include "train/config.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/edit_distance.h"
#include "core/error.h"
#include "core/file_io.h"

namespace gt {

namespace {

const std::vector<std::string> kDatasets = {"ZINC", "SBM_PATTERN", "SBM_CLUSTER"};
const std::vector<std::string> kReadouts = {"mean", "sum", "max"};
const std::vector<std::string> kPeSigns = {"canonical", "random"};
const std::vector<std::string> kPeSolvers = {"exact", "arpack"};


// The candidate closest to word if it is plausibly a typo of it, else "".
std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const std::string& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  const size_t limit = std::max<size_t>(2, std::min(word.size(), best.size()) / 3);
  return best_d <= limit ? best : "";
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", \"" : "\"") + items[i] + "\"";
  return s;
}

// "<file>:<line>:<col>" of a parsed value, else the file name.
std::string where_or(const Json& v, const std::string& src) {
  const std::string w = v.where();
  return w.empty() ? src : w;
}

// One JSON object of the config ("" for the top level, "params", ...).
// Reads typed fields, remembering every key it knows so that leftover keys
// can be reported as unknown once all sections are known.
class Section {
 public:
  Section(const Json* obj, std::string name, const std::string& src)
      : obj_(obj), name_(std::move(name)), src_(src) {}

  // The nested object `key` (absent: every field keeps its default).
  Section section(const std::string& key) {
    known_.push_back(key);
    const Json* v = find(key);
    if (v && !v->is_object())
      fail(where_or(*v, src_) + ": \"" + dotted(key) + "\" must be an object, got " + v->describe());
    return Section(v, dotted(key), src_);
  }

  bool has(const std::string& key) {
    known_.push_back(key);
    return find(key) != nullptr;
  }

  void read(const std::string& key, bool& out) {
    if (const Json* v = field(key)) {
      if (!v->is_bool()) type_error(key, *v, "true or false");
      out = v->as_bool();
    }
  }
  void read(const std::string& key, std::string& out) {
    if (const Json* v = field(key)) {
      if (!v->is_string()) type_error(key, *v, "a string");
      out = v->as_string();
    }
  }
  void read(const std::string& key, double& out) {
    if (const Json* v = field(key)) {
      if (!v->is_number()) type_error(key, *v, "a number");
      out = v->as_double();
    }
  }
  void read(const std::string& key, std::vector<std::string>& out) {
    if (const Json* v = field(key)) {
      if (!v->is_array()) type_error(key, *v, "an array of strings");
      out.clear();
      for (const Json& x : v->items()) {
        if (!x.is_string()) type_error(key, x, "an array of strings");
        out.push_back(x.as_string());
      }
    }
  }
  void read(const std::string& key, int64_t& out) { read_int(key, out, INT64_MIN, INT64_MAX); }
  void read(const std::string& key, int& out) {
    int64_t v = out;
    read_int(key, v, INT32_MIN, INT32_MAX);
    out = static_cast<int>(v);
  }

  // Reports the first key of this object that no read() asked for.
  void reject_unknown(const std::vector<const Section*>& all) const {
    if (!obj_) return;
    for (const Json::Member& m : obj_->members()) {
      if (std::find(known_.begin(), known_.end(), m.key) != known_.end()) continue;
      const std::string at = m.key_where().empty() ? src_ : m.key_where();
      fail(at + ": unknown key \"" + dotted(m.key) + "\"" + hint(m.key, all));
    }
  }

 private:
  const Json* obj_;
  std::string name_;
  const std::string& src_;
  std::vector<std::string> known_;

  std::string dotted(const std::string& key) const { return name_.empty() ? key : name_ + "." + key; }
  const Json* find(const std::string& key) const { return obj_ ? obj_->find(key) : nullptr; }
  const Json* field(const std::string& key) {
    known_.push_back(key);
    return find(key);
  }

  [[noreturn]] void type_error(const std::string& key, const Json& v, const char* want) const {
    fail(where_or(v, src_) + ": \"" + dotted(key) + "\" must be " + want + ", got " + v.describe());
  }

  void read_int(const std::string& key, int64_t& out, int64_t lo, int64_t hi) {
    const Json* v = field(key);
    if (!v) return;
    if (!v->is_number()) type_error(key, *v, "an integer");
    const double d = v->as_double();
    // 64.0 or 1e3 is accepted (the value is integral); 12.5 is not.
    if (!v->is_integer() && !(std::isfinite(d) && std::floor(d) == d)) type_error(key, *v, "an integer");
    const bool in_range = v->is_integer()
                              ? v->as_int64() >= lo && v->as_int64() <= hi
                              : d >= static_cast<double>(lo) && d <= static_cast<double>(hi);
    if (!in_range)
      fail(where_or(*v, src_) + ": \"" + dotted(key) + "\" is out of range [" + std::to_string(lo) +
           ", " + std::to_string(hi) + "], got " + v->dump());
    out = v->is_integer() ? v->as_int64() : static_cast<int64_t>(d);
  }

  // " (did you mean "x"?)", " ("x" belongs in "net_params")" or the valid keys.
  std::string hint(const std::string& key, const std::vector<const Section*>& all) const {
    for (const Section* s : all) {
      if (s == this) continue;
      if (std::find(s->known_.begin(), s->known_.end(), key) != s->known_.end())
        return " (\"" + key + "\" belongs in " + (s->name_.empty() ? "the top level" : "\"" + s->name_ + "\"") + ")";
    }
    const std::string near = nearest(key, known_);
    if (!near.empty()) return " (did you mean \"" + near + "\"?)";
    return " (valid keys" + (name_.empty() ? std::string() : " in \"" + name_ + "\"") + ": " +
           quoted_list(known_) + ")";
  }
};

struct Issue {
  std::string key;      // dotted key the message is about (locates it in the file)
  std::string message;  // full text, naming the key
};

std::string num(double v) { return std::isfinite(v) ? Json(v).dump() : std::to_string(v); }
std::string q(const std::string& key) { return "\"" + key + "\""; }

std::optional<Issue> int_at_least(const char* key, int64_t v, int64_t lo) {
  if (v >= lo) return std::nullopt;
  return Issue{key, q(key) + " must be >= " + std::to_string(lo) + ", got " + std::to_string(v)};
}

std::optional<Issue> real_at_least(const char* key, double v, double lo) {
  if (v >= lo && std::isfinite(v)) return std::nullopt;
  return Issue{key, q(key) + " must be >= " + num(lo) + ", got " + num(v)};
}

std::optional<Issue> real_positive(const char* key, double v) {
  if (v > 0 && std::isfinite(v)) return std::nullopt;
  return Issue{key, q(key) + " must be > 0, got " + num(v)};
}

// Range checks of "params"; the first problem found, if any.
std::optional<Issue> check_train(const TrainParams& p) {
  if (auto i = int_at_least("params.seed", p.seed, 0)) return i;
  if (auto i = int_at_least("params.epochs", p.epochs, 1)) return i;
  if (auto i = int_at_least("params.batch_size", p.batch_size, 1)) return i;
  if (auto i = real_positive("params.init_lr", p.init_lr)) return i;
  if (!(p.lr_reduce_factor > 0 && p.lr_reduce_factor < 1))
    return Issue{"params.lr_reduce_factor",
                 "\"params.lr_reduce_factor\" must be in (0, 1), got " + num(p.lr_reduce_factor)};
  if (auto i = int_at_least("params.lr_schedule_patience", p.lr_schedule_patience, 0)) return i;
  if (auto i = real_at_least("params.min_lr", p.min_lr, 0)) return i;
  if (auto i = real_at_least("params.weight_decay", p.weight_decay, 0)) return i;
  if (auto i = int_at_least("params.print_epoch_interval", p.print_epoch_interval, 1)) return i;
  if (auto i = real_positive("params.max_time", p.max_time)) return i;
  return std::nullopt;
}

// Range and combination checks of "net_params".
std::optional<Issue> check_net(const NetParams& n) {
  auto dropout = [](const char* key, double v) -> std::optional<Issue> {
    if (v >= 0 && v < 1) return std::nullopt;
    return Issue{key, q(key) + " must be in [0, 1), got " + num(v)};
  };
  if (auto i = int_at_least("net_params.L", n.L, 1)) return i;
  if (auto i = int_at_least("net_params.n_heads", n.n_heads, 1)) return i;
  if (auto i = int_at_least("net_params.hidden_dim", n.hidden_dim, 1)) return i;
  if (n.hidden_dim % n.n_heads != 0)
    return Issue{"net_params.hidden_dim", "\"net_params.hidden_dim\" (" + std::to_string(n.hidden_dim) +
                 ") must be divisible by \"net_params.n_heads\" (" + std::to_string(n.n_heads) + ")"};
  if (n.out_dim != n.hidden_dim)
    return Issue{"net_params.out_dim", "\"net_params.out_dim\" (" + std::to_string(n.out_dim) +
                 ") must equal \"net_params.hidden_dim\" (" + std::to_string(n.hidden_dim) + ")"};
  if (std::find(kReadouts.begin(), kReadouts.end(), n.readout) == kReadouts.end())
    return Issue{"net_params.readout", "\"net_params.readout\" must be one of " + quoted_list(kReadouts) +
                 ", got " + q(n.readout)};
  if (auto i = dropout("net_params.in_feat_dropout", n.in_feat_dropout)) return i;
  if (auto i = dropout("net_params.dropout", n.dropout)) return i;
  if (n.layer_norm && n.batch_norm)
    return Issue{"net_params.layer_norm",
                 "\"net_params.layer_norm\" and \"net_params.batch_norm\" are both true; "
                 "a model uses one of the two"};
  if (n.self_loop)
    return Issue{"net_params.self_loop",
                 "\"net_params.self_loop\": self-loops are not supported (a node attends only to "
                 "its in-neighbours); set it to false"};
  if (n.wl_pos_enc)
    return Issue{"net_params.wl_pos_enc",
                 "\"net_params.wl_pos_enc\": WL positional encoding is not supported; set it to false"};
  if (n.lap_pos_enc && n.pos_enc_dim < 1)
    return Issue{"net_params.pos_enc_dim", "\"net_params.pos_enc_dim\" must be >= 1 when "
                 "\"net_params.lap_pos_enc\" is true, got " + std::to_string(n.pos_enc_dim)};
  if (auto i = int_at_least("net_params.pos_enc_dim", n.pos_enc_dim, 0)) return i;
  return std::nullopt;
}

std::optional<Issue> one_of(const char* key, const std::string& v, const std::vector<std::string>& valid) {
  if (std::find(valid.begin(), valid.end(), v) != valid.end()) return std::nullopt;
  const std::string near = nearest(v, valid);
  return Issue{key, q(key) + " must be one of " + quoted_list(valid) + ", got " + q(v) +
                        (near.empty() ? "" : " (did you mean " + q(near) + "?)")};
}

// "data" and "task": only with a path, and their values in range.
std::optional<Issue> check_user_data(const Config& c) {
  if (is_benchmark(c.dataset)) {
    if (!(c.data == DataParams{}))
      return Issue{"data", "\"data\" applies to a data set given as a path, not to " + q(c.dataset)};
    if (!(c.task == TaskParams{}))
      return Issue{"task", "\"task\" applies to a data set given as a path, not to " + q(c.dataset)};
    return std::nullopt;
  }
  if (auto i = one_of("data.format", c.data.format, {"auto", "ogb", "tu", "smiles_csv"})) return i;
  if (auto i = int_at_least("data.folds", c.data.folds, 3)) return i;
  if (c.data.fold < 0 || c.data.fold >= c.data.folds)
    return Issue{"data.fold", "\"data.fold\" must be in 0.." + std::to_string(c.data.folds - 1) +
                                  " (data.folds is " + std::to_string(c.data.folds) + "), got " +
                                  std::to_string(c.data.fold)};
  if (auto i = int_at_least("data.fold_seed", c.data.fold_seed, 0)) return i;
  if (auto i = one_of("task.type", c.task.type, {"auto", "regression", "binary", "multiclass"})) return i;
  if (auto i = one_of("task.loss", c.task.loss, {"auto", "l1", "mse", "bce", "ce"})) return i;
  return one_of("task.metric", c.task.metric, {"auto", "mae", "rmse", "rocauc", "acc"});
}

// All checks of a resolved config; the first problem found, if any.
std::optional<Issue> check(const Config& c) {
  if (c.gpu_id < 0) return Issue{"gpu.id", "\"gpu.id\" must be >= 0, got " + std::to_string(c.gpu_id)};
  if (c.model != "GraphTransformer")
    return Issue{"model", "\"model\" must be \"GraphTransformer\", got " + q(c.model)};
  if (!is_benchmark(c.dataset) && c.dataset.find('/') == std::string::npos) {
    const std::string near = nearest(c.dataset, kDatasets);
    return Issue{"dataset", "unknown dataset " + q(c.dataset) + " (valid: " + quoted_list(kDatasets) +
                 (near.empty() ? "; a path to your own data must contain a '/', e.g. \"./" + c.dataset + "\""
                               : "; did you mean " + q(near) + "?") + ")"};
  }
  if (auto i = check_user_data(c)) return i;
  if (c.out_dir.empty()) return Issue{"out_dir", "\"out_dir\" must not be empty"};
  if (c.max_num_graphs && *c.max_num_graphs < 1)
    return Issue{"max_num_graphs",
                 "\"max_num_graphs\" must be >= 1, got " + std::to_string(*c.max_num_graphs)};
  if (c.data_seed && *c.data_seed < 0)
    return Issue{"data_seed", "\"data_seed\" must be >= 0, got " + std::to_string(*c.data_seed)};
  if (c.data_seed && c.dataset != "SBM_PATTERN" && c.dataset != "SBM_CLUSTER")
    return Issue{"data_seed", "\"data_seed\" applies to the generated data sets SBM_PATTERN and "
                              "SBM_CLUSTER only, not " + q(c.dataset)};
  if (std::find(kPeSigns.begin(), kPeSigns.end(), c.pe_sign) == kPeSigns.end())
    return Issue{"pe_sign", "\"pe_sign\" must be one of " + quoted_list(kPeSigns) + ", got " +
                            q(c.pe_sign)};
  if (c.pe_sign != "canonical" && !c.net.lap_pos_enc)
    return Issue{"pe_sign", "\"pe_sign\" applies to Laplacian encodings only; set "
                            "\"net_params.lap_pos_enc\": true or drop the key"};
  if (std::find(kPeSolvers.begin(), kPeSolvers.end(), c.pe_solver) == kPeSolvers.end())
    return Issue{"pe_solver", "\"pe_solver\" must be one of " + quoted_list(kPeSolvers) +
                                  ", got " + q(c.pe_solver)};
  if (c.pe_solver != "exact" && !c.net.lap_pos_enc)
    return Issue{"pe_solver", "\"pe_solver\" applies to Laplacian encodings only; set "
                              "\"net_params.lap_pos_enc\": true or drop the key"};
  if (auto i = check_train(c.params)) return i;
  return check_net(c.net);
}

// Where a dotted key's value sits in the file, or the file name if absent.
std::string locate(const Json& root, const std::string& dotted, const std::string& src) {
  const Json* v = &root;
  size_t start = 0;
  while (v && start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    v = v->find(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  return v ? where_or(*v, src) : src;
}

}  // namespace

Config config_from_json(const Json& json, const std::string& source_name) {
  const std::string& src = source_name;
  if (!json.is_object())
    fail(where_or(json, src) + ": a config must be a JSON object, got " + json.describe());
  Config c;
  Section top(&json, "", src);
  Section gpu = top.section("gpu");
  gpu.read("use", c.gpu_use);
  gpu.read("id", c.gpu_id);
  top.read("model", c.model);
  top.read("dataset", c.dataset);
  top.read("out_dir", c.out_dir);
  if (top.has("max_num_graphs")) {
    int64_t v = 0;
    top.read("max_num_graphs", v);
    c.max_num_graphs = v;
  }
  if (top.has("data_seed")) {
    int64_t v = 0;
    top.read("data_seed", v);
    c.data_seed = v;
  }
  top.read("pe_sign", c.pe_sign);
  top.read("pe_solver", c.pe_solver);
  Section p = top.section("params");
  TrainParams& tp = c.params;
  p.read("seed", tp.seed);
  p.read("epochs", tp.epochs);
  p.read("batch_size", tp.batch_size);
  p.read("init_lr", tp.init_lr);
  p.read("lr_reduce_factor", tp.lr_reduce_factor);
  p.read("lr_schedule_patience", tp.lr_schedule_patience);
  p.read("min_lr", tp.min_lr);
  p.read("weight_decay", tp.weight_decay);
  p.read("print_epoch_interval", tp.print_epoch_interval);
  p.read("max_time", tp.max_time);
  Section n = top.section("net_params");
  NetParams& np = c.net;
  n.read("L", np.L);
  n.read("n_heads", np.n_heads);
  n.read("hidden_dim", np.hidden_dim);
  n.read("out_dim", np.out_dim);
  n.read("residual", np.residual);
  n.read("readout", np.readout);
  n.read("in_feat_dropout", np.in_feat_dropout);
  n.read("dropout", np.dropout);
  n.read("layer_norm", np.layer_norm);
  n.read("batch_norm", np.batch_norm);
  n.read("self_loop", np.self_loop);
  n.read("lap_pos_enc", np.lap_pos_enc);
  n.read("pos_enc_dim", np.pos_enc_dim);
  n.read("wl_pos_enc", np.wl_pos_enc);
  n.read("full_graph", np.full_graph);
  n.read("edge_feat", np.edge_feat);
  Section d = top.section("data");
  DataParams& dp = c.data;
  d.read("format", dp.format);
  d.read("split", dp.split);
  d.read("smiles_column", dp.smiles_column);
  d.read("targets", dp.targets);
  d.read("split_column", dp.split_column);
  d.read("folds", dp.folds);
  d.read("fold", dp.fold);
  d.read("fold_seed", dp.fold_seed);
  Section t = top.section("task");
  t.read("type", c.task.type);
  t.read("loss", c.task.loss);
  t.read("metric", c.task.metric);
  const std::vector<const Section*> all = {&top, &gpu, &p, &n, &d, &t};
  for (const Section* s : all) s->reject_unknown(all);
  if (auto issue = check(c)) fail(locate(json, issue->key, src) + ": " + issue->message);
  return c;
}

Config load_config(const std::string& path) {
  return config_from_json(Json::parse(read_file(path), path), path);
}

void validate_config(const Config& config, const std::string& source_name) {
  if (auto issue = check(config)) fail(source_name + ": " + issue->message);
}

Json config_to_json(const Config& c) {
  // Sub-objects are built first: a reference into j would dangle once j grows.
  Json gpu = Json::object();
  gpu.set("use", c.gpu_use);
  gpu.set("id", c.gpu_id);
  const TrainParams& tp = c.params;
  Json p = Json::object();
  p.set("seed", Json(static_cast<long long>(tp.seed)));
  p.set("epochs", tp.epochs);
  p.set("batch_size", tp.batch_size);
  p.set("init_lr", tp.init_lr);
  p.set("lr_reduce_factor", tp.lr_reduce_factor);
  p.set("lr_schedule_patience", tp.lr_schedule_patience);
  p.set("min_lr", tp.min_lr);
  p.set("weight_decay", tp.weight_decay);
  p.set("print_epoch_interval", tp.print_epoch_interval);
  p.set("max_time", tp.max_time);
  const NetParams& np = c.net;
  Json n = Json::object();
  n.set("L", np.L);
  n.set("n_heads", np.n_heads);
  n.set("hidden_dim", np.hidden_dim);
  n.set("out_dim", np.out_dim);
  n.set("residual", np.residual);
  n.set("readout", np.readout);
  n.set("in_feat_dropout", np.in_feat_dropout);
  n.set("dropout", np.dropout);
  n.set("layer_norm", np.layer_norm);
  n.set("batch_norm", np.batch_norm);
  n.set("self_loop", np.self_loop);
  n.set("lap_pos_enc", np.lap_pos_enc);
  n.set("pos_enc_dim", np.pos_enc_dim);
  n.set("wl_pos_enc", np.wl_pos_enc);
  n.set("full_graph", np.full_graph);
  n.set("edge_feat", np.edge_feat);
  Json j = Json::object();
  j.set("gpu", std::move(gpu));
  j.set("model", c.model);
  j.set("dataset", c.dataset);
  j.set("out_dir", c.out_dir);
  if (c.max_num_graphs) j.set("max_num_graphs", Json(static_cast<long long>(*c.max_num_graphs)));
  if (c.data_seed) j.set("data_seed", Json(static_cast<long long>(*c.data_seed)));
  if (c.pe_sign != "canonical") j.set("pe_sign", c.pe_sign);
  if (c.pe_solver != "exact") j.set("pe_solver", c.pe_solver);
  j.set("params", std::move(p));
  j.set("net_params", std::move(n));
  if (!is_benchmark(c.dataset)) {  // the official layout stays as it is for benchmarks
    Json d = Json::object();
    d.set("format", c.data.format);
    d.set("split", c.data.split);
    d.set("smiles_column", c.data.smiles_column);
    Json targets = Json::array();
    for (const std::string& s : c.data.targets) targets.items().push_back(Json(s));
    d.set("targets", std::move(targets));
    d.set("split_column", c.data.split_column);
    d.set("folds", c.data.folds);
    d.set("fold", c.data.fold);
    d.set("fold_seed", Json(static_cast<long long>(c.data.fold_seed)));
    Json t = Json::object();
    t.set("type", c.task.type);
    t.set("loss", c.task.loss);
    t.set("metric", c.task.metric);
    j.set("data", std::move(d));
    j.set("task", std::move(t));
  }
  return j;
}

bool is_benchmark(const std::string& dataset) {
  return std::find(kDatasets.begin(), kDatasets.end(), dataset) != kDatasets.end();
}

bool operator==(const DataParams& a, const DataParams& b) {
  return a.format == b.format && a.split == b.split && a.smiles_column == b.smiles_column &&
         a.targets == b.targets && a.split_column == b.split_column && a.folds == b.folds &&
         a.fold == b.fold && a.fold_seed == b.fold_seed;
}

bool operator==(const TaskParams& a, const TaskParams& b) {
  return a.type == b.type && a.loss == b.loss && a.metric == b.metric;
}

bool operator==(const TrainParams& a, const TrainParams& b) {
  return a.seed == b.seed && a.epochs == b.epochs && a.batch_size == b.batch_size &&
         a.init_lr == b.init_lr && a.lr_reduce_factor == b.lr_reduce_factor &&
         a.lr_schedule_patience == b.lr_schedule_patience && a.min_lr == b.min_lr &&
         a.weight_decay == b.weight_decay && a.print_epoch_interval == b.print_epoch_interval &&
         a.max_time == b.max_time;
}

bool operator==(const NetParams& a, const NetParams& b) {
  return a.L == b.L && a.n_heads == b.n_heads && a.hidden_dim == b.hidden_dim &&
         a.out_dim == b.out_dim && a.residual == b.residual && a.readout == b.readout &&
         a.in_feat_dropout == b.in_feat_dropout && a.dropout == b.dropout &&
         a.layer_norm == b.layer_norm && a.batch_norm == b.batch_norm &&
         a.self_loop == b.self_loop && a.lap_pos_enc == b.lap_pos_enc &&
         a.pos_enc_dim == b.pos_enc_dim && a.wl_pos_enc == b.wl_pos_enc &&
         a.full_graph == b.full_graph && a.edge_feat == b.edge_feat;
}

bool operator==(const Config& a, const Config& b) {
  return a.gpu_use == b.gpu_use && a.gpu_id == b.gpu_id && a.model == b.model &&
         a.dataset == b.dataset && a.out_dir == b.out_dir && a.max_num_graphs == b.max_num_graphs &&
         a.data_seed == b.data_seed && a.pe_sign == b.pe_sign && a.pe_solver == b.pe_solver &&
         a.params == b.params && a.net == b.net && a.data == b.data && a.task == b.task;
}

}  // namespace gt
