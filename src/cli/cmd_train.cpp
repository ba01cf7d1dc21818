// gt train --config FILE [--seed N] [--out DIR] [--epochs N] [--max-time HOURS]
//          [--threads T] [--resume] [--data-dir DIR]
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/parallel.h"
#include "train/datasets.h"
#include "train/progress.h"
#include "train/run.h"
#include "train/trainer.h"

namespace gt::cli {

int cmd_train(int argc, char** argv) {
  Args args("train", "gt train --config FILE [options]");
  args.option("config", "official-format JSON config (required unless --resume finds one)")
      .option("seed", "override params.seed")
      .option("out", "output directory (default: the config's out_dir)")
      .option("epochs", "override params.epochs")
      .option("max-time", "override params.max_time (hours)")
      .option("threads", "CPU threads (default: all cores)")
      .option("data-dir", "data directory (default: the repository's data/)")
      .flag("resume", "continue from <out>/checkpoint.safetensors")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (args.has("threads")) set_num_threads(static_cast<int>(args.get_int("threads", 0, 1)));
  RunOptions opt;
  if (!args.has("config") && !(args.has("resume") && args.has("out")))
    fail("--config FILE is required\n" + args.help());
  opt.out_dir = args.get("out");
  if (args.has("config")) {
    opt.config = load_config(args.get("config"));
  } else {
    opt.config = checkpoint_config(opt.out_dir + "/checkpoint.safetensors");
  }
  if (opt.out_dir.empty()) opt.out_dir = opt.config.out_dir;
  if (opt.out_dir.empty()) fail("no output directory (give --out DIR)");
  if (args.has("seed")) opt.config.params.seed = static_cast<uint64_t>(args.get_int("seed", 0, 0));
  if (args.has("epochs")) opt.config.params.epochs = static_cast<int>(args.get_int("epochs", 0, 0));
  if (args.has("max-time")) opt.config.params.max_time = args.get_double("max-time", 0, 0);
  opt.config.out_dir = opt.out_dir;
  validate_config(opt.config, "command line");
  opt.data_dir = args.get("data-dir", default_data_dir());
  opt.resume = args.has("resume");
  opt.progress = ProgressBar::stderr_is_terminal();
  opt.threads = num_threads();
  const RunResult r = run_training(opt);
  std::printf("epochs: %d (%s)\n", r.epochs, r.stop_reason.c_str());
  const char* m = r.metric_name == "mae" ? "MAE" : "accuracy";
  std::printf("train %s: %.4f\nval %s: %.4f\ntest %s: %.4f\n", m, r.train_metric, m, r.val_metric, m,
              r.test_metric);
  std::printf("results: %s/results.json\n", opt.out_dir.c_str());
  return 0;
}

}  // namespace gt::cli
