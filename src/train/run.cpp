#include "train/run.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/parallel.h"
#include "data/graph_cache.h"
#include "train/datasets.h"
#include "train/trainer.h"

namespace gt {

namespace {

std::string checkpoint_path(const std::string& dir) { return dir + "/checkpoint.safetensors"; }
std::string metrics_path(const std::string& dir) { return dir + "/metrics.jsonl"; }

// Keeps the first `lines` lines of metrics.jsonl: epochs logged after the
// last checkpoint are recomputed by the resumed run.
void truncate_metrics(const std::string& path, int lines) {
  if (!path_exists(path)) return;
  std::istringstream in(read_file(path));
  std::string kept, line;
  for (int i = 0; i < lines && std::getline(in, line); ++i) kept += line + "\n";
  write_file_atomic(path, kept);
}

void append_line(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::app);
  out << line << "\n";
  out.flush();
  if (!out) fail("cannot write " + path);
}

// Adds <split>_loss, <split>_<metric> and <split>_<metric_alt> to j.
void set_split(Json* j, const std::string& split, const EvalResult& r, const Task& task) {
  j->set(split + "_loss", r.loss);
  j->set(split + "_" + task.metric_name(), r.metric);
  j->set(split + "_" + task.metric_alt_name(), r.metric_alt);
}

Json epoch_json(int epoch, double lr, const EvalResult& train, const EvalResult& val,
                const EvalResult& test, double seconds, const Task& task) {
  Json j = Json::object();
  j.set("epoch", epoch);
  j.set("lr", lr);
  set_split(&j, "train", train, task);
  set_split(&j, "val", val, task);
  set_split(&j, "test", test, task);
  j.set("seconds", seconds);
  j.set("train_seconds", train.seconds);  // the steps alone (no evaluation)
  if (train.comm_seconds > 0) j.set("comm_seconds", train.comm_seconds);
  return j;
}

// OGB's convention beside the paper's: the test metric of the epoch with the
// best validation metric (the first such epoch), from the run's metrics.jsonl
// so that resumed runs count every epoch.
void set_best_val(Json* r, const std::string& metrics_file, const Task& task) {
  const std::string m = task.metric_name();
  const std::string text = read_file(metrics_file);
  int best_epoch = 0;
  double best_val = 0.0, best_test = 0.0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) {
      const Json j = Json::parse(text.substr(start, end - start), metrics_file);
      const double v = j.at("val_" + m).as_double();
      const bool better = task.higher_is_better() ? v > best_val : v < best_val;
      if (best_epoch == 0 || better) {
        best_epoch = static_cast<int>(j.at("epoch").as_int64());
        best_val = v;
        best_test = j.at("test_" + m).as_double();
      }
    }
    start = end + 1;
  }
  if (best_epoch == 0) return;
  r->set("best_val_epoch", best_epoch);
  r->set("best_val_" + m, best_val);
  r->set("test_" + m + "_at_best_val", best_test);
}


// Data parallelism: every rank must train the same thing. What each rank
// hashes (config, data, parameters) is compared with rank 0's; a mismatch
// ends the job on every rank with the first differing rank named.
void check_ranks_agree(Communicator& comm, uint64_t hash, const std::string& what) {
  const std::vector<uint64_t> all = comm.allgather(hash);
  for (size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0])
      fail("rank " + std::to_string(r) + "'s " + what + " differs from rank 0's: every rank of " +
           "`mpirun ... gt train` must get the same config, data and options");
}

uint64_t config_and_data_hash(const Config& cfg, const DataSplits& data, Trainer& t) {
  const std::string text = config_to_json(cfg).dump();
  uint64_t h = fnv1a64(text.data(), text.size());
  const int64_t sizes[4] = {static_cast<int64_t>(data.train.graphs.size()),
                            static_cast<int64_t>(data.val.graphs.size()),
                            static_cast<int64_t>(data.test.graphs.size()),
                            t.model().num_parameters()};
  return fnv1a64(sizes, sizeof(sizes), h);
}

// The model and optimiser state (parameters, buffers, Adam moments, step).
uint64_t model_hash(Trainer& t) {
  const TensorStore& P = t.model().params();
  const TensorStore& B = t.model().buffers();
  uint64_t h = checksum64(P.values().data(), P.values().size() * sizeof(float));
  h ^= checksum64(B.values().data(), B.values().size() * sizeof(float)) * 31;
  h ^= checksum64(P.adam_m().data(), P.adam_m().size() * sizeof(float)) * 131;
  h ^= checksum64(P.adam_v().data(), P.adam_v().size() * sizeof(float)) * 1313;
  return fnv1a64(&t.state().adam_step, sizeof(int64_t), h);
}

// Every rank reads the data; rank 0 first, so that it alone writes any cache
// (generated SBM sets, parsed user data) and the others read it.
DataSplits load_splits_in_rank_order(const Config& cfg, const std::string& data_dir,
                                     Communicator& comm) {
  if (comm.rank() == 0) {
    DataSplits d = load_splits(cfg, data_dir);
    comm.barrier();
    return d;
  }
  comm.barrier();
  return load_splits(cfg, data_dir);
}


// Resume (or start) the run's files, then print what trains. Rank 0 alone
// touches the output directory; every rank loads the checkpoint.
void begin_run(const RunOptions& opt, Communicator& comm, Trainer& trainer, const DataSplits& data) {
  const Config& cfg = opt.config;
  const bool writer = comm.rank() == 0;
  TrainState& st = trainer.state();
  if (opt.resume) {
    const std::string ckpt = checkpoint_path(opt.out_dir);
    if (!path_exists(ckpt))
      fail("--resume: no checkpoint at " + ckpt +
           (writer ? "" : " (the output directory must be on a filesystem every rank sees)"));
    trainer.load_checkpoint(ckpt);
    check_ranks_agree(comm, model_hash(trainer), "checkpoint (" + ckpt + ")");
    if (writer) {
      truncate_metrics(metrics_path(opt.out_dir), st.epochs_done);
      std::fprintf(stderr, "resumed from %s after epoch %d (lr %.3g)\n", ckpt.c_str(),
                   st.epochs_done, st.lr);
    }
  } else if (writer) {
    write_file_atomic(metrics_path(opt.out_dir), "");
  }
  if (!writer) return;
  write_file_atomic(opt.out_dir + "/config.json", config_to_json(cfg).dump(4) + "\n");
  std::fprintf(stderr, "%s: %zu/%zu/%zu graphs, %lld parameters, %d threads", cfg.dataset.c_str(),
               data.train.graphs.size(), data.val.graphs.size(), data.test.graphs.size(),
               static_cast<long long>(trainer.model().num_parameters()), num_threads());
  if (comm.size() > 1)
    std::fprintf(stderr, " per rank, %d ranks (%s), BatchNorm statistics %s", comm.size(),
                 comm.backend().c_str(),
                 opt.bn_stats == BatchNormStats::Global ? "over the global batch" : "per rank");
  std::fprintf(stderr, "\n");
}

// results.json: the run's final numbers, its provenance and its config.
Json results_json(const RunOptions& opt, Communicator& comm, Trainer& trainer,
                  const DataSplits& data, const RunResult& result, const EvalResult& train,
                  const EvalResult& val, const EvalResult& test) {
  const Config& cfg = opt.config;
  const TrainState& st = trainer.state();
  Json r = Json::object();
  r.set("dataset", cfg.dataset);
  r.set("model", cfg.model);
  r.set("seed", static_cast<long long>(cfg.params.seed));
  if (data.info.format == "sbm") r.set("data_seed", static_cast<long long>(sbm_data_seed(cfg)));
  if (!is_benchmark(cfg.dataset)) {
    r.set("data_name", data.info.name);
    r.set("format", data.info.format);
    r.set("task", data.info.task);
    r.set("loss", data.info.loss);
  }
  r.set("parameters", static_cast<long long>(trainer.model().num_parameters()));
  r.set("epochs", result.epochs);
  r.set("stop_reason", result.stop_reason);
  r.set("metric", result.metric_name);
  set_split(&r, "train", train, trainer.task());
  set_split(&r, "val", val, trainer.task());
  set_split(&r, "test", test, trainer.task());
  if (comm.rank() == 0) set_best_val(&r, metrics_path(opt.out_dir), trainer.task());
  r.set("total_seconds", st.elapsed_seconds);
  r.set("seconds_per_epoch", result.epochs > 0 ? st.elapsed_seconds / result.epochs : 0.0);
  r.set("threads", opt.threads > 0 ? opt.threads : num_threads());
  if (comm.size() > 1) {
    Json dp = Json::object();
    dp.set("ranks", comm.size());
    dp.set("backend", comm.backend());
    dp.set("batch_norm_stats", opt.bn_stats == BatchNormStats::Global ? "global" : "per_rank");
    r.set("data_parallel", dp);
  }
  r.set("config", config_to_json(cfg));
  return r;
}

}  // namespace

RunResult run_training(const RunOptions& opt) {
  const Config& cfg = opt.config;
  std::unique_ptr<Communicator> single;
  if (!opt.comm) single = make_single_process_communicator();
  Communicator& comm = opt.comm ? *opt.comm : *single;
  const bool writer = comm.rank() == 0;  // rank 0 alone writes files and logs
  if (writer) make_dirs(opt.out_dir);
  const DataSplits data = load_splits_in_rank_order(cfg, opt.data_dir, comm);
  Trainer trainer(cfg, data, &comm, opt.bn_stats);
  TrainState& st = trainer.state();
  check_ranks_agree(comm, config_and_data_hash(cfg, data, trainer), "config or data");
  begin_run(opt, comm, trainer, data);

  RunResult result;
  const double max_seconds = cfg.params.max_time * 3600.0;
  const auto session_start = std::chrono::steady_clock::now();
  const double elapsed_before = st.elapsed_seconds;
  EvalResult train, val, test;
  const char* metric = trainer.task().metric_name();
  result.metric_name = metric;
  // SPEC §5 stop rules, checked after every epoch and also before the first
  // one (a resumed run that had already stopped trains no further). Every
  // input is the same on every rank (the elapsed time is rank 0's).
  auto stop_reason = [&]() -> std::string {
    if (st.epochs_done > 0 && st.lr < cfg.params.min_lr) return "lr below min_lr";
    if (st.elapsed_seconds > max_seconds) return "max_time";
    if (st.epochs_done >= cfg.params.epochs) return "max epochs";
    return "";
  };
  const int epochs_at_start = st.epochs_done;
  result.stop_reason = stop_reason();
  while (result.stop_reason.empty()) {
    const auto t0 = std::chrono::steady_clock::now();
    train = trainer.train_epoch(opt.progress && writer);
    if (!std::isfinite(train.loss))
      fail("training diverged: the training loss of epoch " + std::to_string(st.epochs_done + 1) +
           " is not finite");
    val = trainer.evaluate(data.val);
    test = trainer.evaluate(data.test);
    const double lr_used = st.lr;
    st.lr = st.scheduler.step(val.loss, st.lr);
    ++st.epochs_done;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    st.elapsed_seconds =
        elapsed_before +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - session_start).count();
    comm.broadcast(&st.elapsed_seconds, sizeof(double), 0);
    if (comm.size() > 1) check_ranks_agree(comm, model_hash(trainer), "model after this epoch");
    if (writer) {
      append_line(metrics_path(opt.out_dir),
                  epoch_json(st.epochs_done, lr_used, train, val, test, secs, trainer.task()).dump());
      trainer.save_checkpoint(checkpoint_path(opt.out_dir));
      std::fprintf(stderr,
                   "epoch %4d  lr %.2e  train loss %.4f  val loss %.4f  val %s %.4f  test %s %.4f  %.1fs\n",
                   st.epochs_done, lr_used, train.loss, val.loss, metric, val.metric, metric,
                   test.metric, secs);
    }
    result.stop_reason = stop_reason();
  }
  // Final numbers from the last epoch's model, as the official code reports them.
  // The last epoch already evaluated val and test with this very model
  // (evaluation is deterministic); only a run that trained no epoch in this
  // session (resumed after it had stopped) evaluates them here.
  const bool evaluated = st.epochs_done > epochs_at_start;
  train = trainer.evaluate(data.train);
  if (!evaluated) {
    val = trainer.evaluate(data.val);
    test = trainer.evaluate(data.test);
  }
  result.epochs = st.epochs_done;
  result.train_metric = train.metric;
  result.val_metric = val.metric;
  result.test_metric = test.metric;

  Json r = results_json(opt, comm, trainer, data, result, train, val, test);
  if (cfg.dataset == "SBM_PATTERN") {
    // The paper's number is the batch mean over its test file, in which each
    // pattern instance's graphs are consecutive (docs/reproduction.md, PATTERN).
    const EvalResult official = trainer.evaluate(sbm_pattern_official_order(cfg, "test", data.test));
    r.set(kTestAccOfficialOrderKey, official.metric);
    if (writer)
      std::fprintf(stderr, "test acc %.4f; in the official order (graphs grouped by pattern instance) %.4f\n",
                   test.metric, official.metric);
  }
  if (writer) write_file_atomic(opt.out_dir + "/results.json", r.dump(4) + "\n");
  return result;
}

}  // namespace gt
