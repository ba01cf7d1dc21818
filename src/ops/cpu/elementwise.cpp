#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

void add_inplace(float* Y, const float* X, int64_t n) {
  GT_PROFILE("add_inplace");
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) Y[i] += X[i];
}

void relu_forward(float* Y, const float* X, int64_t n) {
  GT_PROFILE("relu_forward");
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) Y[i] = X[i] > 0.0f ? X[i] : 0.0f;
}

void relu_backward(float* dX, const float* dY, const float* Y, int64_t n) {
  GT_PROFILE("relu_backward");
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) dX[i] = Y[i] > 0.0f ? dY[i] : 0.0f;
}

}  // namespace gt::ops
