// Masked losses (ops/ops.h: NaN targets are missing labels) against direct
// double-precision formulas and finite differences (gradcheck_util.h), and
// the evaluation metrics (train/metrics.h) against independent references:
// ROC AUC by an O(n^2) pairwise count, OGB's per-task rules by hand examples.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "expect_error.h"
#include "gradcheck_util.h"
#include "ops/ops.h"
#include "train/metrics.h"

namespace gt::gradtest {
namespace {

using gt::test::expect_error;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A regression problem with missing labels: every fourth target NaN (plus
// a random few), pred kept >= 0.1 from y (the L1 kink; FD steps are 2h =
// 0.02) except one labelled tie, pred == y, at index tie.
struct Masked {
  std::vector<float> pred, y;
  size_t tie = 1;
  Masked(uint64_t seed, size_t n) {
    Rng rng(seed);
    y = uniform_vec(rng, n);
    pred = y;
    for (size_t i = 0; i < n; ++i)
      if (i != tie) pred[i] += (rng.uniform() < 0.5 ? 1.0f : -1.0f) * float(0.1 + rng.uniform());
    for (size_t i = 0; i < n; ++i)
      if (i != tie && (i % 4 == 3 || rng.uniform() < 0.1)) y[i] = kNaN;
  }
  int64_t n() const { return static_cast<int64_t>(y.size()); }
};

// Every entry except skip (the kink), masked ones included: there the FD
// derivative is 0 and the analytic one must be too.
std::vector<size_t> all_but(size_t n, size_t skip) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < n; ++i)
    if (i != skip) idx.push_back(i);
  return idx;
}

TEST(MaskedLoss, L1MatchesFormulaAndGradcheck) {
  Masked m(21, 32);
  double sum = 0.0;
  int count = 0;
  for (size_t i = 0; i < m.y.size(); ++i)
    if (!std::isnan(m.y[i])) sum += std::fabs(double(m.pred[i]) - m.y[i]), ++count;
  ASSERT_GT(count, 4);
  ASSERT_LT(count, m.n());
  std::vector<float> d(m.y.size(), kNaN);  // NaN: the op must write every entry
  EXPECT_NEAR(ops::masked_l1_loss(m.pred.data(), m.y.data(), m.n(), d.data()), sum / count, 1e-6);
  EXPECT_EQ(ops::masked_l1_loss(m.pred.data(), m.y.data(), m.n(), nullptr),
            ops::masked_l1_loss(m.pred.data(), m.y.data(), m.n(), d.data()));
  EXPECT_EQ(d[m.tie], 0.0f);  // PyTorch's subgradient at pred == y
  for (size_t i = 0; i < m.y.size(); ++i) {
    if (std::isnan(m.y[i])) {
      EXPECT_EQ(d[i], 0.0f) << i;
    } else if (i != m.tie) {
      EXPECT_FLOAT_EQ(std::fabs(d[i]), 1.0f / count) << i;
    }
  }
  auto loss = [&] { return double(ops::masked_l1_loss(m.pred.data(), m.y.data(), m.n(), nullptr)); };
  EXPECT_TRUE(gradcheck("masked l1 dpred", m.pred, d, loss, {}, all_but(m.y.size(), m.tie)));
}

TEST(MaskedLoss, MseMatchesFormulaAndGradcheck) {
  Masked m(22, 32);
  double sum = 0.0;
  int count = 0;
  for (size_t i = 0; i < m.y.size(); ++i)
    if (!std::isnan(m.y[i])) {
      const double e = double(m.pred[i]) - m.y[i];
      sum += e * e, ++count;
    }
  ASSERT_LT(count, m.n());
  std::vector<float> d(m.y.size(), kNaN);
  EXPECT_NEAR(ops::masked_mse_loss(m.pred.data(), m.y.data(), m.n(), d.data()), sum / count, 1e-6);
  for (size_t i = 0; i < m.y.size(); ++i) {
    const double want = std::isnan(m.y[i]) ? 0.0 : 2.0 * (double(m.pred[i]) - m.y[i]) / count;
    EXPECT_NEAR(d[i], want, 1e-6) << i;
  }
  auto loss = [&] { return double(ops::masked_mse_loss(m.pred.data(), m.y.data(), m.n(), nullptr)); };
  EXPECT_TRUE(gradcheck("masked mse dpred", m.pred, d, loss));
}

TEST(MaskedLoss, BceWithLogitsMatchesFormulaAndGradcheck) {
  Rng rng(23);
  const size_t n = 40;
  auto logits = uniform_vec(rng, n, -4.0, 4.0);
  std::vector<float> y(n);
  for (size_t i = 0; i < n; ++i) {
    const double u = rng.uniform();
    // Mostly 0/1, some soft targets (BCEWithLogitsLoss accepts y in [0, 1]), ~20% missing.
    y[i] = u < 0.2 ? kNaN : u < 0.55 ? 0.0f : u < 0.9 ? 1.0f : float(rng.uniform());
  }
  // Direct definition -[y log s + (1 - y) log(1 - s)], s = sigmoid(x): fine
  // in double for |x| <= 4.
  double sum = 0.0;
  int count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(y[i])) continue;
    const double s = 1.0 / (1.0 + std::exp(-double(logits[i])));
    sum += -(y[i] * std::log(s) + (1.0 - y[i]) * std::log(1.0 - s));
    ++count;
  }
  ASSERT_GT(count, 10);
  ASSERT_LT(count, int(n));
  std::vector<float> d(n, kNaN);
  const int64_t nn = static_cast<int64_t>(n);
  EXPECT_NEAR(ops::masked_bce_with_logits(logits.data(), y.data(), nn, d.data()), sum / count, 1e-6);
  for (size_t i = 0; i < n; ++i) {
    const double s = 1.0 / (1.0 + std::exp(-double(logits[i])));
    EXPECT_NEAR(d[i], std::isnan(y[i]) ? 0.0 : (s - y[i]) / count, 1e-7) << i;
  }
  auto loss = [&] { return double(ops::masked_bce_with_logits(logits.data(), y.data(), nn, nullptr)); };
  EXPECT_TRUE(gradcheck("masked bce dlogits", logits, d, loss));
}

TEST(MaskedLoss, AllMaskedGivesZeroLossAndZeroGrads) {
  const std::vector<float> pred = {0.5f, -1.0f, 3.0f}, y(3, kNaN);
  for (int which = 0; which < 3; ++which) {
    std::vector<float> d(3, kNaN);
    const float l = which == 0   ? ops::masked_l1_loss(pred.data(), y.data(), 3, d.data())
                    : which == 1 ? ops::masked_mse_loss(pred.data(), y.data(), 3, d.data())
                                 : ops::masked_bce_with_logits(pred.data(), y.data(), 3, d.data());
    EXPECT_EQ(l, 0.0f) << which;
    for (float g : d) EXPECT_EQ(g, 0.0f) << which;
  }
  // n == 0 as well.
  EXPECT_EQ(ops::masked_bce_with_logits(pred.data(), y.data(), 0, nullptr), 0.0f);
}

TEST(MaskedLoss, BceWithLogitsExtremeLogitsStayFinite) {
  // Per entry: a confidently wrong logit costs |x| = 100 with gradient
  // +-1/count; a confidently right one costs log1p(exp(-100)) ~ 4e-44 with
  // gradient ~0. A naive log(1 + exp(-x)) in fp32 overflows to inf here.
  const std::vector<float> x = {100.0f, -100.0f, 100.0f, -100.0f, 3.0f};
  const std::vector<float> y = {0.0f, 1.0f, 1.0f, 0.0f, kNaN};
  std::vector<float> d(x.size(), kNaN);
  const float l = ops::masked_bce_with_logits(x.data(), y.data(), 5, d.data());
  ASSERT_TRUE(std::isfinite(l));
  EXPECT_NEAR(l, 200.0 / 4, 1e-4);
  const std::vector<float> want = {0.25f, -0.25f, 0.0f, 0.0f, 0.0f};
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_TRUE(std::isfinite(d[i])) << i;
    EXPECT_NEAR(d[i], want[i], 1e-7) << i;
  }
  // Soft target at an extreme logit: max(x,0) - x y = 50, still finite.
  const float xs = 100.0f, ys = 0.5f;
  float ds = kNaN;
  EXPECT_NEAR(ops::masked_bce_with_logits(&xs, &ys, 1, &ds), 50.0f, 1e-4);
  EXPECT_NEAR(ds, 0.5f, 1e-7);
}

// ---- ROC AUC ---------------------------------------------------------------

// Independent reference: the fraction of (positive, negative) pairs ordered
// correctly, ties 1/2 (what sklearn's trapezoidal ROC area equals).
double pairwise_auc(const std::vector<float>& s, const std::vector<float>& y) {
  double good = 0.0, pairs = 0.0;
  for (size_t i = 0; i < s.size(); ++i)
    for (size_t j = 0; j < s.size(); ++j)
      if (y[i] == 1.0f && y[j] == 0.0f) {
        pairs += 1.0;
        good += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
      }
  return good / pairs;
}

TEST(RocAuc, MatchesPairwiseCountWithManyTies) {
  Rng rng(31);
  for (int trial = 0; trial < 60; ++trial) {
    const size_t n = 2 + rng.below(150);
    const int levels = 1 + static_cast<int>(rng.below(6));  // few distinct scores: many ties
    const double p_pos = 0.1 + 0.8 * rng.uniform();
    std::vector<float> s(n), y(n);
    for (size_t i = 0; i < n; ++i) {
      s[i] = trial % 3 == 0 ? float(rng.uniform()) : float(rng.below(levels)) * 0.25f - 0.5f;
      y[i] = rng.uniform() < p_pos ? 1.0f : 0.0f;
    }
    y[0] = 1.0f, y[1] = 0.0f;  // both classes
    EXPECT_NEAR(roc_auc(s.data(), y.data(), int64_t(n)), pairwise_auc(s, y), 1e-12)
        << "trial " << trial << " n " << n;
  }
}

TEST(RocAuc, KnownSmallCases) {
  const std::vector<float> y = {0, 0, 1, 1};
  const std::vector<float> perfect = {0.1f, 0.2f, 0.3f, 0.9f}, reversed = {0.9f, 0.8f, 0.2f, 0.1f},
                           tied = {0.4f, 0.4f, 0.4f, 0.4f}, doc = {0.1f, 0.4f, 0.35f, 0.8f};
  EXPECT_EQ(roc_auc(perfect.data(), y.data(), 4), 1.0);
  EXPECT_EQ(roc_auc(reversed.data(), y.data(), 4), 0.0);
  EXPECT_EQ(roc_auc(tied.data(), y.data(), 4), 0.5);
  EXPECT_EQ(roc_auc(doc.data(), y.data(), 4), 0.75);  // sklearn's roc_auc_score doc example
  // One tie across classes: 3 pairs right, 1 tied of 4 => 3.5 / 4.
  const std::vector<float> one_tie = {0.1f, 0.5f, 0.5f, 0.9f};
  EXPECT_EQ(roc_auc(one_tie.data(), y.data(), 4), 0.875);
}

TEST(RocAuc, RejectsSingleClassAndBadInput) {
  const std::vector<float> s = {0.1f, 0.2f, 0.3f};
  const std::vector<float> zeros = {0, 0, 0}, ones = {1, 1, 1}, twos = {0, 2, 1};
  expect_error([&] { roc_auc(s.data(), zeros.data(), 3); }, {"one class"});
  expect_error([&] { roc_auc(s.data(), ones.data(), 3); }, {"one class"});
  expect_error([&] { roc_auc(s.data(), twos.data(), 3); }, {"label[1]", "not 0 or 1"});
  const std::vector<float> nan_score = {0.1f, kNaN, 0.3f}, y = {0, 1, 1};
  expect_error([&] { roc_auc(nan_score.data(), y.data(), 3); }, {"score[1]", "not finite"});
}

TEST(OgbMeanRocAuc, SkipsSingleClassAndUnlabelledTasks) {
  // [n = 5, T = 4]. Task 0: labelled rows 0, 2, 3, 4 (row 1 NaN, scored so
  // that counting it as either class would change the AUC); task 1 only
  // positives; task 2 all NaN; task 3 a second two-class task.
  const float N = kNaN;
  const std::vector<float> label = {
      0, 1, N, 1,  //
      N, 1, N, 0,  //
      1, N, N, 0,  //
      0, 1, N, 1,  //
      1, 1, N, 0,
  };
  const std::vector<float> score = {
      0.2f, 0.1f, 0.5f, 0.9f,  //
      0.7f, 0.2f, 0.5f, 0.1f,  //
      0.6f, 0.3f, 0.5f, 0.3f,  //
      0.3f, 0.4f, 0.5f, 0.2f,  //
      0.1f, 0.5f, 0.5f, 0.4f,
  };
  // Task 0: positives {0.6, 0.1}, negatives {0.2, 0.3}: pairs right 2 of 4 => 0.5.
  // Task 3: positives {0.9, 0.2}, negatives {0.1, 0.3, 0.4}: 3 + 1 of 6 => 2/3.
  const std::vector<float> t0s = {0.2f, 0.6f, 0.3f, 0.1f}, t0y = {0, 1, 0, 1};
  const std::vector<float> t3s = {0.9f, 0.1f, 0.3f, 0.2f, 0.4f}, t3y = {1, 0, 0, 1, 0};
  ASSERT_EQ(roc_auc(t0s.data(), t0y.data(), 4), 0.5);
  ASSERT_NEAR(roc_auc(t3s.data(), t3y.data(), 5), 4.0 / 6, 1e-15);
  EXPECT_NEAR(ogb_mean_rocauc(score.data(), label.data(), 5, 4), (0.5 + 4.0 / 6) / 2, 1e-15);
}

TEST(OgbMeanRocAuc, ThrowsWhenNoTaskKept) {
  const float N = kNaN;
  // [3, 3]: task 0 only positives, task 1 only negatives, task 2 all NaN.
  const std::vector<float> label = {1, 0, N, 1, 0, N, 1, 0, N}, score = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  expect_error([&] { ogb_mean_rocauc(score.data(), label.data(), 3, 3); },
               {"No positively labeled data available. Cannot compute ROC-AUC."});
}

// ---- regression metrics and accuracy ----------------------------------------

TEST(Metrics, MaskedRmseAndMaeAveragePerTask) {
  // [n = 3, T = 3]. Task 0: errors 3, 4 (row 2 NaN, its pred far off);
  // task 1: errors 0, 0 (row 0 NaN); task 2 all NaN (skipped).
  const float N = kNaN;
  const std::vector<float> y = {0, N, N, 1, 2, N, N, 2, N};
  const std::vector<float> pred = {3, 7, 9, 5, 2, 9, 100, 2, 9};
  // Per-task RMSE sqrt(12.5) and 0, averaged; pooling all entries would give
  // 2.5, averaging MSEs sqrt(6.25) = 2.5 too.
  EXPECT_NEAR(masked_rmse(pred.data(), y.data(), 3, 3), std::sqrt(12.5) / 2, 1e-12);
  EXPECT_NEAR(masked_mae(pred.data(), y.data(), 3, 3), 3.5 / 2, 1e-12);
  // One task, nothing missing: the plain RMSE / MAE.
  const std::vector<float> p1 = {1, 2, 4}, y1 = {1, 0, 0};
  EXPECT_NEAR(masked_rmse(p1.data(), y1.data(), 3, 1), std::sqrt(20.0 / 3), 1e-12);
  EXPECT_NEAR(masked_mae(p1.data(), y1.data(), 3, 1), 2.0, 1e-12);
}

TEST(Metrics, MaskedRmseThrowsWithoutLabels) {
  const std::vector<float> y(4, kNaN), pred(4, 1.0f);
  expect_error([&] { masked_rmse(pred.data(), y.data(), 2, 2); }, {"masked_rmse", "no labelled"});
  expect_error([&] { masked_mae(pred.data(), y.data(), 2, 2); }, {"masked_mae", "no labelled"});
}

TEST(Metrics, AccuracyIsAFraction) {
  const std::vector<int32_t> predicted = {0, 1, 2, 2}, label = {0, 1, 1, 2};
  EXPECT_EQ(accuracy(predicted.data(), label.data(), 4), 0.75);
  EXPECT_EQ(accuracy(label.data(), label.data(), 4), 1.0);
  expect_error([&] { accuracy(predicted.data(), label.data(), 0); }, {"accuracy", "n = 0"});
}

}  // namespace
}  // namespace gt::gradtest
