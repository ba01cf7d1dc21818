// The Graph Transformer's neighbourhood attention (SPEC §1-2) over the
// destination-sorted CSR of a batch. In DGL's terms the forward is an SDDMM
// (score of each edge from q_dst, k_src and the edge feature) followed by an
// SpMM (score-weighted sum of v_src); here both run per destination while its
// in-edges' rows are in cache (logits, clamp/exp, normaliser and weighted
// sum), so no [M, d] intermediate other than the edge output is written.
//
// The backward has two passes. Pass 1, over destinations, computes every
// edge's score gradient and everything that lands on the destination (dQ) or
// on the edge (dEp). Pass 2, over sources through the transposed CSR, gathers
// what lands on source nodes (dK, dV). No atomics: results depend only on the
// thread count.
//
// Vectorisation: every per-edge loop runs over all H*dk channels at once
// (all heads side by side), with per-head values (score, weight, gradient)
// expanded to channels first. The paper's layouts (8 heads of 8 or 10
// channels) are compiled with constant sizes, so those loops unroll into
// straight SIMD code; other layouts take the same code with runtime sizes.
// Node-only layers of 8 heads (PATTERN, CLUSTER) run the kernels of
// graph_attention_lanes.cpp instead: channel-major rows with the heads as the
// lanes of one vector and the row accumulators in registers.
// Every channel sees the same operations in the same order in all cases.
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/profile.h"
#include "ops/cpu/graph_attention_common.h"
#include "ops/cpu/graph_attention_lanes.h"
#include "ops/ops.h"

namespace gt::ops {

namespace {

using namespace attention;  // the clamp and its exp, the epsilon, the prefetches

constexpr int kMaxDim = 2048;  // H*dk; per-thread stack buffers are this long

// Head layout: compile-time when kH, kDk != 0, else the runtime values.
// kChannelMajor: every [*, H*dk] row the kernels touch holds channel c of
// head h at c*H + h instead of h*dk + c (see "Channel-major rows" below).
template <int kH, int kDk, bool kChannelMajor = false>
struct Layout {
  int h_rt, dk_rt;
  int64_t ld;  // row stride of Q, K, V and their gradients
  int H() const { return kH ? kH : h_rt; }
  int dk() const { return kDk ? kDk : dk_rt; }
  int d() const { return H() * dk(); }
};

// x[h*dk + c] = per_head[h] for every channel c of head h.
template <int kH, int kDk, bool kCM>
inline void expand_heads(const Layout<kH, kDk, kCM>& L, const float* per_head, float* x) {
  const int H = L.H(), dk = L.dk();
  if constexpr (kCM) {
    for (int c = 0; c < dk; ++c)
#pragma omp simd
      for (int h = 0; h < H; ++h) x[c * H + h] = per_head[h];
    return;
  }
  for (int h = 0; h < H; ++h)
    for (int c = 0; c < dk; ++c) x[h * dk + c] = per_head[h];
}

// sums[h] = init[h] + x[h*dk] + ... + x[h*dk + dk-1], added left to right
// (the same order either way below). For dk = 8 the compiler turns the
// head-major loops into shuffles of whole vectors; for other widths the
// channel-major order (heads as vector lanes, one strided load per channel)
// measured faster than H serial chains (PATTERN, dk = 10: ~10% per step).
template <int kH, int kDk, bool kCM>
inline void sum_heads(const Layout<kH, kDk, kCM>& L, const float* x, const float* init,
                      float* sums) {
  const int H = L.H(), dk = L.dk();
  if constexpr (kCM) {  // the same additions as below, from contiguous loads
    for (int h = 0; h < H; ++h) sums[h] = init ? init[h] : 0.0f;
    for (int c = 0; c < dk; ++c)
#pragma omp simd
      for (int h = 0; h < H; ++h) sums[h] += x[c * H + h];
    return;
  }
  if (kDk == 8) {
    for (int h = 0; h < H; ++h) {
      float s = init ? init[h] : 0.0f;
      for (int c = 0; c < dk; ++c) s += x[h * dk + c];
      sums[h] = s;
    }
    return;
  }
  for (int h = 0; h < H; ++h) sums[h] = init ? init[h] : 0.0f;
  for (int c = 0; c < dk; ++c) {
#pragma omp simd
    for (int h = 0; h < H; ++h) sums[h] += x[h * dk + c];
  }
}

// y[c] += s_h * x[c] * f for every channel c, s_h the per-head factor of c's
// head: expanded to channels first (head-major), or read in place from s
// (channel-major rows: channel c of head h sits at c*H + h). f = 1 leaves
// the product as s_h * x[c]; the arithmetic is the same either way.
template <bool kScaled, int kH, int kDk, bool kCM>
inline void add_head_scaled(const Layout<kH, kDk, kCM>& L, const float* s, const float* x, float f,
                            float* s_ch, float* y) {
  const int H = L.H(), dk = L.dk(), d = L.d();
  if constexpr (kCM) {
    for (int c = 0; c < dk; ++c)
#pragma omp simd
      for (int h = 0; h < H; ++h) {
        if constexpr (kScaled) y[c * H + h] += s[h] * x[c * H + h] * f;
        else y[c * H + h] += s[h] * x[c * H + h];
      }
    return;
  }
  expand_heads(L, s, s_ch);
#pragma omp simd
  for (int c = 0; c < d; ++c) {
    if constexpr (kScaled) y[c] += s_ch[c] * x[c] * f;
    else y[c] += s_ch[c] * x[c];
  }
}

// Per destination, three passes over its in-edges: the per-head logits of
// all edges, then their clamp/exp as one contiguous run of (edges x H)
// values, then the normaliser and the weighted sum of V. Each value sees the
// same operations in the same order as in a single fused pass; splitting
// only shortens the dependency chains the core has to overlap (the exp of
// one edge no longer waits behind the previous edge's head sums): the
// PATTERN forward measured ~1.45x faster (docs/performance.md).
template <int kH, int kDk, bool kCM>
void forward_kernel(const Layout<kH, kDk, kCM> L, const CsrGraph& g, const float* Q, const float* K,
                    const float* V, const float* Ep, float* out, float* score, float* logit,
                    float* alpha, float* z) {
  const int64_t ld = L.ld;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(L.dk()));
#pragma omp parallel for schedule(static)
  for (int32_t i = 0; i < g.num_nodes; ++i) {
    // The sizes are read here, inside the parallel loop: values computed before it
    // reach the outlined OpenMP body as run-time captures, and GCC then compiled
    // every channel loop with run-time bounds, even for the constant layouts.
    [[maybe_unused]] const int H = L.H(), dk = L.dk(), d = L.d();
    float prod[kMaxDim], a_ch[kMaxDim], o_sum[kMaxDim], z_sum[kMaxDim];
    const float* q = Q + i * ld;
    const int32_t e_begin = g.dst_ptr[i], e_end = g.dst_ptr[i + 1];
    for (int32_t e = e_begin; e < e_end; ++e) {  // logits
      const float* k = K + g.src[e] * ld;
      prefetch_next_source(g, e, K, V, ld, d);
      float* lg = logit + static_cast<int64_t>(e) * H;
      if (Ep) {  // u = q k e' / sqrt(dk): the edge output, summed per head for the score
        const float* ep = Ep + static_cast<int64_t>(e) * d;
        float* u = score + static_cast<int64_t>(e) * d;
#pragma omp simd
        for (int c = 0; c < d; ++c) u[c] = k[c] * q[c] * inv_sqrt_dk * ep[c];
        sum_heads(L, u, nullptr, lg);
      } else {
#pragma omp simd
        for (int c = 0; c < d; ++c) prod[c] = k[c] * q[c];
        sum_heads(L, prod, nullptr, lg);
        for (int h = 0; h < H; ++h) lg[h] *= inv_sqrt_dk;
      }
    }
    // a = exp(clamp(logit)) over the node's edges x heads at once
    exp_of_clamped(logit + static_cast<int64_t>(e_begin) * H,
                   alpha + static_cast<int64_t>(e_begin) * H,
                   static_cast<int64_t>(e_end - e_begin) * H);
    // Normaliser and weighted sum of V, accumulated in local rows: written
    // straight into out and z, every edge reloaded and stored them again (the
    // compiler must assume they may alias alpha and V).
    for (int c = 0; c < d; ++c) o_sum[c] = 0.0f;
    for (int h = 0; h < H; ++h) z_sum[h] = 0.0f;
    for (int32_t e = e_begin; e < e_end; ++e) {
      const float* v = V + g.src[e] * ld;
      const float* al = alpha + static_cast<int64_t>(e) * H;
#pragma omp simd
      for (int h = 0; h < H; ++h) z_sum[h] += al[h];
      add_head_scaled<false>(L, al, v, 1.0f, a_ch, o_sum);
    }
    float* o = out + static_cast<int64_t>(i) * d;
    float* zi = z + static_cast<int64_t>(i) * H;
    for (int h = 0; h < H; ++h) {
      zi[h] = z_sum[h];
      prod[h] = z_sum[h] + kDenomEps;
    }
    expand_heads(L, prod, a_ch);
    for (int c = 0; c < d; ++c) o[c] = o_sum[c] / a_ch[c];
  }
}

// Pass 1: per destination i. For each in-edge e and head h the gradient of
// the pre-clamp score is
//   ds = [s in range] * a * (dwV . v_j + dz),  dwV = dout/(z+eps),
//   dz = -(dout . out)/(z+eps).
// ds goes to scratch [M, H] for pass 2. Edge variant: the edge output's
// gradient is du = d_score + ds (ds broadcast over the head's channels); dQ
// and dEp follow from u = q k e' / sqrt(dk). Pass 2 recomputes du from
// d_score and ds instead of reading an [M, d] copy.
template <int kH, int kDk, bool kCM>
void backward_by_destination(const Layout<kH, kDk, kCM> L, const CsrGraph& g, const float* Q,
                             const float* K, const float* V, const float* Ep, const float* out,
                             const float* logit, const float* alpha, const float* z,
                             const float* d_out, const float* d_score, float* dQ, float* dEp,
                             float* scratch) {
  const int64_t ld = L.ld;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(L.dk()));
#pragma omp parallel for schedule(static)
  for (int32_t i = 0; i < g.num_nodes; ++i) {
    [[maybe_unused]] const int H = L.H(), dk = L.dk(), d = L.d();
    float dwv[kMaxDim], tmp[kMaxDim], ds_ch[kMaxDim], dz[kMaxDim], ds[kMaxDim];
    float dq[kMaxDim];  // dQ's row, accumulated locally (see forward_kernel)
    const float* q = Q + i * ld;
    const float* o = out + static_cast<int64_t>(i) * d;
    const float* dout = d_out + static_cast<int64_t>(i) * d;
    // dz = -(dout . out) / (z + eps) per head; dwv = dout / (z + eps).
    for (int h = 0; h < H; ++h) ds[h] = 1.0f / (z[static_cast<int64_t>(i) * H + h] + kDenomEps);
    expand_heads(L, ds, ds_ch);
    for (int c = 0; c < d; ++c) tmp[c] = -(dout[c] * o[c]);
    sum_heads(L, tmp, nullptr, dz);
    for (int h = 0; h < H; ++h) dz[h] *= ds[h];
#pragma omp simd
    for (int c = 0; c < d; ++c) dwv[c] = dout[c] * ds_ch[c];
    for (int c = 0; c < d; ++c) dq[c] = 0.0f;
    for (int32_t e = g.dst_ptr[i]; e < g.dst_ptr[i + 1]; ++e) {
      const float* k = K + g.src[e] * ld;
      const float* v = V + g.src[e] * ld;
      prefetch_next_source(g, e, K, V, ld, d);
      const float* lg = logit + static_cast<int64_t>(e) * H;
      const float* al = alpha + static_cast<int64_t>(e) * H;
#pragma omp simd
      for (int c = 0; c < d; ++c) tmp[c] = dwv[c] * v[c];
      sum_heads(L, tmp, dz, ds);  // da = dz + dwv . v
      // In range, a = exp(s) exactly as the forward computed it.
      for (int h = 0; h < H; ++h) ds[h] = clamp_passes(lg[h]) ? ds[h] * al[h] : 0.0f;
      for (int h = 0; h < H; ++h) scratch[static_cast<int64_t>(e) * H + h] = ds[h];
      if (Ep) {
        expand_heads(L, ds, ds_ch);
        const int64_t off = static_cast<int64_t>(e) * d;
        const float* ep = Ep + off;
        float* dep = dEp + off;
#pragma omp simd
        for (int c = 0; c < d; ++c) {
          const float du = (d_score ? d_score[off + c] : 0.0f) + ds_ch[c];
          dq[c] += du * k[c] * ep[c] * inv_sqrt_dk;
          dep[c] = du * q[c] * k[c] * inv_sqrt_dk;
        }
      } else {
        add_head_scaled<true>(L, ds, k, inv_sqrt_dk, ds_ch, dq);
      }
    }
    std::copy(dq, dq + d, dQ + i * ld);
  }
}

// Pass 2: per source j, over its out-edges (transposed CSR):
//   dV_j += a_e * dout_i / (z_i + eps)
//   dK_j += du_e * q_i * e'_e / sqrt(dk)   (edge)   or  ds_e * q_i / sqrt(dk)  (node)
template <int kH, int kDk, bool kCM>
void backward_by_source(const Layout<kH, kDk, kCM> L, const CsrGraph& g, const float* Q,
                        const float* Ep, const float* alpha, const float* z, const float* d_out,
                        const float* d_score, const float* scratch, float* dK, float* dV) {
  const int64_t ld = L.ld;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(L.dk()));
  constexpr int32_t kAhead = 8;  // out-edges ahead; on PATTERN 4 and 8 measured alike
#pragma omp parallel for schedule(static)
  for (int32_t j = 0; j < g.num_nodes; ++j) {
    [[maybe_unused]] const int H = L.H(), dk = L.dk(), d = L.d();
    float w[kMaxDim], w_ch[kMaxDim], ds_ch[kMaxDim];
    float dk_row[kMaxDim], dv_row[kMaxDim];  // accumulated locally (see forward_kernel)
    for (int c = 0; c < d; ++c) dk_row[c] = dv_row[c] = 0.0f;
    for (int32_t p = g.src_ptr[j]; p < g.src_ptr[j + 1]; ++p) {
      const int64_t e = g.by_src[p];
      const int64_t i = g.dst[e];
      const float* q = Q + i * ld;
      const float* dout = d_out + i * d;
      // The rows of later out-edges: their destinations' Q and dout rows, and
      // the edge's [H] values, which sit in destination order (scattered in
      // this loop: without the prefetch the loads of alpha and ds stall).
      if (p + kAhead < g.num_edges) {
        const int64_t ahead = g.by_src[p + kAhead];
        const int64_t next = g.dst[ahead];
        prefetch_row(Q + next * ld, d);
        prefetch_row(d_out + next * d, d);
        __builtin_prefetch(alpha + ahead * H);
        __builtin_prefetch(scratch + ahead * H);
      }
#pragma omp simd
      for (int h = 0; h < H; ++h) w[h] = alpha[e * H + h] / (z[i * H + h] + kDenomEps);
      add_head_scaled<false>(L, w, dout, 1.0f, w_ch, dv_row);
      if (Ep) {  // du = d_score + ds, recomputed rather than stored by pass 1
        expand_heads(L, scratch + e * H, ds_ch);
        const float* ep = Ep + e * d;
        const float* dsc = d_score ? d_score + e * d : nullptr;
#pragma omp simd
        for (int c = 0; c < d; ++c) {
          const float du = (dsc ? dsc[c] : 0.0f) + ds_ch[c];
          dk_row[c] += du * q[c] * ep[c] * inv_sqrt_dk;
        }
      } else {
        add_head_scaled<true>(L, scratch + e * H, q, inv_sqrt_dk, ds_ch, dk_row);
      }
    }
    std::copy(dk_row, dk_row + d, dK + j * ld);
    std::copy(dv_row, dv_row + d, dV + j * ld);
  }
}

// Calls f(layout) with the compile-time layout matching (H, dk) when there is
// one (the paper's models: 8 heads of 8 or 10 channels), else the runtime one.
// kCM: channel-major rows with the run-time sizes (the 8-head widths have the
// kernels of graph_attention_lanes.cpp).
template <bool kCM = false, typename F>
void dispatch_layout(int H, int dk, int64_t ld, F&& f) {
  GT_CHECK(H > 0 && dk > 0 && H * dk <= kMaxDim, "attention supports H*dk <= 2048");
  GT_CHECK(ld >= static_cast<int64_t>(H) * dk, "attention row stride below H*dk");
  if constexpr (kCM) {
    return f(Layout<0, 0, true>{H, dk, ld});
  } else {
    if (H == 8 && dk == 8) return f(Layout<8, 8>{H, dk, ld});
    if (H == 8 && dk == 10) return f(Layout<8, 10>{H, dk, ld});
    if (H == 8 && dk == 16) return f(Layout<8, 16>{H, dk, ld});
    return f(Layout<0, 0>{H, dk, ld});
  }
}

// Channel-major rows. With dk != 8 (PATTERN and CLUSTER: 8 heads of 10
// channels) a head's channels do not fill whole vectors, and the per-head
// sums of the head-major layout become strided loads. Node-only layers
// (no [M, d] edge arrays to reorder) therefore run the kernels on copies of
// their [N, d] rows permuted to c*H + h, where a per-head sum is dk
// contiguous vector adds and a per-head value is broadcast by plain stores;
// the results are permuted back. With 8 heads the kernels are those of
// graph_attention_lanes.cpp (a channel is one 8-lane vector); other head
// counts take this file's kernels with run-time sizes. Each value sees the
// same operations in the same order as in the head-major layout, so the
// outputs are bit-for-bit those of the head-major kernels
// (tests/cpp/test_attention_kernels.cpp).
bool use_channel_major(AttentionRows rows, const float* Ep, int dk) {
  return rows == AttentionRows::Auto && Ep == nullptr && dk != 8;
}

// Row i's channel c of head h sits at hm[i*ld + h*dk + c] (head-major, row
// stride ld) and at cm[i*H*dk + c*H + h] (channel-major, packed); this copies
// one layout into the other. The heads are the inner loop, so the
// channel-major side moves 8 contiguous floats at a time, and the paper's
// 8 x 10 layout is compiled with constant sizes (in the training step the
// runtime-size loops measured ~20% slower on the attention backward).
template <bool kToChannelMajor, int kH, int kDk>
void permute_rows(const float* src, float* dst, int64_t ld, int64_t N, int h_rt, int dk_rt) {
  const int H = kH ? kH : h_rt, dk = kDk ? kDk : dk_rt;
  const int64_t d = static_cast<int64_t>(H) * dk;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i)
    for (int c = 0; c < dk; ++c)
      for (int h = 0; h < H; ++h) {
        const int64_t hm = i * ld + h * dk + c, cm = i * d + c * H + h;
        if constexpr (kToChannelMajor) dst[cm] = src[hm];
        else dst[hm] = src[cm];
      }
}
template <bool kToChannelMajor>
void permute_rows(const float* src, float* dst, int64_t ld, int64_t N, int H, int dk) {
  if (H == 8 && dk == 10) return permute_rows<kToChannelMajor, 8, 10>(src, dst, ld, N, H, dk);
  permute_rows<kToChannelMajor, 0, 0>(src, dst, ld, N, H, dk);
}
void to_channel_major(const float* X, int64_t ld, int64_t N, int H, int dk, float* Y) {
  permute_rows<true>(X, Y, ld, N, H, dk);
}
void from_channel_major(const float* Y, int64_t N, int H, int dk, float* X, int64_t ld) {
  permute_rows<false>(Y, X, ld, N, H, dk);
}

// Scratch rows for the permuted copies, kept between calls (no allocation
// once a step's size has been seen).
float* channel_major_buffer(size_t floats) {
  thread_local std::vector<float> buffer;
  if (buffer.size() < floats) buffer.resize(floats);
  return buffer.data();
}

}  // namespace

void graph_attention_forward(const CsrGraph& g, int H, int dk, int64_t ld, const float* Q,
                             const float* K, const float* V, const float* Ep, float* out,
                             float* score, float* logit, float* alpha, float* z,
                             AttentionRows rows) {
  GT_PROFILE("graph_attention_forward");
  if (use_channel_major(rows, Ep, dk)) {
    const int64_t N = g.num_nodes, nd = N * H * dk;
    float* Qc = channel_major_buffer(static_cast<size_t>(4 * nd));
    float *Kc = Qc + nd, *Vc = Kc + nd, *Oc = Vc + nd;
    to_channel_major(Q, ld, N, H, dk, Qc);
    to_channel_major(K, ld, N, H, dk, Kc);
    to_channel_major(V, ld, N, H, dk, Vc);
    if (attention_lanes_supported(H, dk)) {
      attention_lanes_forward(g, dk, Qc, Kc, Vc, Oc, logit, alpha, z);
    } else {
      dispatch_layout<true>(H, dk, static_cast<int64_t>(H) * dk, [&](auto L) {
        forward_kernel(L, g, Qc, Kc, Vc, nullptr, Oc, nullptr, logit, alpha, z);
      });
    }
    from_channel_major(Oc, N, H, dk, out, static_cast<int64_t>(H) * dk);
    return;
  }
  dispatch_layout(H, dk, ld, [&](auto L) {
    forward_kernel(L, g, Q, K, V, Ep, out, score, logit, alpha, z);
  });
}

void graph_attention_backward(const CsrGraph& g, int H, int dk, int64_t ld, const float* Q,
                              const float* K, const float* V, const float* Ep, const float* out,
                              const float* logit, const float* alpha, const float* z,
                              const float* d_out, const float* d_score, float* dQ, float* dK,
                              float* dV, float* dEp, float* scratch, AttentionRows rows) {
  GT_PROFILE("graph_attention_backward");
  if (use_channel_major(rows, Ep, dk)) {
    const int64_t N = g.num_nodes, d = static_cast<int64_t>(H) * dk, nd = N * d;
    float* Qc = channel_major_buffer(static_cast<size_t>(8 * nd));
    float *Kc = Qc + nd, *Vc = Kc + nd, *Oc = Vc + nd, *dOc = Oc + nd;
    float *dQc = dOc + nd, *dKc = dQc + nd, *dVc = dKc + nd;
    // The forward's copies are gone (one buffer serves every layer): permuting
    // again is O(N d), against the kernels' O(M d).
    to_channel_major(Q, ld, N, H, dk, Qc);
    to_channel_major(K, ld, N, H, dk, Kc);
    to_channel_major(V, ld, N, H, dk, Vc);
    to_channel_major(out, d, N, H, dk, Oc);
    to_channel_major(d_out, d, N, H, dk, dOc);
    if (attention_lanes_supported(H, dk)) {
      attention_lanes_backward(g, dk, Qc, Kc, Vc, Oc, logit, alpha, z, dOc, dQc, dKc, dVc,
                               scratch);
    } else {
      dispatch_layout<true>(H, dk, d, [&](auto L) {
        backward_by_destination(L, g, Qc, Kc, Vc, nullptr, Oc, logit, alpha, z, dOc, nullptr,
                                dQc, nullptr, scratch);
        backward_by_source(L, g, Qc, nullptr, alpha, z, dOc, nullptr, scratch, dKc, dVc);
      });
    }
    from_channel_major(dQc, N, H, dk, dQ, ld);
    from_channel_major(dKc, N, H, dk, dK, ld);
    from_channel_major(dVc, N, H, dk, dV, ld);
    return;
  }
  dispatch_layout(H, dk, ld, [&](auto L) {
    backward_by_destination(L, g, Q, K, V, Ep, out, logit, alpha, z, d_out, d_score, dQ, dEp,
                            scratch);
    backward_by_source(L, g, Q, Ep, alpha, z, d_out, d_score, scratch, dK, dV);
  });
}

}  // namespace gt::ops
