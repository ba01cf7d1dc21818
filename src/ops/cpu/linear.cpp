// nn.Linear as GEMMs: Y = X W^T + b; dX = dY W; dW += dY^T X; db += colsum(dY).
#include <vector>

#include "core/parallel.h"
#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

void linear_forward(float* Y, const float* X, const float* W, const float* b, int64_t N,
                    int64_t in, int64_t out, const float* residual, bool relu) {
  GT_PROFILE("linear_forward");
  sgemm(false, true, N, out, in, 1.0f, X, in, W, in, 0.0f, Y, out);
  if (!b && !residual && !relu) return;
  // One pass for the whole epilogue: (X W^T + b) + residual, then ReLU.
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i) {
    float* y = Y + i * out;
    const float* r = residual ? residual + i * out : nullptr;
    if (b) {
#pragma omp simd
      for (int64_t j = 0; j < out; ++j) y[j] += b[j];
    }
    if (r) {
#pragma omp simd
      for (int64_t j = 0; j < out; ++j) y[j] += r[j];
    }
    if (relu) {
#pragma omp simd
      for (int64_t j = 0; j < out; ++j) y[j] = y[j] > 0.0f ? y[j] : 0.0f;
    }
  }
}

namespace {

// db[j] += sum_i dY[i, j]. Rows are split into one chunk per thread; the
// partial sums are added in thread order, so the result depends only on the
// thread count.
void column_sum_accumulate(float* db, const float* dY, int64_t N, int64_t C) {
  const int T = num_threads();
  thread_local std::vector<double> partial;
  partial.assign(static_cast<size_t>(T) * C, 0.0);
  double* part = partial.data();
#pragma omp parallel num_threads(T)
  {
    const int t = omp_get_thread_num();
    int64_t r0, r1;
    chunk_range(N, t, omp_get_num_threads(), &r0, &r1);
    double* acc = part + static_cast<size_t>(t) * C;
    for (int64_t i = r0; i < r1; ++i)
      for (int64_t j = 0; j < C; ++j) acc[j] += dY[i * C + j];
  }
  for (int64_t j = 0; j < C; ++j) {
    double s = 0.0;
    for (int t = 0; t < T; ++t) s += part[static_cast<size_t>(t) * C + j];
    db[j] += static_cast<float>(s);
  }
}

}  // namespace

void linear_backward(float* dX, float* dW, float* db, const float* dY, const float* X,
                     const float* W, int64_t N, int64_t in, int64_t out, bool accumulate_dx) {
  GT_PROFILE("linear_backward");
  if (dX) sgemm(false, false, N, in, out, 1.0f, dY, out, W, in, accumulate_dx ? 1.0f : 0.0f, dX, in);
  if (dW) sgemm(true, false, out, in, N, 1.0f, dY, out, X, in, 1.0f, dW, in);
  if (db) column_sum_accumulate(db, dY, N, out);
}

}  // namespace gt::ops
