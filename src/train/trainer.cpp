#include "train/trainer.h"

#include <chrono>
#include <numeric>

#include "core/error.h"
#include "core/profile.h"
#include "ops/ops.h"
#include "train/progress.h"

namespace gt {

namespace {
constexpr float kAdamBeta1 = 0.9f, kAdamBeta2 = 0.999f, kAdamEps = 1e-8f;
}

Trainer::Trainer(const Config& config, const DataSplits& data, Communicator* comm,
                 BatchNormStats bn_stats)
    : config_(config), data_(data), task_(make_task(data.info)),
      model_(model_spec(config, data.info)),
      rng_(config.params.seed), bn_stats_(bn_stats) {
  if (!comm) own_comm_ = make_single_process_communicator();
  comm_ = comm ? comm : own_comm_.get();
  if (bn_stats_ == BatchNormStats::Global) model_.set_batch_norm_comm(comm_);
  model_.init_weights(config.params.seed);
  state_.lr = config.params.init_lr;
  state_.scheduler.factor = config.params.lr_reduce_factor;
  state_.scheduler.patience = config.params.lr_schedule_patience;
  // The data-order stream is distinct from the initialisation stream.
  rng_.reseed(config.params.seed ^ 0x5eed0fda7a0dULL);
}

void Trainer::begin_step(GraphBatch& batch) {
  arena_.reset();
  // SPEC §4: one random sign per eigenvector column, shared by the batch.
  const int k = batch.pe_dim;
  if (k > 0) {
    std::vector<float> sign(k);
    for (int c = 0; c < k; ++c) sign[c] = rng_.uniform() < 0.5 ? -1.0f : 1.0f;
    for (int32_t i = 0; i < batch.num_nodes; ++i)
      for (int c = 0; c < k; ++c) batch.pe[static_cast<size_t>(i) * k + c] *= sign[c];
  }
  TensorStore& P = model_.params();
  {
    GT_PROFILE("zero_grad");
    std::fill(P.grads().begin(), P.grads().end(), 0.0f);
  }
  // Dropout masks derive from (seed, step): the step count is in the
  // checkpoint, so a resumed run draws the same masks.
  model_.set_step(config_.params.seed, state_.adam_step);
}

void Trainer::apply_adam() {
  TensorStore& P = model_.params();
  ++state_.adam_step;
  ops::adam_step(P.values().data(), P.grads().data(), P.adam_m().data(), P.adam_v().data(),
                 static_cast<int64_t>(P.total()), static_cast<float>(state_.lr), kAdamBeta1,
                 kAdamBeta2, kAdamEps, static_cast<float>(config_.params.weight_decay),
                 state_.adam_step);
}

float Trainer::train_step(GraphBatch& batch, Task* metric) {
  GT_CHECK(comm_->size() == 1, "train_step takes a whole batch: with several ranks use train_step_on");
  return step(batch, batch, metric);
}

float Trainer::train_step_on(const GraphDataset& split, const int32_t* indices, int32_t count,
                             Task* metric) {
  const GraphBatch& labels = collate_batch(split, indices, count);
  return step(batch_, labels, metric);
}

// Forward on this process's rows (`rows`), loss and metric over the whole
// batch (`labels`: the same batch alone, the global batch's labels with
// several ranks), backward from this process's rows of the output gradient,
// gradients summed over ranks, Adam.
float Trainer::step(GraphBatch& rows, const GraphBatch& labels, Task* metric) {
  begin_step(rows);
  int64_t first_row = 0;
  const float* out = whole_batch_outputs(model_.forward(rows, true, arena_), &first_row);
  const int64_t C = task_->num_outputs();
  float* d_out = arena_.floats((task_->node_level() ? labels.num_nodes : labels.num_graphs) * C);
  float loss;
  {
    GT_PROFILE("task loss and metric");
    loss = task_->loss(out, labels, d_out);
    if (metric) metric->add(out, labels);
  }
  model_.backward(d_out + first_row * C, arena_);
  if (comm_->size() > 1) sum_gradients_over_ranks();
  apply_adam();
  return loss;
}

EvalResult Trainer::train_epoch(bool show_progress) {
  const GraphDataset& train = data_.train;
  const int32_t n = static_cast<int32_t>(train.graphs.size());
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0);
  rng_.shuffle(order_.data(), order_.size());
  const int32_t bs = config_.params.batch_size;
  const int steps = (n + bs - 1) / bs;
  ProgressBar bar(show_progress, "epoch " + std::to_string(state_.epochs_done + 1), steps);
  EvalResult r;
  task_->reset();
  const auto t0 = std::chrono::steady_clock::now();
  const double comm0 = comm_->seconds_in_collectives();
  for (int s = 0; s < steps; ++s) {
    const int32_t count = std::min(bs, n - s * bs);
    const float loss =
        train_step_on(train, order_.data() + static_cast<size_t>(s) * bs, count, task_.get());
    r.loss += loss;
    bar.update(s + 1, r.loss / (s + 1));
  }
  bar.finish();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.comm_seconds = comm_->seconds_in_collectives() - comm0;
  r.loss /= std::max(steps, 1);
  r.graphs = n;
  r.metric = task_->metric();
  r.metric_alt = task_->metric_alt();
  return r;
}

void Trainer::for_each_eval_batch(
    const GraphDataset& split, const std::function<void(const float*, const GraphBatch&)>& visit) {
  const int32_t n = static_cast<int32_t>(split.graphs.size());
  std::vector<int32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  const int32_t bs = config_.params.batch_size;
  for (int32_t b0 = 0; b0 < n; b0 += bs) {
    const GraphBatch& labels = collate_batch(split, idx.data() + b0, std::min(bs, n - b0));
    if (probe_zero_pe_) std::fill(batch_.pe.begin(), batch_.pe.end(), 0.0f);
    arena_.reset();
    int64_t first_row;
    visit(whole_batch_outputs(model_.forward(batch_, probe_batch_stats_, arena_), &first_row),
          labels);
  }
}

void Trainer::append_outputs(const float* out, const GraphBatch& batch,
                             std::vector<float>* outputs) const {
  const int64_t rows = task_->node_level() ? batch.num_nodes : batch.num_graphs;
  outputs->insert(outputs->end(), out, out + rows * task_->num_outputs());
}

EvalResult Trainer::evaluate(const GraphDataset& split, std::vector<float>* outputs) {
  EvalResult r;
  int batches = 0;
  task_->reset();
  if (outputs) outputs->clear();
  for_each_eval_batch(split, [&](const float* out, const GraphBatch& batch) {
    if (outputs) append_outputs(out, batch, outputs);
    r.loss += task_->loss(out, batch, nullptr);
    task_->add(out, batch);
    ++batches;
  });
  r.loss /= std::max(batches, 1);
  r.graphs = static_cast<int64_t>(split.graphs.size());
  r.metric = task_->metric();
  r.metric_alt = task_->metric_alt();
  return r;
}

void Trainer::predict(const GraphDataset& split, std::vector<float>* outputs) {
  outputs->clear();
  for_each_eval_batch(split, [&](const float* out, const GraphBatch& batch) {
    append_outputs(out, batch, outputs);
  });
}

}  // namespace gt
