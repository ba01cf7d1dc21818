// Data parallelism against one process, run under `mpirun -np 2` (ctest
// data_parallel_mpi). Every rank trains the same model twice on the same
// global batches: alone (the reference, a Trainer without a communicator)
// and as one of the job's ranks (its shard of every batch). Losses, metrics,
// parameters and evaluation outputs must agree to floating-point
// reduction-order tolerance, and the ranks' parameters must be identical.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include "../cpp/random_splits.h"
#include "core/comm.h"
#include "data/graph_cache.h"
#include "train/config.h"
#include "train/datasets.h"
#include "train/trainer.h"

namespace gt {
namespace {

// Largest |a - b| / (1 + |b|): relative for large values, absolute near 0.
double max_rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  double m = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    m = std::max(m, std::fabs(double(a[i]) - b[i]) / (1.0 + std::fabs(double(b[i]))));
  return m;
}

// Biases that feed a BatchNorm directly (post-norm: O and FFN_2 outputs):
// their gradient is zero in exact arithmetic, as BatchNorm subtracts any
// per-channel constant, so what is computed is rounding noise, which Adam
// turns into steps of up to +-lr whatever its size. One process and P ranks
// round differently, so these entries may differ by up to steps * lr (and
// nothing downstream depends on them).
bool feeds_batch_norm(const std::string& name) {
  for (const char* s : {"O_h.bias", "O_e.bias", "FFN_h_layer2.bias", "FFN_e_layer2.bias"})
    if (name.size() >= std::strlen(s) && name.compare(name.size() - std::strlen(s), std::string::npos, s) == 0)
      return true;
  return false;
}

// Parameters of two trainers after `steps` Adam steps: relative tolerance,
// except the BatchNorm-fed biases above (steps * lr). Returns the worst
// relative difference of the others.
double param_diff(const TensorStore& a, const TensorStore& b, int64_t steps, double lr, bool bn) {
  double worst = 0;
  for (const TensorInfo& t : a.infos()) {
    const bool noise_only = bn && feeds_batch_norm(t.name);
    for (size_t i = t.offset; i < t.offset + t.size; ++i) {
      const double d = std::fabs(double(a.values()[i]) - b.values()[i]);
      if (noise_only)
        EXPECT_LE(d, steps * lr * 1.001) << t.name;
      else
        worst = std::max(worst, d / (1.0 + std::fabs(double(b.values()[i]))));
    }
  }
  return worst;
}

// Gradients agree relative to each tensor's largest gradient (BatchNorm-fed
// biases, whose gradients are rounding noise, excepted).
double grad_diff(const TensorStore& a, const TensorStore& b) {
  double worst = 0;
  for (const TensorInfo& t : a.infos()) {
    if (feeds_batch_norm(t.name)) continue;
    double scale = 1e-12;
    for (size_t i = t.offset; i < t.offset + t.size; ++i) scale = std::max(scale, double(std::fabs(b.grads()[i])));
    for (size_t i = t.offset; i < t.offset + t.size; ++i) {
      const double d = std::fabs(double(a.grads()[i]) - b.grads()[i]) / scale;
      EXPECT_LT(d, 1e-3) << t.name << "[" << i - t.offset << "]: " << a.grads()[i] << " vs " << b.grads()[i];
      worst = std::max(worst, d);
    }
  }
  return worst;
}

uint64_t hash_of(const std::vector<float>& v) { return checksum64(v.data(), v.size() * sizeof(float)); }

// ZINC as shipped (data/), the tiny test config: 2 layers, d = 16.
Config zinc_config() {
  Config c = load_config(std::string(GT_SOURCE_DIR) + "/tests/data/tiny_zinc.json");
  c.max_num_graphs = 160;
  c.params.batch_size = 32;
  return c;
}

const DataSplits& zinc_data() {
  static const DataSplits d = [] {
    Communicator& w = world();
    // Rank 0 first: it may write the graph cache the others then read.
    if (w.rank() != 0) w.barrier();
    DataSplits s = load_splits(zinc_config(), std::string(GT_SOURCE_DIR) + "/data");
    if (w.rank() == 0) w.barrier();
    return s;
  }();
  return d;
}

// Trains `epochs` epochs alone and as a rank, then compares.
void expect_same_training(const Config& c, const DataSplits& data, int epochs, double tol) {
  Communicator& w = world();
  ASSERT_GT(w.size(), 1) << "run this test under mpirun -np 2 (or more)";
  Trainer alone(c, data), rank(c, data, &w);
  ASSERT_EQ(hash_of(alone.model().params().values()), hash_of(rank.model().params().values()));
  {  // The first step's summed gradient, before Adam rescales it.
    Trainer a1(c, data), r1(c, data, &w);
    std::vector<int32_t> first(std::min<size_t>(c.params.batch_size, data.train.graphs.size()));
    std::iota(first.begin(), first.end(), 0);
    const int32_t n = static_cast<int32_t>(first.size());
    GraphBatch b;
    collate(data.train, first.data(), n, &b, c.net.full_graph);
    const float la = a1.train_step(b), lr = r1.train_step_on(data.train, first.data(), n);
    EXPECT_NEAR(lr, la, tol * (1 + std::fabs(la))) << "first step loss";
    EXPECT_LT(grad_diff(r1.model().params(), a1.model().params()), tol) << "first step gradients";
  }
  for (int e = 0; e < epochs; ++e) {
    const EvalResult a = alone.train_epoch(false), r = rank.train_epoch(false);
    EXPECT_NEAR(r.loss, a.loss, tol * (1 + std::fabs(a.loss))) << "epoch " << e + 1 << " loss";
    EXPECT_NEAR(r.metric, a.metric, tol * (1 + std::fabs(a.metric))) << "epoch " << e + 1;
  }
  EXPECT_EQ(rank.state().adam_step, alone.state().adam_step);
  EXPECT_LT(param_diff(rank.model().params(), alone.model().params(), alone.state().adam_step,
                       c.params.init_lr, c.net.batch_norm),
            tol)
      << "parameters after " << epochs << " epochs";
  // Running means follow the BatchNorm-fed biases (their EMA of the batch
  // mean includes them): same bound as those biases.
  const TensorStore& Ba = alone.model().buffers();
  const TensorStore& Br = rank.model().buffers();
  for (const TensorInfo& t : Ba.infos())
    for (size_t i = t.offset; i < t.offset + t.size; ++i) {
      const double d = std::fabs(double(Br.values()[i]) - Ba.values()[i]);
      const double bound = tol * (1 + std::fabs(double(Ba.values()[i]))) +
                           (t.name.find("running_mean") != std::string::npos
                                ? alone.state().adam_step * c.params.init_lr * 1.001 : 0.0);
      EXPECT_LE(d, bound) << t.name;
    }
  // The ranks hold bit-identical models (same reduced gradients, same Adam).
  const std::vector<uint64_t> h = w.allgather(hash_of(rank.model().params().values()));
  for (size_t q = 1; q < h.size(); ++q) EXPECT_EQ(h[q], h[0]) << "rank " << q << "'s parameters";
  // Evaluation split across ranks gives every rank the whole split's outputs.
  std::vector<float> out_a, out_r;
  const EvalResult va = alone.evaluate(data.val, &out_a), vr = rank.evaluate(data.val, &out_r);
  EXPECT_LT(max_rel_diff(out_r, out_a), tol) << "evaluation outputs";
  EXPECT_NEAR(vr.loss, va.loss, tol * (1 + std::fabs(va.loss)));
  EXPECT_NEAR(vr.metric, va.metric, tol * (1 + std::fabs(va.metric)));
}

TEST(DataParallel, ZincMatchesOneProcessOnTheSameGlobalBatches) {
  expect_same_training(zinc_config(), zinc_data(), 2, 2e-4);
}

TEST(DataParallel, DropoutMasksFollowGlobalPositions) {
  Config c = zinc_config();
  c.net.dropout = 0.3;
  c.net.in_feat_dropout = 0.2;
  expect_same_training(c, zinc_data(), 1, 2e-4);
}

TEST(DataParallel, FullGraphAttention) {
  Config c = zinc_config();
  c.net.full_graph = true;
  expect_same_training(c, zinc_data(), 1, 2e-4);
}

// Node classification (PATTERN-shaped random graphs): the class weights of
// the loss are per global batch, and so is the metric.
TEST(DataParallel, NodeLevelTaskWithPerBatchClassWeights) {
  const DataSplits s = gradtest::random_pattern_splits(24, 6, 10, 21, true);
  Config c;
  c.dataset = "SBM_PATTERN";
  c.params.seed = 3;
  c.params.batch_size = 5;
  c.net.L = 2;
  c.net.hidden_dim = c.net.out_dim = 16;
  c.net.n_heads = 2;
  c.net.pos_enc_dim = 2;
  expect_same_training(c, s, 2, 2e-4);
}

// Batches with fewer graphs than ranks leave some ranks an empty shard: they
// still join every collective (BatchNorm sums, gathers, gradient sum).
TEST(DataParallel, EmptyShardsWhenABatchHasFewerGraphsThanRanks) {
  Communicator& w = world();
  const DataSplits& data = zinc_data();
  Config c = zinc_config();
  Trainer alone(c, data), rank(c, data, &w);
  const std::vector<int32_t> order = {5, 17, 3};
  for (int32_t g : order) {  // one graph per step
    GraphBatch b;
    collate(data.train, &g, 1, &b);
    const float la = alone.train_step(b);
    const float lr = rank.train_step_on(data.train, &g, 1);
    EXPECT_NEAR(lr, la, 2e-4 * (1 + std::fabs(la)));
  }
  EXPECT_LT(param_diff(rank.model().params(), alone.model().params(), 3, c.params.init_lr, true), 2e-4);
}

// Per-rank BatchNorm statistics: a different model from one process's, but
// still one model (running statistics averaged, parameters identical).
TEST(DataParallel, PerRankBatchNormKeepsRanksInStep) {
  Communicator& w = world();
  Trainer rank(zinc_config(), zinc_data(), &w, BatchNormStats::PerRank);
  rank.train_epoch(false);
  for (const auto* v : {&rank.model().params().values(), &rank.model().buffers().values()}) {
    const std::vector<uint64_t> h = w.allgather(hash_of(*v));
    for (size_t q = 1; q < h.size(); ++q) EXPECT_EQ(h[q], h[0]) << "rank " << q;
  }
  Trainer alone(zinc_config(), zinc_data());
  alone.train_epoch(false);
  EXPECT_GT(max_rel_diff(rank.model().buffers().values(), alone.model().buffers().values()), 1e-6)
      << "per-rank statistics should differ from the global batch's";
}

}  // namespace
}  // namespace gt

int main(int argc, char** argv) {
  gt::init_world(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  // Every rank's verdict: a failure on any rank fails every rank's exit code.
  double failed = rc != 0 ? 1.0 : 0.0;
  gt::world().allreduce_max(&failed, 1);
  gt::finalize_world();
  return failed > 0 ? 1 : 0;
}
