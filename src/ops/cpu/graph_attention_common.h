// What the attention kernels share (graph_attention.cpp, the head-major and
// runtime-layout kernels; graph_attention_lanes.cpp, the 8-head node-only
// kernels): the score clamp of SPEC §1, the normaliser's epsilon, and the
// software prefetch of gathered rows.
#pragma once
#include <cstdint>

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

}  // namespace gt::ops::attention
