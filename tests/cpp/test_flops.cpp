// The GEMM FLOP counter behind `gt bench`'s effective GFLOP/s (ops/flops.h).
#include <gtest/gtest.h>

#include <vector>

#include "ops/flops.h"
#include "ops/ops.h"

namespace {

TEST(GemmFlops, CountsTwoMNKPerCall) {
  std::vector<float> A(6 * 5, 1.0f), B(5 * 7, 1.0f), C(6 * 7, 0.0f);
  gt::ops::reset_gemm_flops();
  EXPECT_EQ(gt::ops::gemm_flops(), 0u);
  gt::ops::sgemm(false, false, 6, 7, 5, 1.0f, A.data(), 5, B.data(), 7, 0.0f, C.data(), 7);
  EXPECT_EQ(gt::ops::gemm_flops(), 2u * 6 * 7 * 5);
  EXPECT_FLOAT_EQ(C[0], 5.0f);
  gt::ops::sgemm(true, false, 5, 7, 6, 1.0f, A.data(), 5, B.data(), 7, 0.0f, C.data(), 7);
  EXPECT_EQ(gt::ops::gemm_flops(), 2u * 6 * 7 * 5 * 2);
  gt::ops::sgemm(false, false, 0, 7, 5, 1.0f, A.data(), 5, B.data(), 7, 0.0f, C.data(), 7);
  EXPECT_EQ(gt::ops::gemm_flops(), 2u * 6 * 7 * 5 * 2);  // empty products add nothing
  gt::ops::reset_gemm_flops();
  EXPECT_EQ(gt::ops::gemm_flops(), 0u);
}

}  // namespace
