// Dropout: the counter-based op (ops::dropout_forward / _backward), the keys
// of its sites (dropout_key), the model in training and evaluation mode, and
// a Trainer's determinism with dropout on (same seed => same losses, and a
// resumed run draws the same masks). The model's dropout gradients are
// finite-difference checked in test_gradcheck_model.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <vector>

#include "core/parallel.h"
#include "gradcheck_util.h"
#include "random_splits.h"
#include "nn/graph_transformer.h"
#include "temp_dir.h"
#include "train/trainer.h"

namespace gt {
namespace {

using gradtest::away_from_zero;

std::vector<float> forward(const std::vector<float>& x, float p, uint64_t key) {
  std::vector<float> y(x.size());
  ops::dropout_forward(y.data(), x.data(), static_cast<int64_t>(x.size()), p, key);
  return y;
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The mask of a forward whose input has no zeros.
std::vector<bool> kept(const std::vector<float>& y) {
  std::vector<bool> k(y.size());
  for (size_t i = 0; i < y.size(); ++i) k[i] = y[i] != 0.0f;
  return k;
}

TEST(DropoutOp, DropsAboutPAndScalesKeptValuesExactly) {
  Rng rng(1);
  const int64_t n = 1 << 18;
  const auto x = away_from_zero(rng, n, 0.1, 2.0);
  for (float p : {0.05f, 0.2f, 0.5f, 0.9f}) {
    const auto y = forward(x, p, 12345);
    const float scale = 1.0f / (1.0f - p);
    int64_t dropped = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (y[i] == 0.0f) {
        ++dropped;
        continue;
      }
      ASSERT_EQ(y[i], x[i] * scale) << "p " << p << " element " << i;
    }
    // Binomial(n, p): within 6 standard deviations.
    const double sd = std::sqrt(n * p * (1.0 - p));
    EXPECT_NEAR(static_cast<double>(dropped), n * p, 6 * sd) << "p " << p;
  }
}

TEST(DropoutOp, MaskIsAPureFunctionOfKeyAndIndex) {
  Rng rng(2);
  const int64_t n = 100000;
  const float p = 0.3f;
  const auto x = away_from_zero(rng, n, 0.1, 1.0);
  const auto a = forward(x, p, 77);
  EXPECT_TRUE(bitwise_equal(a, forward(x, p, 77)));
  // A prefix gets the same mask (the chunking differs, the decisions do not).
  const std::vector<float> head(x.begin(), x.begin() + 999);
  const auto b = forward(head, p, 77);
  EXPECT_TRUE(bitwise_equal(b, std::vector<float>(a.begin(), a.begin() + 999)));
  // Another key: an independent mask, so the two disagree on about 2p(1-p).
  const auto ka = kept(a), kc = kept(forward(x, p, 78));
  int64_t differ = 0;
  for (int64_t i = 0; i < n; ++i) differ += ka[i] != kc[i];
  const double q = 2 * p * (1 - p), sd = std::sqrt(n * q * (1 - q));
  EXPECT_NEAR(static_cast<double>(differ), n * q, 6 * sd);
}

TEST(DropoutOp, SameResultWithOneAndTwoThreads) {
  Rng rng(3);
  const int64_t n = 54321;
  const auto x = away_from_zero(rng, n, 0.1, 1.0);
  const int saved = num_threads();
  set_num_threads(1);
  const auto one = forward(x, 0.4f, 9);
  std::vector<float> d_one(n);
  ops::dropout_backward(d_one.data(), x.data(), n, 0.4f, 9);
  set_num_threads(2);
  const auto two = forward(x, 0.4f, 9);
  std::vector<float> d_two(n);
  ops::dropout_backward(d_two.data(), x.data(), n, 0.4f, 9);
  set_num_threads(saved);
  EXPECT_TRUE(bitwise_equal(one, two));
  EXPECT_TRUE(bitwise_equal(d_one, d_two));
}

TEST(DropoutOp, BackwardAppliesTheForwardMask) {
  Rng rng(4);
  const int64_t n = 20000;
  const float p = 0.25f, scale = 1.0f / (1.0f - p);
  const auto x = away_from_zero(rng, n, 0.1, 1.0);
  const auto dy = gradtest::uniform_vec(rng, n);
  const auto mask = kept(forward(x, p, 5));
  std::vector<float> dx(n);
  ops::dropout_backward(dx.data(), dy.data(), n, p, 5);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(dx[i], mask[i] ? dy[i] * scale : 0.0f) << i;
  // In place (dX aliasing dY, Y aliasing X) gives the same bits.
  std::vector<float> inplace = dy;
  ops::dropout_backward(inplace.data(), inplace.data(), n, p, 5);
  EXPECT_TRUE(bitwise_equal(inplace, dx));
  std::vector<float> y = x;
  ops::dropout_forward(y.data(), y.data(), n, p, 5);
  EXPECT_TRUE(bitwise_equal(y, forward(x, p, 5)));
}

TEST(DropoutOp, RateZeroIsTheIdentity) {
  Rng rng(5);
  const int64_t n = 1000;
  const auto x = gradtest::uniform_vec(rng, n);
  EXPECT_TRUE(bitwise_equal(forward(x, 0.0f, 1), x));
  std::vector<float> d(n);
  ops::dropout_backward(d.data(), x.data(), n, 0.0f, 1);
  EXPECT_TRUE(bitwise_equal(d, x));
  std::vector<float> y = x;
  ops::dropout_forward(y.data(), y.data(), n, 0.0f, 1);
  EXPECT_TRUE(bitwise_equal(y, x));
}

TEST(DropoutKey, DistinctPerSeedStepAndSite) {
  std::set<uint64_t> keys;
  PassContext ctx;
  for (uint64_t seed : {0, 1, 41})
    for (int64_t step : {0, 1, 2, 1000})
      for (uint64_t site : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{8},
                            uint64_t{9}, kInFeatDropoutSite}) {
        ctx.dropout_seed = seed;
        ctx.step = step;
        EXPECT_EQ(dropout_key(ctx, site), dropout_key(ctx, site));
        keys.insert(dropout_key(ctx, site));
      }
  EXPECT_EQ(keys.size(), 3u * 4u * 7u);
}

// ---- the model -------------------------------------------------------------

ModelSpec tiny_spec(bool edge, bool node_level) {
  ModelSpec s;
  s.layers = 2;
  s.dim = 8;
  s.heads = 2;
  s.pe_dim = 3;
  s.node_vocab = {5};
  s.edge_vocab = {3};
  s.edge_features = edge;
  s.node_level = node_level;
  return s;
}

std::vector<float> run(GraphTransformer& m, const GraphBatch& b, bool training, Arena& arena) {
  const std::vector<float> buffers = m.buffers().values();  // keep BatchNorm stats fixed
  arena.reset();
  const float* y = m.forward(b, training, arena);
  const int64_t rows = m.spec().node_level ? b.num_nodes : b.num_graphs;
  m.buffers().values() = buffers;
  return std::vector<float>(y, y + rows * m.spec().num_outputs);
}

TEST(ModelDropout, EvaluationNeverDropsAndTrainingMasksFollowTheStep) {
  for (bool edge : {true, false})
    for (bool node_level : {false, true}) {
      ModelSpec plain = tiny_spec(edge, node_level), drop = plain;
      drop.dropout = 0.3f;
      drop.in_feat_dropout = 0.2f;
      GraphTransformer a(plain), b(drop);
      a.init_weights(3);
      b.init_weights(3);
      gradtest::BatchOptions opt;
      opt.pe_dim = 3;
      const GraphBatch batch = gradtest::random_batch(11, opt);
      Arena arena;
      b.set_step(41, 7);
      EXPECT_TRUE(bitwise_equal(run(a, batch, false, arena), run(b, batch, false, arena)));
      const auto train7 = run(b, batch, true, arena);
      EXPECT_FALSE(bitwise_equal(run(a, batch, true, arena), train7)) << "dropout had no effect";
      EXPECT_TRUE(bitwise_equal(run(b, batch, true, arena), train7)) << "same step, other mask";
      b.set_step(41, 8);
      EXPECT_FALSE(bitwise_equal(run(b, batch, true, arena), train7)) << "mask ignores the step";
      b.set_step(42, 7);
      EXPECT_FALSE(bitwise_equal(run(b, batch, true, arena), train7)) << "mask ignores the seed";
    }
}

// ---- the trainer -------------------------------------------------------------

// ZINC-shaped random data (28 atom types, 4 bond types, PE of 8).
DataSplits tiny_zinc_splits() { return gradtest::random_zinc_splits(3, 6, 0.5); }

Config tiny_config(double dropout, double in_feat_dropout) {
  Config c = gradtest::tiny_trainer_config();
  c.net.dropout = dropout;
  c.net.in_feat_dropout = in_feat_dropout;
  return c;
}

TEST(TrainerDropout, SameSeedGivesIdenticalLossesAndResumeReproducesMasks) {
  const DataSplits data = tiny_zinc_splits();
  const Config config = tiny_config(0.3, 0.2);
  test::TempDir dir;
  const std::string ckpt = dir.file("epoch1.safetensors");
  Trainer a(config, data), b(config, data);
  const double a1 = a.train_epoch(false).loss, b1 = b.train_epoch(false).loss;
  EXPECT_EQ(a1, b1);
  a.save_checkpoint(ckpt);
  const double a2 = a.train_epoch(false).loss, b2 = b.train_epoch(false).loss;
  EXPECT_EQ(a2, b2);
  EXPECT_TRUE(bitwise_equal(a.model().params().values(), b.model().params().values()));
  // Resumed from the checkpoint: the same second epoch, bit for bit.
  Trainer r(config, data);
  r.load_checkpoint(ckpt);
  EXPECT_EQ(r.train_epoch(false).loss, a2);
  EXPECT_TRUE(bitwise_equal(r.model().params().values(), a.model().params().values()));
  // And the dropout is really on: without it the first epoch differs.
  Trainer plain(tiny_config(0.0, 0.0), data);
  EXPECT_NE(plain.train_epoch(false).loss, a1);
}

}  // namespace
}  // namespace gt
