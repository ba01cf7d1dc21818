// Data parallelism (SPEC-exact): P ranks train one model on the same global
// batches as one process would. Each rank takes a contiguous slice of every
// batch's graphs (balanced by node count), runs forward and backward on it,
// and the ranks exchange only what makes the result equal to one process's:
//   - the output rows (all-gather): every rank computes the loss, its
//     gradient and the metric over the whole batch, exactly as one process
//     does (per-batch class weights, masked means, per-batch accuracy);
//   - BatchNorm's per-channel sums (nn/modules.cpp, unless per-rank stats);
//   - the parameter gradients (one all-reduce of the flat gradient store:
//     the parameters live in one buffer, so this is one fused bucket).
// Shuffling, PE sign flips and dropout masks are drawn identically on every
// rank (same seed; dropout by global row position), so the Adam step is the
// same everywhere and the parameters stay equal without being broadcast.
#include "core/profile.h"
#include "train/trainer.h"

namespace gt {

namespace {

// Rank r's graphs of a batch: [begin[r], begin[r + 1]). Contiguous slices with
// about total_nodes / P nodes each: rank r starts at the first graph whose
// node prefix reaches r * total / P.
std::vector<int32_t> shard_bounds(const GraphDataset& split, const int32_t* indices, int32_t count,
                                  int P) {
  std::vector<int64_t> prefix(count + 1, 0);
  for (int32_t b = 0; b < count; ++b) prefix[b + 1] = prefix[b] + split.graphs[indices[b]].num_nodes;
  std::vector<int32_t> begin(P + 1, count);
  int32_t g = 0;
  for (int r = 0; r < P; ++r) {
    while (g < count && prefix[g] * P < r * prefix[count]) ++g;
    begin[r] = g;
  }
  begin[P] = count;
  return begin;
}

int64_t graph_edges(const Graph& g, bool full_graph) {
  return full_graph ? static_cast<int64_t>(g.num_nodes) * (g.num_nodes - 1) : g.num_edges();
}

}  // namespace

const GraphBatch& Trainer::collate_batch(const GraphDataset& split, const int32_t* indices,
                                         int32_t count) {
  const int P = comm_->size(), r = comm_->rank();
  const bool full = model_.spec().full_graph;
  if (P == 1) {
    collate(split, indices, count, &batch_, full);
    return batch_;
  }
  const std::vector<int32_t> bounds = shard_bounds(split, indices, count, P);
  collate(split, indices + bounds[r], bounds[r + 1] - bounds[r], &batch_, full);
  int64_t nodes = 0, edges = 0;
  for (int32_t b = 0; b < bounds[r]; ++b) {
    nodes += split.graphs[indices[b]].num_nodes;
    edges += graph_edges(split.graphs[indices[b]], full);
  }
  batch_.node_offset = nodes;
  batch_.edge_offset = edges;
  collate_targets(split, indices, count, &targets_);
  // Output rows of every rank's shard: graphs, or nodes for node-level tasks.
  shard_rows_.assign(P, 0);
  for (int q = 0; q < P; ++q)
    for (int32_t b = bounds[q]; b < bounds[q + 1]; ++b)
      shard_rows_[q] += task_->node_level() ? split.graphs[indices[b]].num_nodes : 1;
  return targets_;
}

const float* Trainer::whole_batch_outputs(const float* local, int64_t* first_row) {
  *first_row = 0;
  if (comm_->size() == 1) return local;
  GT_PROFILE("data parallel: gather outputs");
  const int64_t C = task_->num_outputs();
  std::vector<int64_t> counts(shard_rows_.size());
  int64_t total = 0;
  for (size_t q = 0; q < shard_rows_.size(); ++q) {
    counts[q] = shard_rows_[q] * C;
    if (static_cast<int>(q) < comm_->rank()) *first_row += shard_rows_[q];
    total += shard_rows_[q];
  }
  float* all = arena_.floats(total * C);
  comm_->allgather(local, all, counts);
  return all;
}

// Sums the parameter gradients over ranks; with per-rank BatchNorm
// statistics, also averages the running statistics so that evaluation (and
// the checkpoint) sees one model on every rank.
void Trainer::sum_gradients_over_ranks() {
  GT_PROFILE("data parallel: allreduce gradients");
  TensorStore& P = model_.params();
  comm_->allreduce_sum(P.grads().data(), static_cast<int64_t>(P.total()));
  if (bn_stats_ == BatchNormStats::PerRank) {
    TensorStore& B = model_.buffers();
    comm_->allreduce_sum(B.values().data(), static_cast<int64_t>(B.total()));
    const float inv = 1.0f / static_cast<float>(comm_->size());
    for (float& v : B.values()) v *= inv;
  }
}

}  // namespace gt
