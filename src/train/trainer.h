// The training protocol of SPEC §5: Adam, ReduceLROnPlateau on the
// validation loss, stop at lr < min_lr, max epochs or max time; the test
// number is the last epoch's. One Trainer owns the model, the optimiser
// state, the data order RNG and the arena, and can checkpoint all of it.
#pragma once
#include <array>
#include <functional>
#include <string>

#include "core/arena.h"
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
};

class Trainer {
 public:
  Trainer(const Config& config, const DataSplits& data);

  GraphTransformer& model() { return model_; }
  TrainState& state() { return state_; }
  const Config& config() const { return config_; }

  const Task& task() const { return *task_; }

  // One optimisation step (forward, backward, Adam) on a collated batch;
  // applies the training-time PE sign flip. Returns the batch loss and,
  // when metric is given, adds the batch to it.
  float train_step(GraphBatch& batch, Task* metric = nullptr);
  // One epoch over the training split in a freshly shuffled order.
  EvalResult train_epoch(bool show_progress);
  // Evaluation mode over a split in order; outputs (if given) receives the
  // model's output rows, [graphs (or nodes), num_outputs] row-major.
  EvalResult evaluate(const GraphDataset& split, std::vector<float>* outputs = nullptr);
  // The output rows alone, for inputs without labels (gt predict).
  void predict(const GraphDataset& split, std::vector<float>* outputs);

  void save_checkpoint(const std::string& path) const;
  void load_checkpoint(const std::string& path);

  Arena& arena() { return arena_; }

 private:
  // Evaluation-mode forward over the split in order, batch by batch; visit
  // gets each batch's output (batch_ holds the batch meanwhile).
  void for_each_eval_batch(const GraphDataset& split, const std::function<void(const float*)>& visit);
  void append_outputs(const float* out, std::vector<float>* outputs) const;

  Config config_;
  const DataSplits& data_;
  std::unique_ptr<Task> task_;
  GraphTransformer model_;
  TrainState state_;
  Rng rng_;
  Arena arena_;
  GraphBatch batch_;
  std::vector<int32_t> order_;
};

}  // namespace gt

namespace gt {
// The resolved config stored in a checkpoint's metadata.
Config checkpoint_config(const std::string& path);
// The data set's scheme and task stored with it (gt predict featurises with it).
DataInfo checkpoint_data_info(const std::string& path);
}  // namespace gt
