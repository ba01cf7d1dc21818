// A vectorisable expf for the attention kernels. glibc's expf is a scalar
// call per score (8 heads x every edge x every layer: millions per step); this
// inline version lets the compiler evaluate a whole row of heads in SIMD
// registers. Cephes' single-precision scheme: x = n ln2 + r with |r| <= ln2/2,
// exp(r) from a degree-7 polynomial, 2^n by building the exponent bits.
// Relative error <= 2e-7 (about 1-2 ulp; tests/cpp/test_attention_kernels.cpp
// checks it against std::exp over the range). Only valid for |x| <= 80, which
// the attention kernels guarantee by clamping scores to [-5, 5] first.
#pragma once
#include <cmath>
#include <cstdint>

namespace gt::ops {

inline float exp_approx(float x) {
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693359375f;       // exact in 11 bits: n * kLn2Hi is exact
  constexpr float kLn2Lo = -2.12194440e-4f;
  // Round to nearest by the 1.5 * 2^23 trick (std::floor does not vectorise
  // without -fno-trapping-math); exact for |x * log2(e)| < 2^22.
  constexpr float kRound = 12582912.0f;
  const float n = (x * kLog2e + kRound) - kRound;
  float r = std::fma(-n, kLn2Hi, x);
  r = std::fma(-n, kLn2Lo, r);
  float p = 1.9875691500e-4f;
  p = std::fma(p, r, 1.3981999507e-3f);
  p = std::fma(p, r, 8.3334519073e-3f);
  p = std::fma(p, r, 4.1665795894e-2f);
  p = std::fma(p, r, 1.6666665459e-1f);
  p = std::fma(p, r, 5.0000001201e-1f);
  p = std::fma(p, r * r, r + 1.0f);
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  // A bit cast the vectoriser understands (memcpy into a float does not vectorise).
  return p * __builtin_bit_cast(float, bits);
}

}  // namespace gt::ops
