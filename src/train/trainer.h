// The training protocol of SPEC §5: Adam, ReduceLROnPlateau on the
// validation loss, stop at lr < min_lr, max epochs or max time; the test
// number is the last epoch's. One Trainer owns the model, the optimiser
// state, the data order RNG and the arena, and can checkpoint all of it.
#pragma once
#include <array>
#include <functional>
#include <string>

#include "core/arena.h"
#include "core/comm.h"
#include "core/rng.h"
#include "nn/graph_transformer.h"
#include "train/config.h"
#include "train/datasets.h"
#include "train/lr_schedule.h"
#include "train/task.h"

namespace gt {

// Everything besides tensors that a checkpoint must restore for a resumed
// run to continue bit for bit.
struct TrainState {
  int epochs_done = 0;
  int64_t adam_step = 0;
  double lr = 0.0;
  ReduceLROnPlateau scheduler;
  std::array<uint64_t, 4> rng_state{};
  double elapsed_seconds = 0.0;  // training time of all previous sessions
};

// Metrics of one pass over a split (Task::metric, Task::metric_alt).
struct EvalResult {
  double loss = 0.0;        // mean of batch losses (the official code's number)
  double metric = 0.0;
  double metric_alt = 0.0;
  int64_t graphs = 0;
  // Training epochs: wall time of the epoch's steps, and of that the time in
  // collectives (data parallelism: waiting for other ranks included).
  double seconds = 0.0, comm_seconds = 0.0;
};

// Where BatchNorm takes its training-mode statistics when several ranks
// share a batch: over the global batch (what one process computes), or over
// each rank's shard (cheaper, not equal to one process; the running
// statistics are then averaged over ranks after every step).
enum class BatchNormStats { Global, PerRank };

class Trainer {
 public:
  // comm: the ranks of a data-parallel run (null: this process alone). Every
  // rank builds the same Trainer and takes its share of every global batch of
  // config.params.batch_size graphs (train/data_parallel.cpp).
  Trainer(const Config& config, const DataSplits& data, Communicator* comm = nullptr,
          BatchNormStats bn_stats = BatchNormStats::Global);

  GraphTransformer& model() { return model_; }
  TrainState& state() { return state_; }
  const Config& config() const { return config_; }

  const Task& task() const { return *task_; }

  // One optimisation step (forward, backward, Adam) on a collated batch, in
  // one process; applies the training-time PE sign flip. Returns the batch
  // loss and, when metric is given, adds the batch to it.
  float train_step(GraphBatch& batch, Task* metric = nullptr);
  // One optimisation step on the global batch split[indices[0..count)]:
  // this process's train_step, or with several ranks, this rank's shard of it
  // with the loss and its gradient computed over the whole batch and the
  // parameter gradients summed across ranks. Returns the batch loss.
  float train_step_on(const GraphDataset& split, const int32_t* indices, int32_t count,
                      Task* metric = nullptr);
  // One epoch over the training split in a freshly shuffled order.
  EvalResult train_epoch(bool show_progress);
  // Evaluation mode over a split in order; outputs (if given) receives the
  // model's output rows, [graphs (or nodes), num_outputs] row-major.
  EvalResult evaluate(const GraphDataset& split, std::vector<float>* outputs = nullptr);
  // Diagnostics for the evaluation passes (gt eval --zero-pe / --batch-stats):
  // encodings set to zero; BatchNorm with each batch's own statistics (the
  // training-mode forward pass: only for models without dropout).
  void set_eval_probe(bool zero_pe, bool batch_stats) {
    probe_zero_pe_ = zero_pe;
    probe_batch_stats_ = batch_stats;
  }
  // The output rows alone, for inputs without labels (gt predict).
  void predict(const GraphDataset& split, std::vector<float>* outputs);

  void save_checkpoint(const std::string& path) const;
  void load_checkpoint(const std::string& path);

  Arena& arena() { return arena_; }
  Communicator& comm() { return *comm_; }

 private:
  // Evaluation-mode forward over the split in order, batch by batch; visit
  // gets each batch's output rows and the batch's labels (all of the global
  // batch's rows and labels, on every rank).
  void for_each_eval_batch(const GraphDataset& split,
                           const std::function<void(const float*, const GraphBatch&)>& visit);
  void append_outputs(const float* out, const GraphBatch& batch, std::vector<float>* outputs) const;
  // The parts of a step around forward and backward.
  void begin_step(GraphBatch& batch);
  void apply_adam();
  // Forward, loss over the whole batch, backward, gradients over ranks, Adam.
  float step(GraphBatch& rows, const GraphBatch& labels, Task* metric);
  // data_parallel.cpp. Collates the global batch split[indices[0..count)]
  // into batch_: all of it alone, or this rank's shard with several ranks
  // (whose loss then reads the whole batch's labels, collated into targets_).
  // Returns the batch the loss and metric read.
  const GraphBatch& collate_batch(const GraphDataset& split, const int32_t* indices, int32_t count);
  // The whole batch's output rows: the forward's own alone, every rank's
  // gathered in batch order (an arena buffer) with several; first_row: this
  // process's first row in it.
  const float* whole_batch_outputs(const float* local, int64_t* first_row);
  void sum_gradients_over_ranks();

  Config config_;
  const DataSplits& data_;
  std::unique_ptr<Task> task_;
  GraphTransformer model_;
  TrainState state_;
  Rng rng_;
  Arena arena_;
  GraphBatch batch_;
  std::vector<int32_t> order_;
  std::unique_ptr<Communicator> own_comm_;  // one process, when no comm was given
  Communicator* comm_ = nullptr;
  BatchNormStats bn_stats_ = BatchNormStats::Global;
  GraphBatch targets_;                      // labels of the global batch (several ranks)
  std::vector<int64_t> shard_rows_;         // output rows of each rank's shard
  bool probe_zero_pe_ = false, probe_batch_stats_ = false;  // set_eval_probe
};

}  // namespace gt

namespace gt {
// The resolved config stored in a checkpoint's metadata.
Config checkpoint_config(const std::string& path);
// The data set's scheme and task stored with it (gt predict featurises with it).
DataInfo checkpoint_data_info(const std::string& path);
}  // namespace gt
