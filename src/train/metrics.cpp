#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"

namespace gt {

double roc_auc(const float* score, const float* label, int64_t n) {
  double pos = 0.0, neg = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    if (label[i] != 0.0f && label[i] != 1.0f)
      fail("roc_auc: label[" + std::to_string(i) + "] = " + std::to_string(label[i]) +
           " is not 0 or 1");
    if (!std::isfinite(score[i]))
      fail("roc_auc: score[" + std::to_string(i) + "] is not finite");
    (label[i] == 1.0f ? pos : neg) += 1.0;
  }
  if (pos == 0.0 || neg == 0.0)
    fail("roc_auc: only one class present in the labels (" + std::to_string(int64_t(pos)) +
         " positive, " + std::to_string(int64_t(neg)) + " negative); ROC AUC is not defined");
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return score[a] < score[b]; });
  // U = #(positive, negative) pairs with the positive scored higher + 1/2 per
  // tie. Walk groups of equal scores in ascending order: each positive in a
  // group beats every negative below it and ties the group's negatives. The
  // terms are integers and halves, exact in double up to 2^52 pairs.
  double u = 0.0, neg_below = 0.0;
  for (int64_t start = 0; start < n;) {
    int64_t end = start;
    double p = 0.0, q = 0.0;
    for (; end < n && score[order[end]] == score[order[start]]; ++end)
      (label[order[end]] == 1.0f ? p : q) += 1.0;
    u += p * neg_below + 0.5 * p * q;
    neg_below += q;
    start = end;
  }
  return u / (pos * neg);
}

double ogb_mean_rocauc(const float* score, const float* label, int64_t n, int64_t T) {
  double sum = 0.0;
  int64_t kept = 0;
  std::vector<float> s, y;
  for (int64_t t = 0; t < T; ++t) {
    // As OGB: a task counts only with both classes, and its AUC is over the
    // labelled rows. Labels other than 0/1/NaN reach roc_auc, which rejects them.
    s.clear();
    y.clear();
    bool has_pos = false, has_neg = false;
    for (int64_t i = 0; i < n; ++i) {
      const float v = label[i * T + t];
      if (std::isnan(v)) continue;
      has_pos |= v == 1.0f;
      has_neg |= v == 0.0f;
      s.push_back(score[i * T + t]);
      y.push_back(v);
    }
    if (!has_pos || !has_neg) continue;
    sum += roc_auc(s.data(), y.data(), static_cast<int64_t>(s.size()));
    ++kept;
  }
  if (kept == 0) fail("No positively labeled data available. Cannot compute ROC-AUC.");
  return sum / static_cast<double>(kept);
}

namespace {

// Mean over tasks of reduce(mean over labelled rows of err(pred - y)); the
// shared shape of the per-task RMSE and MAE.
template <class Err, class Reduce>
double per_task_mean(const char* name, const float* pred, const float* y, int64_t n, int64_t T,
                     Err err, Reduce reduce) {
  double sum = 0.0;
  int64_t kept = 0;
  for (int64_t t = 0; t < T; ++t) {
    double acc = 0.0;
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i) {
      const float v = y[i * T + t];
      if (std::isnan(v)) continue;
      acc += err(static_cast<double>(pred[i * T + t]) - v);
      ++count;
    }
    if (count == 0) continue;  // OGB would average in a NaN here
    sum += reduce(acc / static_cast<double>(count));
    ++kept;
  }
  if (kept == 0)
    fail(std::string(name) + ": no labelled entries in any of the " + std::to_string(T) +
         " tasks (" + std::to_string(n) + " rows)");
  return sum / static_cast<double>(kept);
}

}  // namespace

double masked_rmse(const float* pred, const float* y, int64_t n, int64_t T) {
  return per_task_mean(
      "masked_rmse", pred, y, n, T, [](double d) { return d * d; },
      [](double mse) { return std::sqrt(mse); });
}

double masked_mae(const float* pred, const float* y, int64_t n, int64_t T) {
  return per_task_mean(
      "masked_mae", pred, y, n, T, [](double d) { return std::fabs(d); },
      [](double mae) { return mae; });
}

double accuracy(const int32_t* predicted, const int32_t* label, int64_t n) {
  if (n <= 0) fail("accuracy: no predictions to score (n = " + std::to_string(n) + ")");
  int64_t correct = 0;
  for (int64_t i = 0; i < n; ++i) correct += predicted[i] == label[i];
  return static_cast<double>(correct) / static_cast<double>(n);
}

}  // namespace gt
