// GEMM through oneDNN's sgemm, which selects AVX-512/AVX2 kernels itself
// (measured here: ~115-165 GFLOP/s on one core, against ~20 for Debian's
// OpenBLAS without OPENBLAS_CORETYPE). Compiled only when oneDNN is found.
#include <dnnl.h>

#include <string>

#include "core/error.h"
#include "ops/flops.h"
#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

const char* gemm_backend() { return "oneDNN"; }

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
  const dnnl_status_t status = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', M, N, K,
                                          alpha, A, lda, B, ldb, beta, C, ldc);
  if (status != dnnl_success)
    fail("oneDNN sgemm failed with status " + std::to_string(static_cast<int>(status)));
}

}  // namespace gt::ops
