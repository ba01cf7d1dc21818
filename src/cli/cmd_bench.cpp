// gt bench: milliseconds per training step (forward, backward, Adam) and
// inference throughput on real batches, the GEMM work of a step (FLOPs
// counted in ops::sgemm), the GEMM peak of this machine measured in the same
// run, and peak resident memory. The last line of output is one JSON object
// whose keys are stable (bench/report.py and anyone tracking numbers read it).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/gemm_floor.h"
#include "core/error.h"
#include "core/json.h"
#include "core/profile.h"
#include "core/parallel.h"
#include "core/safetensors.h"
#include "ops/flops.h"
#include "ops/ops.h"
#include "train/datasets.h"
#include "train/dump_batch.h"
#include "train/trainer.h"

namespace gt::cli {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Order statistics of a sample by nearest rank: element round(q * (n - 1)) of
// the sorted sample (the median of an even sample is the upper middle one).
// bench/pytorch_step.py uses the same rule.
struct Summary {
  double median = 0, p10 = 0, p90 = 0, min = 0, max = 0;
};

Summary summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto at = [&v](double q) {
    return v[static_cast<size_t>(std::lround(q * static_cast<double>(v.size() - 1)))];
  };
  return {at(0.5), at(0.1), at(0.9), v.front(), v.back()};
}

// What is timed: the config's model on real training batches drawn as the
// first epoch would draw them, or a parity dump's model, initial weights and
// batch (the batch bench/pytorch_step.py times).
struct Workload {
  Config config;
  DataSplits data;  // the splits, or (dump) only the vocabulary
  std::string source;
  bool from_dump = false;
  GraphBatch fixed;             // dump: the one batch
  std::vector<int32_t> order;   // config: epoch-1 order of the training split
  int32_t batch_size = 0;

  GraphBatch& batch(int step, GraphBatch* scratch) {
    if (from_dump) return fixed;
    const int32_t full = std::max<int32_t>(1, static_cast<int32_t>(order.size()) / batch_size);
    collate(data.train, order.data() + static_cast<size_t>(step % full) * batch_size, batch_size,
            scratch, config.net.full_graph);
    return *scratch;
  }
};

void load_from_config(const std::string& path, const std::string& data_dir, Workload* w) {
  w->config = load_config(path);
  w->data = load_splits(w->config, data_dir);
  const int32_t n = static_cast<int32_t>(w->data.train.graphs.size());
  if (n == 0) fail(path + ": the training split is empty");
  w->batch_size = std::min(w->config.params.batch_size, n);
  w->order.resize(n);
  std::iota(w->order.begin(), w->order.end(), 0);
  Rng rng(w->config.params.seed);
  rng.shuffle(w->order.data(), w->order.size());
  w->source = "training batches";
}

struct TrainTiming {
  std::vector<double> ms;
  double graphs = 0, nodes = 0, edges = 0;  // totals over the timed steps
  uint64_t gemm_flops = 0;                  // over the timed steps
};

TrainTiming time_training(Trainer& trainer, Workload& w, int warmup, int steps) {
  TrainTiming r;
  GraphBatch scratch;
  for (int s = 0; s < warmup + steps; ++s) {
    GraphBatch& batch = w.batch(s, &scratch);
    if (s == warmup) ops::reset_gemm_flops();
    const auto t0 = Clock::now();
    trainer.train_step(batch);
    const double t = ms_since(t0);
    if (s < warmup) continue;
    r.ms.push_back(t);
    r.graphs += batch.num_graphs;
    r.nodes += batch.num_nodes;
    r.edges += batch.num_edges;
  }
  r.gemm_flops = ops::gemm_flops();
  return r;
}

struct InferTiming {
  std::vector<double> ms;
  double graphs = 0, nodes = 0;  // totals over the timed batches
};

// Eval-mode forward passes (BatchNorm running statistics, no backward), as
// gt eval runs them, on the same batches as the training steps.
InferTiming time_inference(Trainer& trainer, Workload& w, int warmup, int steps) {
  InferTiming r;
  GraphBatch scratch;
  for (int s = 0; s < warmup + steps; ++s) {
    GraphBatch& batch = w.batch(s, &scratch);
    trainer.arena().reset();
    const auto t0 = Clock::now();
    trainer.model().forward(batch, false, trainer.arena());
    const double t = ms_since(t0);
    if (s < warmup) continue;
    r.ms.push_back(t);
    r.graphs += batch.num_graphs;
    r.nodes += batch.num_nodes;
  }
  return r;
}

// GFLOP/s of ops::sgemm on an n x n x n problem (C = A B), one untimed call
// and then `reps` timed ones, at the current thread count.
Summary gemm_peak(int n, int reps) {
  std::vector<double> gflops;
  for (double ms : time_sgemm_ms({false, false, n, n, n}, reps))
    gflops.push_back(2.0 * n * n * static_cast<double>(n) / (ms * 1e6));
  return summarize(gflops);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // ru_maxrss is in KiB on Linux
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The sgemm calls of one training step on the first timed batch.
std::vector<ops::GemmShape> gemm_calls_of_step(Trainer& trainer, Workload& w) {
  std::vector<ops::GemmShape> log;
  GraphBatch scratch;
  GraphBatch& batch = w.batch(0, &scratch);
  ops::set_gemm_log(&log);
  trainer.train_step(batch);
  ops::set_gemm_log(nullptr);
  return log;
}

struct Measurements {
  Summary train, infer, peak;
  GemmFloor floor;
  TrainTiming t;
  InferTiming inf;
  double rss_mib = 0, arena_mib = 0;
  int64_t params = 0;
  int steps = 0, warmup = 0, peak_size = 0, peak_reps = 0;
};

Json to_json(const Workload& w, const Measurements& m) {
  const double n = m.steps, gflop = static_cast<double>(m.t.gemm_flops) / n / 1e9;
  const double eff = gflop / (m.train.median / 1e3);
  Json j = Json::object();
  j.set("dataset", w.config.dataset);
  j.set("source", w.source);
  j.set("batch_size", static_cast<int>(std::lround(m.t.graphs / n)));
  j.set("mean_nodes", m.t.nodes / n);
  j.set("mean_edges", m.t.edges / n);
  j.set("params", m.params);
  j.set("threads", num_threads());
  j.set("gemm", ops::gemm_backend());
  j.set("steps", m.steps);
  j.set("warmup", m.warmup);
  j.set("ms_median", m.train.median);
  j.set("ms_p10", m.train.p10);
  j.set("ms_p90", m.train.p90);
  j.set("ms_min", m.train.min);
  j.set("ms_max", m.train.max);
  j.set("flops_counted", "gemm");
  j.set("gemm_gflop_per_step", gflop);
  j.set("effective_gflops", eff);
  j.set("gemm_peak_gflops", m.peak.max);
  j.set("gemm_peak_median_gflops", m.peak.median);
  j.set("gemm_peak_size", m.peak_size);
  j.set("peak_fraction", eff / m.peak.max);
  j.set("gemm_floor_ms", m.floor.ms);
  j.set("gemm_floor_gflops", m.floor.gflop / (m.floor.ms / 1e3));
  j.set("gemm_floor_calls", m.floor.calls);
  j.set("gemm_floor_shapes", m.floor.shapes);
  j.set("infer_ms_median", m.infer.median);
  j.set("infer_graphs_per_s", m.inf.graphs / n / (m.infer.median / 1e3));
  j.set("infer_nodes_per_s", m.inf.nodes / n / (m.infer.median / 1e3));
  j.set("arena_mib", m.arena_mib);
  j.set("peak_rss_mib", m.rss_mib);
  return j;
}

void print_report(const Workload& w, const Measurements& m, const Json& j) {
  std::printf("gt bench: %s, %s: %d graphs (%.0f nodes, %.0f edges) per batch, %d threads, GEMM %s\n",
              w.config.dataset.c_str(), w.source.c_str(), j.at("batch_size").as_int(),
              j.at("mean_nodes").as_double(), j.at("mean_edges").as_double(), num_threads(),
              ops::gemm_backend());
  std::printf("train step: median %.2f ms (p10 %.2f, p90 %.2f; min %.2f, max %.2f) over %d steps "
              "after %d warm-up\n",
              m.train.median, m.train.p10, m.train.p90, m.train.min, m.train.max, m.steps, m.warmup);
  std::printf("GEMM work: %.3f GFLOP per step, %.1f GFLOP/s effective (only GEMM FLOPs are "
              "counted: attention, norms, element-wise ops and Adam are not)\n",
              j.at("gemm_gflop_per_step").as_double(), j.at("effective_gflops").as_double());
  std::printf("GEMM peak: %.1f GFLOP/s (sgemm %d^3, best of %d; median %.1f); a step runs at "
              "%.1f%% of it\n",
              m.peak.max, m.peak_size, m.peak_reps, m.peak.median,
              100.0 * j.at("peak_fraction").as_double());
  std::printf("GEMM floor: the step's %d sgemm calls (%d distinct problems), each replayed alone "
              "in cache, best of %d: %.2f ms (%.1f GFLOP/s), %.0f%% of the step's median\n",
              m.floor.calls, m.floor.shapes, m.peak_reps, m.floor.ms,
              j.at("gemm_floor_gflops").as_double(), 100.0 * m.floor.ms / m.train.median);
  std::printf("inference (eval mode, forward only): median %.2f ms per batch, %.0f graphs/s, "
              "%.0f nodes/s\n",
              m.infer.median, j.at("infer_graphs_per_s").as_double(),
              j.at("infer_nodes_per_s").as_double());
  std::printf("peak RSS: %.1f MiB (arena %.1f MiB)\n", m.rss_mib, m.arena_mib);
  std::printf("%s\n", j.dump().c_str());
}

// --profile: a further `steps` training steps with every op timed
// (core/profile.h), printed as exclusive milliseconds per step by op. Runs
// after the plain timing so that the timer calls do not touch its numbers.
void print_profile(Trainer& trainer, Workload& w, int steps) {
  profile::reset();
  profile::enable(true);
  GraphBatch scratch;
  double total_ms = 0.0;
  for (int s = 0; s < steps; ++s) {
    GraphBatch& batch = w.batch(s, &scratch);
    const auto t0 = Clock::now();
    {
      GT_PROFILE("train_step (outside ops)");
      trainer.train_step(batch);
    }
    total_ms += ms_since(t0);
  }
  profile::enable(false);
  std::printf("profile over %d training steps (exclusive time: nested ops are not counted twice)\n",
              steps);
  std::printf("  %-28s %10s %7s %11s\n", "op", "ms/step", "share", "calls/step");
  for (const profile::Entry& e : profile::entries())
    std::printf("  %-28s %10.2f %6.1f%% %11.1f\n", e.name.c_str(), e.exclusive_ms / steps,
                100.0 * e.exclusive_ms / total_ms, static_cast<double>(e.calls) / steps);
  std::printf("  %-28s %10.2f\n", "step (wall)", total_ms / steps);
}

}  // namespace

int cmd_bench(int argc, char** argv) {
  Args args("bench", "gt bench (--config FILE | --dump FILE) [--steps N] [--warmup N] [--threads T]");
  args.option("config", "official-format JSON config: time real training batches of its size")
      .option("dump", "parity dump (tests/cpp/tool_parity_dump): time its model, weights and batch")
      .option("steps", "timed training steps, and timed inference batches (default 20)")
      .option("warmup", "untimed steps first (default 3)")
      .option("threads", "CPU threads (default: all cores)")
      .option("data-dir", "data directory (default: the repository's data/)")
      .option("peak-size", "n of the n x n x n sgemm that measures the GEMM peak (default 2048)")
      .option("peak-reps", "timed repetitions of that sgemm and of each GEMM-floor problem (default 5)")
      .flag("profile", "then time every op over --steps more steps and print the breakdown")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (args.has("config") == args.has("dump"))
    fail("exactly one of --config FILE and --dump FILE is required\n" + args.help());
  if (args.has("threads")) set_num_threads(static_cast<int>(args.get_int("threads", 0, 1)));
  Measurements m;
  m.steps = static_cast<int>(args.get_int("steps", 20, 1));
  m.warmup = static_cast<int>(args.get_int("warmup", 3, 0));
  m.peak_size = static_cast<int>(args.get_int("peak-size", 2048, 16));
  m.peak_reps = static_cast<int>(args.get_int("peak-reps", 5, 1));

  Workload w;
  std::unique_ptr<Trainer> trainer;
  if (args.has("dump")) {
    const SafetensorsFile dump = SafetensorsFile::read(args.get("dump"));
    w.config = dump_config(dump);
    w.data.info = benchmark_info(w.config.dataset);
    w.data.train = w.data.info.scheme(w.config.net.lap_pos_enc ? w.config.net.pos_enc_dim : 0);
    w.fixed = dump_batch(dump, w.config);
    w.from_dump = true;
    w.source = "dump " + args.get("dump");
    trainer = std::make_unique<Trainer>(w.config, w.data);
    load_dump_weights(dump, &trainer->model());
    const auto lr = dump.metadata().find("lr");  // the learning rate the PyTorch side uses
    if (lr != dump.metadata().end()) trainer->state().lr = std::stod(lr->second);
  } else {
    load_from_config(args.get("config"), args.get("data-dir", default_data_dir()), &w);
    trainer = std::make_unique<Trainer>(w.config, w.data);
  }
  m.params = trainer->model().num_parameters();
  m.t = time_training(*trainer, w, m.warmup, m.steps);
  m.train = summarize(m.t.ms);
  m.inf = time_inference(*trainer, w, m.warmup, m.steps);
  m.infer = summarize(m.inf.ms);
  m.arena_mib = static_cast<double>(trainer->arena().capacity()) / (1 << 20);
  m.rss_mib = peak_rss_mib();  // before the GEMM peak's own buffers
  m.peak = gemm_peak(m.peak_size, m.peak_reps);
  m.floor = gemm_floor(gemm_calls_of_step(*trainer, w), m.peak_reps);
  if (args.has("profile")) print_profile(*trainer, w, m.steps);
  print_report(w, m, to_json(w, m));
  return 0;
}

}  // namespace gt::cli
