// A process-wide count of the floating-point operations done by GEMMs
// (ops::sgemm adds 2*M*N*K per call), for `gt bench`'s effective GFLOP/s.
// Only GEMMs are counted: graph attention, norms, element-wise ops and Adam
// are not, so a rate computed from it is a lower bound on the true one.
#pragma once
#include <cstdint>

namespace gt::ops {

// FLOPs of every sgemm since the last reset (relaxed atomic; thread-safe).
uint64_t gemm_flops();
void reset_gemm_flops();
// Called by the sgemm back-ends.
void add_gemm_flops(int64_t M, int64_t N, int64_t K);

}  // namespace gt::ops
