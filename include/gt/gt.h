// gt: Graph Transformers in C++ — the public API.
//
// Everything a program needs to train, evaluate and inspect the models that
// the `gt` command line drives, without reaching into the engine's internal
// headers (src/). Errors are thrown as std::runtime_error (gt::Error) with a
// message that names the file, line and field at fault.
//
//   #include <gt/gt.h>
//   gt::TrainOptions opt;
//   opt.config_path = "configs/zinc_sparse_bn_lappe.json";
//   opt.out_dir = "runs/zinc";
//   gt::TrainSummary s = gt::train(opt);          // s.test_metric: test MAE
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gt {

struct TrainOptions {
  std::string config_path;    // official-format JSON config (required)
  std::string out_dir;        // default: the config's out_dir
  std::string data_dir;       // default: the source tree's data/ (or $GT_DATA_DIR)
  int64_t seed = -1;          // >= 0 overrides params.seed
  int epochs = -1;            // >= 0 overrides params.epochs
  double max_time_hours = -1; // >= 0 overrides params.max_time
  int threads = 0;            // > 0 sets the number of CPU threads
  bool resume = false;        // continue from <out_dir>/checkpoint.safetensors
  bool progress = false;      // draw a progress bar on stderr
  // k-fold cross-validation of a TU data set: every fold of the config's
  // data.folds trained into <out_dir>/fold_<f>, summary in <out_dir>/cv.json;
  // the summary's metrics are then the means over folds.
  bool cross_validation = false;
  // Several seeds (SPEC §6 reports mean ± s.d. over 4): one training per
  // seed, one after the other, into <out_dir>/s<seed>/ (out_dir as above:
  // the option or the config's). Not combined with seed >= 0 or
  // cross_validation. With resume, each seed that has a checkpoint in its
  // directory continues from it and the others start afresh.
  std::vector<int64_t> seeds;
  // Data parallelism: when this process is one of several MPI ranks
  // (`mpirun -np P gt train`, see init_mpi below), the ranks share every
  // batch of params.batch_size graphs and train one model, as one process
  // would. BatchNorm statistics are then taken over the global batch, or
  // with per_rank_batch_norm over each rank's share (running statistics
  // averaged over ranks after each step). threads = 0 gives each rank its
  // share of the machine's cores.
  bool per_rank_batch_norm = false;
};

struct TrainSummary {
  int epochs = 0;
  std::string stop_reason;   // "lr below min_lr", "max_time" or "max epochs"
  std::string metric;        // "mae" (ZINC), "acc" (SBM, TU), "rmse", "rocauc", ...
  double train_metric = 0, val_metric = 0, test_metric = 0;
  std::string out_dir;       // where metrics, checkpoint and results.json were written
  // With TrainOptions::seeds: one summary per seed (in the order given);
  // train/val/test_metric above are then the means over seeds, epochs the
  // sum, and test_metric_sd the sample s.d. of the test metric (0 for one seed).
  std::vector<TrainSummary> per_seed;
  double test_metric_sd = 0;
};

// Trains per SPEC §5 and writes config.json, metrics.jsonl, checkpoints and
// results.json into the output directory.
TrainSummary train(const TrainOptions& options);

// Data parallelism over MPI. Call init_distributed first thing in main: when
// an MPI launcher (mpirun, mpiexec, srun) started the process it joins the
// job's ranks (MPI_Init), otherwise it does nothing and gt runs alone.
// Returns this process's rank (0 alone). finalize_distributed() before exit.
// gt::Error when several ranks are launched and gt was built without MPI.
int init_distributed(int* argc, char*** argv);
void finalize_distributed();
// Ranks in the job (1 alone) and this process's rank.
int distributed_size();
int distributed_rank();
// Ends every rank of the job with this exit code (MPI_Abort); alone, exit().
[[noreturn]] void abort_distributed(int code);

// Parses a seed list such as "41,95,22,35" (comma-separated non-negative
// integers, no duplicates). gt::Error naming each bad item, e.g.
// `--seeds "41,,x": item 2 is empty; item 3 "x" is not a non-negative integer`.
std::vector<int64_t> parse_seed_list(const std::string& text);

struct EvalSummary {
  std::string metric;         // "mae" or "acc"
  double value = 0;           // the reported metric (per-graph MAE; SBM: batch-mean accuracy)
  std::string metric_alt;     // "mae_batch_mean" or "acc_whole_split"
  double value_alt = 0;       // the metric computed the other way
  double loss = 0;            // mean of batch losses
  int64_t graphs = 0;
  int epochs_done = 0;        // the checkpoint's epoch
};

// Diagnostics for evaluate(): what a trained model relies on.
struct EvalProbe {
  // Every Laplacian encoding set to 0 (the PE layer then adds only its bias):
  // how much the model uses its encodings. Models with LapPE only.
  bool zero_pe = false;
  // BatchNorm normalises with each evaluation batch's own statistics instead
  // of the running ones: whether training-mode and evaluation-mode
  // normalisation disagree. BatchNorm models without dropout only.
  bool batch_stats = false;
  // SBM_PATTERN only: the split's graphs in the official generator's order,
  // each pattern instance's graphs consecutive, instead of gt's shuffled
  // order. The reported accuracy is a mean over batches of per-batch class
  // recall, so it depends on which graphs share a batch.
  bool official_order = false;
};

// Evaluates a checkpoint written by train() on "train", "val" or "test".
// data_seed >= 0 (SBM models only): on that split of another generated draw
// of the data set instead of the one the model was trained with.
// predictions_csv (optional) receives the model's outputs: node-level models
// a row per node (graph, node, label, predicted class, one output per class),
// graph-level models a row per graph (graph, targets, outputs); graphs are
// numbered in the evaluated order (EvalProbe::official_order's, if set).
EvalSummary evaluate(const std::string& checkpoint, const std::string& split,
                     const std::string& data_dir = "", int64_t data_seed = -1,
                     const EvalProbe& probe = {}, const std::string& predictions_csv = "");

struct PredictSummary {
  int64_t graphs = 0;
  double graphs_per_second = 0;  // forward passes only (featurisation excluded)
  bool scored = false;           // the input carried labels
  std::string metric;            // then: the model's metric over them
  double value = 0;
};

// Applies a checkpoint trained on users' data (OGB, TU, SMILES CSV) to new
// graphs at `input` and, with a non-empty out_csv, writes one row per graph
// (as `gt predict`). format "" takes the model's.
PredictSummary predict(const std::string& checkpoint, const std::string& input,
                       const std::string& out_csv = "", const std::string& format = "");

// Exact number of trainable parameters of the model a config describes.
int64_t parameter_count(const std::string& config_path);

}  // namespace gt
