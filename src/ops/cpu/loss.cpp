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

// The shared skeleton of the masked losses (OGB: labelled iff y == y): the
// mean of element_loss over labelled entries, accumulated in double, and
// d[i] = (d element_loss / d x_i) / count, 0 where unlabelled. Two passes:
// the gradient's 1/count must be known before it is written.
template <class ElementLoss>
float masked_mean_loss(const float* x, const float* y, int64_t n, float* d, ElementLoss element_loss) {
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) count += !std::isnan(y[i]);
  const double inv = count > 0 ? 1.0 / static_cast<double>(count) : 0.0;
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(y[i])) {
      if (d) d[i] = 0.0f;
      continue;
    }
    double grad = 0.0;
    s += element_loss(static_cast<double>(x[i]), static_cast<double>(y[i]), &grad);
    if (d) d[i] = static_cast<float>(grad * inv);
  }
  return static_cast<float>(s * inv);
}

}  // namespace

float masked_l1_loss(const float* pred, const float* y, int64_t n, float* dpred) {
  GT_PROFILE("masked_l1_loss");
  // PyTorch's sign: 0 where pred == y.
  return masked_mean_loss(pred, y, n, dpred, [](double p, double t, double* g) {
    *g = p > t ? 1.0 : (p < t ? -1.0 : 0.0);
    return std::fabs(p - t);
  });
}

float masked_mse_loss(const float* pred, const float* y, int64_t n, float* dpred) {
  GT_PROFILE("masked_mse_loss");
  return masked_mean_loss(pred, y, n, dpred, [](double p, double t, double* g) {
    *g = 2.0 * (p - t);
    return (p - t) * (p - t);
  });
}

float masked_bce_with_logits(const float* logits, const float* y, int64_t n, float* dlogits) {
  GT_PROFILE("masked_bce_with_logits");
  return masked_mean_loss(logits, y, n, dlogits, [](double x, double t, double* g) {
    // log(1 + exp(-|x|)) never overflows, and log1p keeps it exact when
    // exp(-|x|) is tiny (|x| large), where log(1 + e) would round to 0.
    const double e = std::exp(-std::fabs(x));
    // sigmoid(x) from the same e: 1/(1+e) for x >= 0, e/(1+e) below, so
    // neither branch divides by an overflowed exp(-x).
    *g = (x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e)) - t;
    return std::max(x, 0.0) - x * t + std::log1p(e);
  });
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
