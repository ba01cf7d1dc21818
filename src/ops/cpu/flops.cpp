#include "ops/flops.h"

#include <atomic>

namespace gt::ops {

namespace {
std::atomic<uint64_t> g_gemm_flops{0};
std::vector<GemmShape>* g_gemm_log = nullptr;
}

uint64_t gemm_flops() { return g_gemm_flops.load(std::memory_order_relaxed); }

void reset_gemm_flops() { g_gemm_flops.store(0, std::memory_order_relaxed); }

void set_gemm_log(std::vector<GemmShape>* log) { g_gemm_log = log; }

void add_gemm_flops(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K) {
  if (M <= 0 || N <= 0 || K <= 0) return;
  if (g_gemm_log) g_gemm_log->push_back({trans_a, trans_b, M, N, K});
  g_gemm_flops.fetch_add(2ULL * static_cast<uint64_t>(M) * static_cast<uint64_t>(N) *
                             static_cast<uint64_t>(K),
                         std::memory_order_relaxed);
}

}  // namespace gt::ops
