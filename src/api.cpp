// The public API (include/gt/gt.h) on top of the engine.
#include "gt/gt.h"

#include "core/error.h"
#include "core/parallel.h"
#include "train/cross_validation.h"
#include "train/datasets.h"
#include "train/predict.h"
#include "train/run.h"
#include "train/trainer.h"

namespace gt {

TrainSummary train(const TrainOptions& o) {
  if (o.config_path.empty() && !(o.resume && !o.out_dir.empty()))
    fail("gt::train: a config path is required (or resume with an output directory)");
  if (o.threads > 0) set_num_threads(o.threads);
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
  return TrainSummary{r.epochs,       r.stop_reason,  r.metric_name, r.train_metric,
                      r.val_metric,   r.test_metric,  run.out_dir};
}

EvalSummary evaluate(const std::string& checkpoint, const std::string& split,
                     const std::string& data_dir) {
  if (split != "train" && split != "val" && split != "test")
    fail("gt::evaluate: split must be train, val or test, got \"" + split + "\"");
  const Config config = checkpoint_config(checkpoint);
  const DataSplits data = load_splits(config, data_dir.empty() ? default_data_dir() : data_dir);
  Trainer trainer(config, data);
  trainer.load_checkpoint(checkpoint);
  const GraphDataset& d = split == "val" ? data.val : (split == "test" ? data.test : data.train);
  const EvalResult r = trainer.evaluate(d);
  const Task& task = trainer.task();
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
