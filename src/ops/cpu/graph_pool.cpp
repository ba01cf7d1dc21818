// Graph readout: each graph's nodes are a contiguous row range, so pooling
// is a segment reduction (parallel over graphs, no atomics).
#include <limits>

#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

void graph_pool_forward(Readout mode, float* Y, int32_t* argmax, const float* X,
                        const int32_t* graph_ptr, int64_t G, int64_t C) {
  GT_PROFILE("graph_pool_forward");
#pragma omp parallel for schedule(static)
  for (int64_t g = 0; g < G; ++g) {
    const int32_t n0 = graph_ptr[g], n1 = graph_ptr[g + 1];
    float* y = Y + g * C;
    if (n1 == n0) {
      for (int64_t c = 0; c < C; ++c) {
        y[c] = 0.0f;
        if (argmax) argmax[g * C + c] = -1;
      }
      continue;
    }
    if (mode == Readout::Max) {
      for (int64_t c = 0; c < C; ++c) {
        float best = -std::numeric_limits<float>::infinity();
        int32_t arg = n0;
        for (int32_t i = n0; i < n1; ++i)
          if (X[i * C + c] > best) best = X[i * C + c], arg = i;
        y[c] = best;
        argmax[g * C + c] = arg;
      }
      continue;
    }
    for (int64_t c = 0; c < C; ++c) y[c] = 0.0f;
    for (int32_t i = n0; i < n1; ++i)
      for (int64_t c = 0; c < C; ++c) y[c] += X[i * C + c];
    if (mode == Readout::Mean) {
      const float n = static_cast<float>(n1 - n0);
      for (int64_t c = 0; c < C; ++c) y[c] /= n;
    }
  }
}

void graph_pool_backward(Readout mode, float* dX, const float* dY, const int32_t* argmax,
                         const int32_t* graph_ptr, int64_t G, int64_t N, int64_t C) {
  GT_PROFILE("graph_pool_backward");
#pragma omp parallel for schedule(static)
  for (int64_t g = 0; g < G; ++g) {
    const int32_t n0 = graph_ptr[g], n1 = graph_ptr[g + 1];
    const float* dy = dY + g * C;
    const float scale = mode == Readout::Mean && n1 > n0 ? 1.0f / static_cast<float>(n1 - n0) : 1.0f;
    for (int32_t i = n0; i < n1; ++i)
      for (int64_t c = 0; c < C; ++c) {
        if (mode == Readout::Max)
          dX[i * C + c] = argmax[g * C + c] == i ? dy[c] : 0.0f;
        else
          dX[i * C + c] = dy[c] * scale;
      }
  }
}

}  // namespace gt::ops
