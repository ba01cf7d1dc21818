// gt train --config FILE [--seed N] [--out DIR] [--epochs N] [--max-time HOURS]
//          [--threads T] [--resume] [--cv] [--data-dir DIR] [--seeds 41,95,22,35]
//          [--bn-stats global|rank]
// Under mpirun -np P the ranks train one model together (data parallelism).
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "gt/gt.h"
#include "train/progress.h"

namespace gt::cli {

int cmd_train(int argc, char** argv) {
  Args args("train", "gt train --config FILE [options]");
  args.option("config", "official-format JSON config (required unless --resume finds one)")
      .option("seed", "override params.seed")
      .option("seeds", "train once per seed, one after the other, into <out>/s<seed>/ (e.g. 41,95,22,35)")
      .option("out", "output directory (default: the config's out_dir)")
      .option("epochs", "override params.epochs")
      .option("max-time", "override params.max_time (hours)")
      .option("threads", "CPU threads (default: all cores)")
      .option("data-dir", "data directory (default: the repository's data/)")
      .flag("resume", "continue from <out>/checkpoint.safetensors (--seeds: each seed that has one)")
      .option("bn-stats", "under mpirun: BatchNorm statistics over the \"global\" batch (default, as one process) or \"rank\" (each rank's share)")
      .flag("cv", "k-fold cross-validation of a TU data set (data.folds): <out>/fold_<f>, <out>/cv.json")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (!args.has("config") && !(args.has("resume") && args.has("out")))
    fail("--config FILE is required\n" + args.help());
  if (args.has("seeds") && args.has("seed"))
    fail("--seeds and --seed cannot be combined: --seeds 41,95 trains one run per seed into <out>/s<seed>/");
  if (args.has("seeds") && args.has("cv"))
    fail("--seeds and --cv cannot be combined: cross-validation runs the folds of one seed");
  TrainOptions opt;
  if (args.has("seeds")) opt.seeds = parse_seed_list(args.get("seeds"));
  opt.config_path = args.get("config");
  opt.out_dir = args.get("out");
  opt.data_dir = args.get("data-dir");
  opt.seed = args.get_int("seed", -1, 0);
  opt.epochs = static_cast<int>(args.get_int("epochs", -1, 0));
  opt.max_time_hours = args.get_double("max-time", -1, 0);
  opt.threads = static_cast<int>(args.get_int("threads", 0, 1));
  opt.resume = args.has("resume");
  opt.cross_validation = args.has("cv");
  const std::string bn = args.has("bn-stats") ? args.get("bn-stats") : "global";
  if (bn != "global" && bn != "rank")
    fail("--bn-stats \"" + bn + "\": expected \"global\" (statistics over the whole batch) or \"rank\"");
  opt.per_rank_batch_norm = bn == "rank";
  opt.progress = ProgressBar::stderr_is_terminal();
  const TrainSummary r = train(opt);
  if (distributed_rank() != 0) return 0;  // under mpirun, rank 0 alone reports
  if (opt.cross_validation) {
    std::printf("cross-validation: mean test %s over folds %.4f (%d epochs in all)\n", r.metric.c_str(),
                r.test_metric, r.epochs);
    std::printf("results: %s/cv.json\n", r.out_dir.c_str());
    return 0;
  }
  if (!opt.seeds.empty()) {
    for (size_t i = 0; i < opt.seeds.size(); ++i) {
      const TrainSummary& s = r.per_seed[i];
      std::printf("seed %lld: test %s %.4f  train %s %.4f  %d epochs (%s)  %s/results.json\n",
                  static_cast<long long>(opt.seeds[i]), s.metric.c_str(), s.test_metric, s.metric.c_str(),
                  s.train_metric, s.epochs, s.stop_reason.c_str(), s.out_dir.c_str());
    }
    if (opt.seeds.size() > 1)
      std::printf("test %s over %zu seeds: %.4f ± %.4f (sample s.d.)\n", r.metric.c_str(), opt.seeds.size(),
                  r.test_metric, r.test_metric_sd);
    else
      std::printf("test %s over 1 seed: %.4f\n", r.metric.c_str(), r.test_metric);
    return 0;
  }
  std::printf("epochs: %d (%s)\n", r.epochs, r.stop_reason.c_str());
  const char* m = r.metric == "mae" ? "MAE" : r.metric == "rmse" ? "RMSE" : r.metric == "rocauc" ? "ROC-AUC" : "accuracy";
  std::printf("train %s: %.4f\nval %s: %.4f\ntest %s: %.4f\n", m, r.train_metric, m, r.val_metric, m,
              r.test_metric);
  std::printf("results: %s/results.json\n", r.out_dir.c_str());
  return 0;
}

}  // namespace gt::cli
