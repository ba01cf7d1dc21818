// gt info, gt eval (gt bench is in cmd_bench.cpp).
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "gt/gt.h"
#include "core/parallel.h"
#include "train/datasets.h"
#include "train/trainer.h"

namespace gt::cli {

int cmd_info(int argc, char** argv) {
  Args args("info", "gt info --config FILE");
  args.option("config", "official-format JSON config").flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (!args.has("config")) fail("--config FILE is required\n" + args.help());
  const Config config = load_config(args.get("config"));
  GraphTransformer model(model_spec(config, data_info_of(config, default_data_dir())));
  std::printf("model: %s on %s (L=%d, hidden_dim=%d, n_heads=%d, %s, %s, %s)\n",
              config.model.c_str(), config.dataset.c_str(), config.net.L, config.net.hidden_dim,
              config.net.n_heads, config.net.batch_norm ? "BatchNorm" : (config.net.layer_norm ? "LayerNorm" : "no norm"),
              config.net.lap_pos_enc ? ("LapPE k=" + std::to_string(config.net.pos_enc_dim)).c_str() : "no PE",
              model.spec().edge_features ? "edge features" : "no edge features");
  std::fputs(model.describe().c_str(), stdout);
  std::printf("parameters: %lld\n", static_cast<long long>(model.num_parameters()));
  return 0;
}

int cmd_eval(int argc, char** argv) {
  Args args("eval",
             "gt eval --checkpoint FILE [--split val|test|train] [--data-seed S] [--zero-pe] [--batch-stats]\n"
             "        [--official-order] [--predictions FILE]");
  args.option("checkpoint", "a checkpoint written by gt train")
      .option("split", "val, test or train (default: test)")
      .option("data-seed", "SBM models: evaluate on that split of another generated draw (generator seed S)")
      .flag("zero-pe", "diagnostic: every Laplacian encoding set to 0 (does the model use them?)")
      .flag("batch-stats", "diagnostic: BatchNorm with each batch's own statistics, not the running ones")
      .flag("official-order",
            "SBM_PATTERN: the split in the official generator's order (graphs grouped by pattern instance)")
      .option("predictions", "write the model's outputs to this CSV (a row per node or per graph)")
      .option("data-dir", "data directory (default: the repository's data/)")
      .option("threads", "CPU threads (default: all cores)")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (!args.has("checkpoint")) fail("--checkpoint FILE is required\n" + args.help());
  if (args.has("threads")) set_num_threads(static_cast<int>(args.get_int("threads", 0, 1)));
  const std::string split = args.get("split", "test");
  const int64_t data_seed = args.has("data-seed") ? args.get_int("data-seed", 0, 0) : -1;
  EvalProbe probe;
  probe.zero_pe = args.has("zero-pe");
  probe.batch_stats = args.has("batch-stats");
  probe.official_order = args.has("official-order");
  const EvalSummary r =
      evaluate(args.get("checkpoint"), split, args.get("data-dir"), data_seed, probe, args.get("predictions"));
  std::string label = data_seed >= 0 ? split + " (data seed " + std::to_string(data_seed) + ")" : split;
  if (probe.zero_pe) label += " (encodings zeroed)";
  if (probe.batch_stats) label += " (BatchNorm batch statistics)";
  if (probe.official_order) label += " (official order)";
  std::printf("%s %s: %.4f (%s %.4f; loss %.4f; %lld graphs; checkpoint after epoch %d)\n",
              label.c_str(), r.metric.c_str(), r.value, r.metric_alt.c_str(), r.value_alt, r.loss,
              static_cast<long long>(r.graphs), r.epochs_done);
  return 0;
}

}  // namespace gt::cli
