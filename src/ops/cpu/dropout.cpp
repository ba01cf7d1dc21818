// Inverted dropout with a counter-based mask (ops.h). Forward and backward
// are the same elementwise product Y = X * mask / (1 - p); the backward
// recomputes the mask from (key, i) instead of reading a stored one.
#include <cmath>
#include <cstring>

#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

namespace {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;  // splitmix64's increment

// Element i is kept iff its 24-bit uniform draw u = (hash >> 40) / 2^24 is
// >= p. As integers: (hash >> 40) >= ceil(p * 2^24) (p * 2^24 is exact in
// double for a float p), which vectorises without a float conversion.
uint64_t keep_threshold(float p) {
  return static_cast<uint64_t>(std::ceil(static_cast<double>(p) * 16777216.0));
}

// Y[i] = X[i] * mask * scale, the mask of (key, first + i), i in [0, n).
// Each element's value depends on (key, first + i, X[i]) only, never on the
// chunking.
void masked_scale(float* Y, const float* X, int64_t n, float p, uint64_t key, int64_t first) {
  const uint64_t threshold = keep_threshold(p);
  // As PyTorch: the kept values are multiplied by the fp32 1 / (1 - p).
  const float scale = 1.0f / (1.0f - p);
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    // The (i+1)-th output of splitmix64 seeded with key.
    const uint64_t u = hash64(key + static_cast<uint64_t>(first + i + 1) * kGolden) >> 40;
    Y[i] = u >= threshold ? X[i] * scale : 0.0f;
  }
}

}  // namespace

void dropout_forward(float* Y, const float* X, int64_t n, float p, uint64_t key, int64_t first) {
  GT_PROFILE("dropout_forward");
  if (p == 0.0f) {
    if (Y != X) std::memcpy(Y, X, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  masked_scale(Y, X, n, p, key, first);
}

void dropout_backward(float* dX, const float* dY, int64_t n, float p, uint64_t key,
                      int64_t first) {
  GT_PROFILE("dropout_backward");
  if (p == 0.0f) {
    if (dX != dY) std::memcpy(dX, dY, static_cast<size_t>(n) * sizeof(float));
    return;
  }
  masked_scale(dX, dY, n, p, key, first);
}

}  // namespace gt::ops
