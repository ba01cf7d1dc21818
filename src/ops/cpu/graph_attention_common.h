// What the attention kernels share (graph_attention.cpp, the head-major and
// runtime-layout kernels; graph_attention_lanes.cpp, the 8-head node-only
// kernels): the score clamp of SPEC §1 and its exp, the normaliser's epsilon,
// and the software prefetch of gathered rows.
#pragma once
#include <cstdint>

#include "ops/cpu/exp_approx.h"
#include "ops/ops.h"

namespace gt::ops::attention {

constexpr float kClampLo = -5.0f, kClampHi = 5.0f;
constexpr float kDenomEps = 1e-6f;

inline float clamp_score(float s) { return s < kClampLo ? kClampLo : (s > kClampHi ? kClampHi : s); }
// torch.clamp passes the gradient where min <= s <= max.
inline bool clamp_passes(float s) { return s >= kClampLo && s <= kClampHi; }

// Asks for a gathered row while the current one is computed: the rows of
// Q/K/V are read by node id, so the hardware prefetcher cannot guess them,
// and the kernels otherwise stall on those loads.
inline void prefetch_row(const float* row, int64_t d) {
  for (int64_t c = 0; c < d; c += 16) __builtin_prefetch(row + c);
}

// The K and V rows of the source of edge e + 1 (the next in-edge in CSR order).
inline void prefetch_next_source(const CsrGraph& g, int32_t e, const float* K, const float* V,
                                 int64_t ld, int64_t d) {
  if (e + 1 >= g.num_edges) return;
  prefetch_row(K + g.src[e + 1] * ld, d);
  prefetch_row(V + g.src[e + 1] * ld, d);
}

// alpha = exp(clamp(logit)) over one destination's (edges x heads) logits
// as one contiguous vector loop (a vector loop only under -fno-trapping-math,
// which CMakeLists.txt sets for the attention kernels' files).
inline void exp_of_clamped(const float* logit, float* alpha, int64_t count) {
#pragma omp simd
  for (int64_t t = 0; t < count; ++t) alpha[t] = exp_approx(clamp_score(logit[t]));
}

}  // namespace gt::ops::attention
