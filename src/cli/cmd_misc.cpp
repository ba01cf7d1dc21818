// gt info, gt eval, gt bench.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "gt/gt.h"
#include "core/json.h"
#include "core/parallel.h"
#include "ops/ops.h"
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
  GraphTransformer model(model_spec(config, vocabulary_of(config.dataset)));
  std::printf("model: %s on %s (L=%d, hidden_dim=%d, n_heads=%d, %s, %s, %s)\n",
              config.model.c_str(), config.dataset.c_str(), config.net.L, config.net.hidden_dim,
              config.net.n_heads, config.net.batch_norm ? "BatchNorm" : (config.net.layer_norm ? "LayerNorm" : "no norm"),
              config.net.lap_pos_enc ? ("LapPE k=" + std::to_string(config.net.pos_enc_dim)).c_str() : "no PE",
              config.net.edge_feat ? "edge features" : "no edge features");
  std::fputs(model.describe().c_str(), stdout);
  std::printf("parameters: %lld\n", static_cast<long long>(model.num_parameters()));
  return 0;
}

int cmd_eval(int argc, char** argv) {
  Args args("eval", "gt eval --checkpoint FILE [--split val|test|train]");
  args.option("checkpoint", "a checkpoint written by gt train")
      .option("split", "val, test or train (default: test)")
      .option("data-dir", "data directory (default: the repository's data/)")
      .option("threads", "CPU threads (default: all cores)")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (!args.has("checkpoint")) fail("--checkpoint FILE is required\n" + args.help());
  if (args.has("threads")) set_num_threads(static_cast<int>(args.get_int("threads", 0, 1)));
  const std::string split = args.get("split", "test");
  const EvalSummary r = evaluate(args.get("checkpoint"), split, args.get("data-dir"));
  std::printf("%s %s: %.4f (%s %.4f; loss %.4f; %lld graphs; checkpoint after epoch %d)\n",
              split.c_str(), r.metric.c_str(), r.value, r.metric_alt.c_str(), r.value_alt, r.loss,
              static_cast<long long>(r.graphs), r.epochs_done);
  return 0;
}

int cmd_bench(int argc, char** argv) {
  Args args("bench", "gt bench --config FILE [--steps N] [--warmup N] [--threads T]");
  args.option("config", "official-format JSON config")
      .option("steps", "timed training steps (default 20)")
      .option("warmup", "untimed steps first (default 3)")
      .option("threads", "CPU threads (default: all cores)")
      .option("data-dir", "data directory (default: the repository's data/)")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (!args.has("config")) fail("--config FILE is required\n" + args.help());
  if (args.has("threads")) set_num_threads(static_cast<int>(args.get_int("threads", 0, 1)));
  const int steps = static_cast<int>(args.get_int("steps", 20, 1));
  const int warmup = static_cast<int>(args.get_int("warmup", 3, 0));
  const Config config = load_config(args.get("config"));
  const DataSplits data = load_splits(config, args.get("data-dir", default_data_dir()));
  Trainer trainer(config, data);
  // Real batches of the configured size, drawn as the first epoch would.
  const int32_t n = static_cast<int32_t>(data.train.graphs.size());
  const int32_t bs = std::min(config.params.batch_size, n);
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  Rng rng(config.params.seed);
  rng.shuffle(order.data(), order.size());
  const int32_t full_batches = std::max(1, n / bs);
  std::vector<double> ms;
  double nodes = 0, edges = 0;
  GraphBatch batch;
  for (int s = 0; s < warmup + steps; ++s) {
    collate(data.train, order.data() + static_cast<size_t>(s % full_batches) * bs, bs, &batch);
    const auto t0 = std::chrono::steady_clock::now();
    trainer.train_step(batch);
    const double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (s < warmup) continue;
    ms.push_back(t);
    nodes += batch.num_nodes;
    edges += batch.num_edges;
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2];
  Json j = Json::object();
  j.set("dataset", config.dataset);
  j.set("batch_size", bs);
  j.set("mean_nodes", nodes / steps);
  j.set("mean_edges", edges / steps);
  j.set("threads", num_threads());
  j.set("gemm", ops::gemm_backend());
  j.set("steps", steps);
  j.set("ms_median", median);
  j.set("ms_min", sorted.front());
  j.set("ms_max", sorted.back());
  j.set("arena_mib", static_cast<double>(trainer.arena().capacity()) / (1 << 20));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // ru_maxrss is in KiB on Linux; includes the loaded data
  j.set("peak_rss_mib", static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("gt bench: %s, batch %d graphs (%.0f nodes, %.0f edges), %d threads, GEMM %s\n",
              config.dataset.c_str(), bs, nodes / steps, edges / steps, num_threads(), ops::gemm_backend());
  std::printf("train step: median %.2f ms (min %.2f, max %.2f) over %d steps\n", median,
              sorted.front(), sorted.back(), steps);
  std::printf("%s\n", j.dump().c_str());
  return 0;
}

}  // namespace gt::cli
