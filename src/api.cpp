// The public API (include/gt/gt.h) on top of the engine.
#include "gt/gt.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "core/file_io.h"

#include "core/comm.h"
#include "core/error.h"
#include "core/parallel.h"
#include "core/stats.h"
#include "train/cross_validation.h"
#include "train/datasets.h"
#include "train/predict.h"
#include "train/run.h"
#include "train/trainer.h"

namespace gt {

namespace {

TrainSummary train_seeds(const TrainOptions& o) {
  if (o.seed >= 0) fail("gt::train: give either seed or seeds, not both");
  if (o.cross_validation) fail("gt::train: seeds cannot be combined with cross-validation");
  std::set<int64_t> seen;
  for (int64_t s : o.seeds) {
    if (s < 0) fail("gt::train: seed " + std::to_string(s) + " is negative");
    if (!seen.insert(s).second) fail("gt::train: seed " + std::to_string(s) + " is given twice");
  }
  std::string base = o.out_dir;
  if (base.empty()) {
    if (o.config_path.empty()) fail("gt::train: a config path is required (or resume with an output directory)");
    base = load_config(o.config_path).out_dir;
  }
  if (base.empty()) fail("no output directory (give --out DIR)");
  TrainSummary total;
  total.out_dir = base;
  total.stop_reason = "all seeds done";
  std::vector<double> tests;
  for (int64_t seed : o.seeds) {
    TrainOptions one = o;
    one.seeds.clear();
    one.seed = seed;
    one.out_dir = base + "/s" + std::to_string(seed);
    // Resume the seeds that got as far as a checkpoint; start the others.
    one.resume = o.resume && path_exists(one.out_dir + "/checkpoint.safetensors");
    if (o.resume && !one.resume && o.config_path.empty())
      fail("resume: no checkpoint at " + one.out_dir + "/checkpoint.safetensors and no config to start "
           "seed " + std::to_string(seed) + " from");
    const TrainSummary r = train(one);
    total.per_seed.push_back(r);
    total.metric = r.metric;
    total.epochs += r.epochs;
    total.train_metric += r.train_metric / static_cast<double>(o.seeds.size());
    total.val_metric += r.val_metric / static_cast<double>(o.seeds.size());
    tests.push_back(r.test_metric);
  }
  total.test_metric = mean_of(tests);
  total.test_metric_sd = sd_of(tests, /*sample=*/true);  // the paper's: sample s.d. over seeds
  return total;
}

// ",<value>" with 9 significant digits (float round trip); "," for NaN.
void append_field(std::string* text, float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ",%.9g", v);
  *text += std::isnan(v) ? std::string(",") : std::string(buf);
}

// The model's outputs on an evaluated split as CSV (evaluate's predictions_csv):
// node-level tasks a row per node (graph, node, label, argmax class, one
// output column per class); graph-level tasks a row per graph (graph, each
// target, empty where missing, each output). Graphs are numbered in the
// evaluated order.
std::string outputs_csv(const GraphDataset& d, const Task& task, const std::vector<float>& out) {
  const int k = task.num_outputs();
  const bool nodes = task.node_level();
  std::string text = nodes ? "graph,node,label,predicted" : "graph";
  for (int t = 0; !nodes && t < d.num_targets; ++t) text += ",target_" + std::to_string(t);
  for (int j = 0; j < k; ++j) text += ",output_" + std::to_string(j);
  text += "\n";
  size_t row = 0;
  for (size_t g = 0; g < d.graphs.size(); ++g) {
    const Graph& graph = d.graphs[g];
    for (int32_t i = 0; i < (nodes ? graph.num_nodes : 1); ++i, ++row) {
      if ((row + 1) * k > out.size()) fail("internal: fewer evaluated outputs than the split has rows");
      const float* o = out.data() + row * k;
      text += std::to_string(g);
      if (nodes) {
        const auto best = std::max_element(o, o + k) - o;
        text += "," + std::to_string(i) + "," + std::to_string(graph.node_label.at(i)) + "," + std::to_string(best);
      }
      for (size_t t = 0; !nodes && t < graph.y.size(); ++t) append_field(&text, graph.y[t]);
      for (int j = 0; j < k; ++j) append_field(&text, o[j]);
      text += "\n";
    }
  }
  if (row * k != out.size()) fail("internal: more evaluated outputs than the split has rows");
  return text;
}

}  // namespace

int init_distributed(int* argc, char*** argv) {
  init_world(argc, argv);
  return world().rank();
}

void finalize_distributed() { finalize_world(); }

int distributed_size() { return world().size(); }
int distributed_rank() { return world().rank(); }
void abort_distributed(int code) {
  world().abort(code);
  std::exit(code);  // not reached
}

std::vector<int64_t> parse_seed_list(const std::string& text) {
  std::vector<int64_t> seeds;
  std::string problems;
  std::set<int64_t> seen;
  size_t start = 0;
  int item = 0;
  auto note = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  while (true) {
    ++item;
    const size_t comma = text.find(',', start);
    const std::string s = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::string n = std::to_string(item);
    if (s.empty()) {
      note("item " + n + " is empty");
    } else {
      bool digits = s.size() <= 18;
      for (char c : s) digits = digits && c >= '0' && c <= '9';
      if (!digits) {
        note("item " + n + " \"" + s + "\" is not a non-negative integer");
      } else {
        const int64_t v = std::strtoll(s.c_str(), nullptr, 10);
        if (!seen.insert(v).second)
          note("item " + n + " repeats seed " + s);
        else
          seeds.push_back(v);
      }
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!problems.empty())
    fail("--seeds \"" + text + "\": " + problems +
         " (expected comma-separated non-negative integers, e.g. 41,95,22,35)");
  return seeds;
}

TrainSummary train(const TrainOptions& o) {
  if (!o.seeds.empty()) return train_seeds(o);
  if (o.config_path.empty() && !(o.resume && !o.out_dir.empty()))
    fail("gt::train: a config path is required (or resume with an output directory)");
  Communicator& comm = world();
  if (o.cross_validation && comm.size() > 1)
    fail("--cv runs in one process (TU data sets are small); start it without mpirun");
  if (o.threads > 0) {
    set_num_threads(o.threads);
  } else if (comm.local_size() > 1) {
    // Ranks sharing a machine share its cores: OpenMP's default (every core
    // per rank) would oversubscribe them.
    set_num_threads(std::max(1, omp_get_num_procs() / comm.local_size()));
  }
  RunOptions run;
  // Resuming without a config continues with the one stored in the checkpoint.
  run.config = o.config_path.empty() ? checkpoint_config(o.out_dir + "/checkpoint.safetensors")
                                     : load_config(o.config_path);
  if (o.seed >= 0) run.config.params.seed = o.seed;
  if (o.epochs >= 0) run.config.params.epochs = o.epochs;
  if (o.max_time_hours >= 0) run.config.params.max_time = o.max_time_hours;
  run.out_dir = o.out_dir.empty() ? run.config.out_dir : o.out_dir;
  if (run.out_dir.empty()) fail("no output directory (give --out DIR)");
  run.config.out_dir = run.out_dir;
  validate_config(run.config, o.config_path.empty() ? "the checkpoint's config" : o.config_path);
  run.data_dir = o.data_dir.empty() ? default_data_dir() : o.data_dir;
  run.resume = o.resume;
  run.progress = o.progress;
  run.threads = num_threads();
  run.comm = &comm;
  run.bn_stats = o.per_rank_batch_norm ? BatchNormStats::PerRank : BatchNormStats::Global;
  if (o.cross_validation) {
    const Json cv = run_cross_validation(run);
    const std::string m = cv.at("metric").as_string();
    TrainSummary s;
    s.epochs = 0;
    for (const Json& f : cv.at("per_fold").items()) s.epochs += static_cast<int>(f.at("epochs").as_int64());
    s.stop_reason = "all folds done";
    s.metric = m;
    s.test_metric = cv.at("test_" + m + "_mean").as_double();
    s.out_dir = run.out_dir;
    return s;
  }
  const RunResult r = run_training(run);
  TrainSummary s;
  s.epochs = r.epochs;
  s.stop_reason = r.stop_reason;
  s.metric = r.metric_name;
  s.train_metric = r.train_metric;
  s.val_metric = r.val_metric;
  s.test_metric = r.test_metric;
  s.out_dir = run.out_dir;
  return s;
}

EvalSummary evaluate(const std::string& checkpoint, const std::string& split,
                     const std::string& data_dir, int64_t data_seed, const EvalProbe& probe,
                     const std::string& predictions_csv) {
  if (split != "train" && split != "val" && split != "test")
    fail("gt::evaluate: split must be train, val or test, got \"" + split + "\"");
  Config config = checkpoint_config(checkpoint);
  if (probe.zero_pe && !config.net.lap_pos_enc)
    fail(checkpoint + ": the model has no Laplacian encodings to set to zero");
  if (probe.batch_stats && !config.net.batch_norm)
    fail(checkpoint + ": the model has no BatchNorm; batch statistics apply to BatchNorm only");
  if (probe.batch_stats && (config.net.dropout > 0 || config.net.in_feat_dropout > 0))
    fail(checkpoint + ": evaluating with batch statistics runs the training-mode forward pass, "
                      "which would also drop units; the model was trained with dropout");
  if (data_seed >= 0) {  // another draw of the same generated data set
    config.data_seed = data_seed;
    validate_config(config, checkpoint + " with --data-seed");
  }
  const DataSplits data = load_splits(config, data_dir.empty() ? default_data_dir() : data_dir);
  Trainer trainer(config, data);
  trainer.load_checkpoint(checkpoint);
  trainer.set_eval_probe(probe.zero_pe, probe.batch_stats);
  const GraphDataset& d = split == "val" ? data.val : (split == "test" ? data.test : data.train);
  const GraphDataset ordered = probe.official_order ? sbm_pattern_official_order(config, split, d) : GraphDataset{};
  const GraphDataset& evaluated = probe.official_order ? ordered : d;
  std::vector<float> outputs;
  const EvalResult r = trainer.evaluate(evaluated, predictions_csv.empty() ? nullptr : &outputs);
  const Task& task = trainer.task();
  if (!predictions_csv.empty()) write_file_atomic(predictions_csv, outputs_csv(evaluated, task, outputs));
  return EvalSummary{task.metric_name(), r.metric, task.metric_alt_name(), r.metric_alt,
                     r.loss,             r.graphs,  trainer.state().epochs_done};
}

PredictSummary predict(const std::string& checkpoint, const std::string& input,
                       const std::string& out_csv, const std::string& format) {
  const PredictResult r = run_prediction(PredictOptions{checkpoint, input, format, out_csv});
  return PredictSummary{r.graphs, r.model_seconds > 0 ? r.graphs / r.model_seconds : 0.0, r.scored,
                        r.metric, r.value};
}

int64_t parameter_count(const std::string& config_path) {
  const Config config = load_config(config_path);
  GraphTransformer model(model_spec(config, data_info_of(config, default_data_dir())));
  return model.num_parameters();
}

}  // namespace gt
