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
