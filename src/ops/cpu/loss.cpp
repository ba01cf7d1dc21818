#include <algorithm>
#include <cmath>

#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

float l1_loss_forward(const float* pred, const float* y, int64_t n) {
  GT_PROFILE("l1_loss_forward");
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) s += std::fabs(static_cast<double>(pred[i]) - y[i]);
  return n > 0 ? static_cast<float>(s / n) : 0.0f;
}

void l1_loss_backward(float* dpred, const float* pred, const float* y, int64_t n) {
  GT_PROFILE("l1_loss_backward");
  const float scale = n > 0 ? 1.0f / static_cast<float>(n) : 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    const float d = pred[i] - y[i];
    dpred[i] = d > 0.0f ? scale : (d < 0.0f ? -scale : 0.0f);
  }
}

namespace {
// Labelled entries of a target with missing labels as NaN (OGB: y == y).
int64_t count_labelled(const float* y, int64_t n) {
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) count += !std::isnan(y[i]);
  return count;
}
}  // namespace

float masked_l1_loss(const float* pred, const float* y, int64_t n, float* dpred) {
  GT_PROFILE("masked_l1_loss");
  // Two passes: the gradient's 1/count must be known before it is written.
  const int64_t count = count_labelled(y, n);
  const double inv = count > 0 ? 1.0 / static_cast<double>(count) : 0.0;
  const float scale = static_cast<float>(inv);
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(y[i])) {
      if (dpred) dpred[i] = 0.0f;
      continue;
    }
    const float d = pred[i] - y[i];
    s += std::fabs(static_cast<double>(pred[i]) - y[i]);
    if (dpred) dpred[i] = d > 0.0f ? scale : (d < 0.0f ? -scale : 0.0f);
  }
  return static_cast<float>(s * inv);
}

float masked_mse_loss(const float* pred, const float* y, int64_t n, float* dpred) {
  GT_PROFILE("masked_mse_loss");
  const int64_t count = count_labelled(y, n);
  const double inv = count > 0 ? 1.0 / static_cast<double>(count) : 0.0;
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(y[i])) {
      if (dpred) dpred[i] = 0.0f;
      continue;
    }
    const double d = static_cast<double>(pred[i]) - y[i];
    s += d * d;
    if (dpred) dpred[i] = static_cast<float>(2.0 * d * inv);
  }
  return static_cast<float>(s * inv);
}

float masked_bce_with_logits(const float* logits, const float* y, int64_t n, float* dlogits) {
  GT_PROFILE("masked_bce_with_logits");
  const int64_t count = count_labelled(y, n);
  const double inv = count > 0 ? 1.0 / static_cast<double>(count) : 0.0;
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(y[i])) {
      if (dlogits) dlogits[i] = 0.0f;
      continue;
    }
    const double x = logits[i], t = y[i];
    // log(1 + exp(-|x|)) never overflows, and log1p keeps it exact when
    // exp(-|x|) is tiny (|x| large), where log(1 + e) would round to 0.
    const double e = std::exp(-std::fabs(x));
    s += std::max(x, 0.0) - x * t + std::log1p(e);
    if (!dlogits) continue;
    // sigmoid(x) from the same e: 1/(1+e) for x >= 0, e/(1+e) below, so
    // neither branch divides by an overflowed exp(-x).
    const double sig = x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    dlogits[i] = static_cast<float>((sig - t) * inv);
  }
  return static_cast<float>(s * inv);
}

}  // namespace gt::ops

namespace gt::ops {

float weighted_cross_entropy(const float* logits, const int32_t* labels, const float* class_weight,
                             int64_t n, int64_t C, float* dlogits) {
  GT_PROFILE("weighted_cross_entropy");
  // Per-row log-softmax with the max subtracted, in double for the sums.
  double weighted_sum = 0.0, weight_total = 0.0;
  for (int64_t i = 0; i < n; ++i) weight_total += class_weight[labels[i]];
  const double inv_total = weight_total > 0.0 ? 1.0 / weight_total : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const float* x = logits + i * C;
    float mx = x[0];
    for (int64_t c = 1; c < C; ++c) mx = x[c] > mx ? x[c] : mx;
    double z = 0.0;
    for (int64_t c = 0; c < C; ++c) z += std::exp(static_cast<double>(x[c]) - mx);
    const double log_z = std::log(z) + mx;
    const double w = class_weight[labels[i]];
    weighted_sum += w * (log_z - x[labels[i]]);
    if (!dlogits) continue;
    for (int64_t c = 0; c < C; ++c) {
      const double p = std::exp(static_cast<double>(x[c]) - log_z);
      dlogits[i * C + c] = static_cast<float>(w * inv_total * (p - (c == labels[i] ? 1.0 : 0.0)));
    }
  }
  return static_cast<float>(weighted_sum * inv_total);
}

}  // namespace gt::ops
