// Portable single-precision GEMM, used when oneDNN is not available (for
// example on machines with only a compiler and CMake). Operands are packed
// into row-major op(A) and op(B) so the inner loop is a contiguous axpy the
// compiler vectorises; rows of C are split statically across threads.
#ifndef GT_HAVE_DNNL
#include <vector>

#include "core/parallel.h"
#include "ops/flops.h"
#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

namespace {

// Copies op(X) (rows x cols after the op) into a dense row-major buffer.
void pack(bool trans, const float* X, int64_t ld, int64_t rows, int64_t cols,
          std::vector<float>* out) {
  out->resize(static_cast<size_t>(rows * cols));
  float* p = out->data();
  if (!trans) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) p[r * cols + c] = X[r * ld + c];
  } else {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) p[r * cols + c] = X[c * ld + r];
  }
}

constexpr int64_t kBlockK = 256;

}  // namespace

const char* gemm_backend() { return "portable"; }

void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
           const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc) {
  GT_PROFILE("sgemm");
  if (M == 0 || N == 0) return;
  if (K == 0) {  // an empty sum (a weight gradient over no rows): C = beta C
    scale_matrix(C, ldc, M, N, beta);
    return;
  }
  add_gemm_flops(trans_a, trans_b, M, N, K);
  std::vector<float> a_packed, b_packed;
  const float* a = A;
  int64_t a_ld = lda;
  if (trans_a) {
    pack(true, A, lda, M, K, &a_packed);
    a = a_packed.data();
    a_ld = K;
  }
  pack(trans_b, B, ldb, K, N, &b_packed);
  const float* b = b_packed.data();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < M; ++i) {
    float* c = C + i * ldc;
    if (beta == 0.0f) {
      for (int64_t j = 0; j < N; ++j) c[j] = 0.0f;
    } else if (beta != 1.0f) {
      for (int64_t j = 0; j < N; ++j) c[j] *= beta;
    }
    for (int64_t k0 = 0; k0 < K; k0 += kBlockK) {
      const int64_t k1 = std::min(K, k0 + kBlockK);
      for (int64_t k = k0; k < k1; ++k) {
        const float s = alpha * a[i * a_ld + k];
        const float* brow = b + k * N;
#pragma omp simd
        for (int64_t j = 0; j < N; ++j) c[j] += s * brow[j];
      }
    }
  }
}

}  // namespace gt::ops
#endif  // GT_HAVE_DNNL
