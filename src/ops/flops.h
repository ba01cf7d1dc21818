// A process-wide count of the floating-point operations done by GEMMs
// (ops::sgemm adds 2*M*N*K per call), for `gt bench`'s effective GFLOP/s.
// Only GEMMs are counted: graph attention, norms, element-wise ops and Adam
// are not, so a rate computed from it is a lower bound on the true one.
#pragma once
#include <cstdint>
#include <vector>

namespace gt::ops {

// FLOPs of every sgemm since the last reset (relaxed atomic; thread-safe).
uint64_t gemm_flops();
void reset_gemm_flops();
// Called by the sgemm back-ends with each call's problem.
void add_gemm_flops(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K);

// One sgemm call's problem, as gt bench's GEMM floor replays it.
struct GemmShape {
  bool trans_a = false, trans_b = false;
  int64_t M = 0, N = 0, K = 0;
  bool operator==(const GemmShape& o) const {
    return trans_a == o.trans_a && trans_b == o.trans_b && M == o.M && N == o.N && K == o.K;
  }
};
// While a log is set, every counted sgemm call appends its shape to it (set it
// from one thread, around single-threaded callers of sgemm; null stops).
void set_gemm_log(std::vector<GemmShape>* log);

}  // namespace gt::ops
