#include <cmath>

#include "ops/ops.h"

namespace gt::ops {

float l1_loss_forward(const float* pred, const float* y, int64_t n) {
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) s += std::fabs(static_cast<double>(pred[i]) - y[i]);
  return n > 0 ? static_cast<float>(s / n) : 0.0f;
}

void l1_loss_backward(float* dpred, const float* pred, const float* y, int64_t n) {
  const float scale = n > 0 ? 1.0f / static_cast<float>(n) : 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    const float d = pred[i] - y[i];
    dpred[i] = d > 0.0f ? scale : (d < 0.0f ? -scale : 0.0f);
  }
}

}  // namespace gt::ops
