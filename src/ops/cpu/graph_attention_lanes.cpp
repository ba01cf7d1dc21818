// Node-only graph attention with the 8 heads as the lanes of one vector (see
// graph_attention_lanes.h). The head-major kernels of graph_attention.cpp
// keep their per-row accumulators (a destination's weighted sum of V, its dQ,
// a source's dK and dV) in float arrays on the stack, sized for any layout:
// every edge reloads and stores the whole row (the assembly of the 8 x 10
// kernels: a load, an FMA and a store per channel vector and edge).
// Here a row is kDk vectors of a compile-time count, so the accumulators and
// the destination's q row live in registers across all of a node's edges,
// and a per-head sum over channels is kDk vector adds with no shuffles.
//
// Arithmetic: each lane computes exactly what the head-major kernels compute
// for its head, in the same order (products rounded before they are summed,
// the FMA-contracted accumulations written in the same form), so the two
// agree bit for bit. The three passes per destination of the forward and the
// two passes of the backward are those of graph_attention.cpp; its comments
// give the formulas.
#include "ops/cpu/graph_attention_lanes.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "core/error.h"
#include "ops/cpu/graph_attention_common.h"

namespace gt::ops {

namespace {

using namespace attention;

// 8 floats, one per head (GCC/Clang vector extension: SIMD on any target).
// Built without AVX (GT_NATIVE=OFF) GCC warns that passing such a vector by
// value changes the ABI; these helpers are inline and file-local, so no ABI
// is crossed.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float v8 __attribute__((vector_size(32)));
typedef int i8 __attribute__((vector_size(32)));

inline v8 load(const float* p) {
  v8 x;
  std::memcpy(&x, p, sizeof x);
  return x;
}
inline void store(float* p, v8 x) { std::memcpy(p, &x, sizeof x); }

// The head-major kernels round each product before summing it over channels
// (the products pass through a scratch row); left alone, the compiler would
// fuse product and add into one FMA here (one rounding) and the last bits
// would differ. The empty asm makes the product an opaque value.
inline v8 rounded(v8 x) {
#ifdef __AVX__
  asm("" : "+x"(x));
#else
  asm("" : "+m"(x));
#endif
  return x;
}

template <int kDk>
void forward(const CsrGraph& g, const float* Q, const float* K, const float* V, float* out,
             float* logit, float* alpha, float* z) {
  constexpr int64_t kD = 8 * kDk;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(kDk));
#pragma omp parallel for schedule(static)
  for (int32_t i = 0; i < g.num_nodes; ++i) {
    const int32_t e_begin = g.dst_ptr[i], e_end = g.dst_ptr[i + 1];
    v8 q[kDk];
    for (int c = 0; c < kDk; ++c) q[c] = load(Q + i * kD + 8 * c);
    for (int32_t e = e_begin; e < e_end; ++e) {  // logits: (q . k) / sqrt(dk) per head
      const float* k = K + g.src[e] * kD;
      prefetch_next_source(g, e, K, V, kD, kD);
      v8 s = {};
      for (int c = 0; c < kDk; ++c) s += rounded(load(k + 8 * c) * q[c]);
      store(logit + static_cast<int64_t>(e) * 8, s * inv_sqrt_dk);
    }
    exp_of_clamped(logit + static_cast<int64_t>(e_begin) * 8,  // a = exp(clamp(logit))
                   alpha + static_cast<int64_t>(e_begin) * 8,
                   static_cast<int64_t>(e_end - e_begin) * 8);
    v8 o[kDk], zs = {};  // normaliser and weighted sum of V
    for (int c = 0; c < kDk; ++c) o[c] = v8{};
    for (int32_t e = e_begin; e < e_end; ++e) {
      const float* v = V + g.src[e] * kD;
      const v8 a = load(alpha + static_cast<int64_t>(e) * 8);
      zs += a;
      for (int c = 0; c < kDk; ++c) o[c] += a * load(v + 8 * c);
    }
    store(z + static_cast<int64_t>(i) * 8, zs);
    const v8 den = zs + kDenomEps;
    for (int c = 0; c < kDk; ++c) store(out + i * kD + 8 * c, o[c] / den);
  }
}

// Pass 1 (per destination): every edge's score gradient ds (to scratch) and
// the destination's dQ row.
template <int kDk>
void backward_by_destination(const CsrGraph& g, const float* K, const float* V,
                             const float* out, const float* logit, const float* alpha,
                             const float* z, const float* d_out, float* dQ, float* scratch) {
  constexpr int64_t kD = 8 * kDk;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(kDk));
#pragma omp parallel for schedule(static)
  for (int32_t i = 0; i < g.num_nodes; ++i) {
    const float* o = out + i * kD;
    const float* dout = d_out + i * kD;
    const v8 inv_z = 1.0f / (load(z + static_cast<int64_t>(i) * 8) + kDenomEps);
    v8 dz = {}, dwv[kDk], dq[kDk];  // dz = -(dout . out)/(z+eps); dwv = dout/(z+eps)
    for (int c = 0; c < kDk; ++c) dz += rounded(-(load(dout + 8 * c) * load(o + 8 * c)));
    dz *= inv_z;
    for (int c = 0; c < kDk; ++c) {
      dwv[c] = load(dout + 8 * c) * inv_z;
      dq[c] = v8{};
    }
    for (int32_t e = g.dst_ptr[i]; e < g.dst_ptr[i + 1]; ++e) {
      const float* k = K + g.src[e] * kD;
      const float* v = V + g.src[e] * kD;
      prefetch_next_source(g, e, K, V, kD, kD);
      v8 da = dz;  // da = dz + dwv . v
      for (int c = 0; c < kDk; ++c) da += rounded(dwv[c] * load(v + 8 * c));
      const v8 lg = load(logit + static_cast<int64_t>(e) * 8);
      const i8 pass = (lg >= kClampLo) & (lg <= kClampHi);
      const v8 ds = pass ? da * load(alpha + static_cast<int64_t>(e) * 8) : v8{};
      store(scratch + static_cast<int64_t>(e) * 8, ds);
      for (int c = 0; c < kDk; ++c) dq[c] += ds * load(k + 8 * c) * inv_sqrt_dk;
    }
    for (int c = 0; c < kDk; ++c) store(dQ + i * kD + 8 * c, dq[c]);
  }
}

// Pass 2 (per source, over its out-edges): the source's dK and dV rows.
template <int kDk>
void backward_by_source(const CsrGraph& g, const float* Q, const float* alpha, const float* z,
                        const float* d_out, const float* scratch, float* dK, float* dV) {
  constexpr int64_t kD = 8 * kDk;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(kDk));
  constexpr int32_t kAhead = 8;  // out-edges ahead, as in graph_attention.cpp
#pragma omp parallel for schedule(static)
  for (int32_t j = 0; j < g.num_nodes; ++j) {
    v8 dk[kDk], dv[kDk];
    for (int c = 0; c < kDk; ++c) dk[c] = dv[c] = v8{};
    for (int32_t p = g.src_ptr[j]; p < g.src_ptr[j + 1]; ++p) {
      const int64_t e = g.by_src[p];
      const int64_t i = g.dst[e];
      if (p + kAhead < g.num_edges) {
        const int64_t ahead = g.by_src[p + kAhead];
        prefetch_row(Q + g.dst[ahead] * kD, kD);
        prefetch_row(d_out + g.dst[ahead] * kD, kD);
        __builtin_prefetch(alpha + ahead * 8);
        __builtin_prefetch(scratch + ahead * 8);
      }
      const float* q = Q + i * kD;
      const float* dout = d_out + i * kD;
      const v8 w = load(alpha + e * 8) / (load(z + i * 8) + kDenomEps);
      const v8 ds = load(scratch + e * 8);
      for (int c = 0; c < kDk; ++c) {
        dv[c] += w * load(dout + 8 * c);
        dk[c] += ds * load(q + 8 * c) * inv_sqrt_dk;
      }
    }
    for (int c = 0; c < kDk; ++c) {
      store(dK + j * kD + 8 * c, dk[c]);
      store(dV + j * kD + 8 * c, dv[c]);
    }
  }
}

// Calls f with the compile-time channel count (the widths compiled here).
template <typename F>
void dispatch_width(int dk, F&& f) {
  if (dk == 10) return f(std::integral_constant<int, 10>{});
  if (dk == 16) return f(std::integral_constant<int, 16>{});
  GT_CHECK(false, "attention lanes: no kernel for 8 heads of this width");
}

}  // namespace

bool attention_lanes_supported(int H, int dk) { return H == 8 && (dk == 10 || dk == 16); }

void attention_lanes_forward(const CsrGraph& g, int dk, const float* Q, const float* K,
                             const float* V, float* out, float* logit, float* alpha, float* z) {
  dispatch_width(dk, [&](auto w) { forward<w()>(g, Q, K, V, out, logit, alpha, z); });
}

void attention_lanes_backward(const CsrGraph& g, int dk, const float* Q, const float* K,
                              const float* V, const float* out, const float* logit,
                              const float* alpha, const float* z, const float* d_out, float* dQ,
                              float* dK, float* dV, float* scratch) {
  dispatch_width(dk, [&](auto w) {
    backward_by_destination<w()>(g, K, V, out, logit, alpha, z, d_out, dQ, scratch);
    backward_by_source<w()>(g, Q, alpha, z, d_out, scratch, dK, dV);
  });
}

}  // namespace gt::ops
