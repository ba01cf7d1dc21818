// nn.Embedding: a row gather forward, a row scatter-add backward.
#include <cstring>

#include "core/parallel.h"
#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

void embedding_forward(float* Y, const float* W, const int32_t* index, int64_t N, int64_t C,
                       int64_t stride, bool accumulate) {
  GT_PROFILE("embedding_forward");
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i) {
    const float* w = W + static_cast<int64_t>(index[i * stride]) * C;
    float* y = Y + i * C;
    if (accumulate) {
      for (int64_t c = 0; c < C; ++c) y[c] += w[c];
    } else {
      std::memcpy(y, w, C * sizeof(float));
    }
  }
}

void embedding_backward(float* dW, const float* dY, const int32_t* index, int64_t N, int64_t C,
                        int64_t stride) {
  GT_PROFILE("embedding_backward");
  // Rows of dW collide, so threads split the columns instead of the rows:
  // each thread adds its column slice of every row, in row order.
#pragma omp parallel
  {
    int64_t c0, c1;
    chunk_range(C, omp_get_thread_num(), omp_get_num_threads(), &c0, &c1);
    for (int64_t i = 0; i < N; ++i) {
      float* w = dW + static_cast<int64_t>(index[i * stride]) * C;
      const float* d = dY + i * C;
      for (int64_t c = c0; c < c1; ++c) w[c] += d[c];
    }
  }
}

}  // namespace gt::ops
