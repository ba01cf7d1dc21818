// The Graph Transformer's neighbourhood attention (SPEC §1-2) over the
// destination-sorted CSR of a batch. In DGL's terms the forward is an SDDMM
// (score of each edge from q_dst, k_src and the edge feature) followed by an
// SpMM (score-weighted sum of v_src); here both run in one pass over each
// destination's in-edges, with the clamp/exp and normaliser in between, so
// no [M, d] intermediate other than the edge output itself is written.
//
// The backward has two passes. Pass 1, over destinations, computes every
// edge's score gradient and everything that lands on the destination (dQ) or
// on the edge (dEp). Pass 2, over sources through the transposed CSR, gathers
// what lands on source nodes (dK, dV). No atomics: results depend only on the
// thread count.
#include <cmath>

#include "ops/ops.h"

namespace gt::ops {

namespace {

constexpr float kClampLo = -5.0f, kClampHi = 5.0f;
constexpr float kDenomEps = 1e-6f;

inline float clamp_score(float s) { return s < kClampLo ? kClampLo : (s > kClampHi ? kClampHi : s); }
// torch.clamp passes the gradient where min <= s <= max.
inline bool clamp_passes(float s) { return s >= kClampLo && s <= kClampHi; }

}  // namespace

void graph_attention_forward(const CsrGraph& g, int H, int dk, const float* Q, const float* K,
                             const float* V, const float* Ep, float* out, float* score,
                             float* logit, float* alpha, float* z) {
  const int d = H * dk;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(dk));
#pragma omp parallel for schedule(static)
  for (int32_t i = 0; i < g.num_nodes; ++i) {
    const float* q = Q + static_cast<int64_t>(i) * d;
    float* o = out + static_cast<int64_t>(i) * d;
    float* zi = z + static_cast<int64_t>(i) * H;
    for (int c = 0; c < d; ++c) o[c] = 0.0f;
    for (int h = 0; h < H; ++h) zi[h] = 0.0f;
    for (int32_t e = g.dst_ptr[i]; e < g.dst_ptr[i + 1]; ++e) {
      const int64_t j = g.src[e];
      const float* k = K + j * d;
      const float* v = V + j * d;
      for (int h = 0; h < H; ++h) {
        float s = 0.0f;
        if (Ep) {
          const float* ep = Ep + static_cast<int64_t>(e) * d + h * dk;
          float* u = score + static_cast<int64_t>(e) * d + h * dk;
          for (int c = 0; c < dk; ++c) {
            u[c] = k[h * dk + c] * q[h * dk + c] * inv_sqrt_dk * ep[c];
            s += u[c];
          }
        } else {
          for (int c = 0; c < dk; ++c) s += k[h * dk + c] * q[h * dk + c];
          s *= inv_sqrt_dk;
        }
        logit[static_cast<int64_t>(e) * H + h] = s;
        const float a = std::exp(clamp_score(s));
        alpha[static_cast<int64_t>(e) * H + h] = a;
        zi[h] += a;
        for (int c = 0; c < dk; ++c) o[h * dk + c] += a * v[h * dk + c];
      }
    }
    for (int h = 0; h < H; ++h) {
      const float denom = zi[h] + kDenomEps;
      for (int c = 0; c < dk; ++c) o[h * dk + c] /= denom;
    }
  }
}

namespace {

// Pass 1: per destination i. For each in-edge e and head h the gradient of
// the pre-clamp score is
//   ds = [s in range] * a * (dwV . v_j + dz),  dwV = dout/(z+eps),
//   dz = -(dout . out)/(z+eps).
// Edge variant: du[e] = d_score[e] + ds (broadcast over the head's channels),
// stored in scratch for pass 2; dQ and dEp follow from u = q k e' / sqrt(dk).
void attention_backward_by_destination(const CsrGraph& g, int H, int dk, const float* Q,
                                       const float* K, const float* V, const float* Ep,
                                       const float* out, const float* logit, const float* alpha,
                                       const float* z, const float* d_out, const float* d_score,
                                       float* dQ,
                                       float* dEp, float* scratch) {
  const int d = H * dk;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(dk));
#pragma omp parallel for schedule(static)
  for (int32_t i = 0; i < g.num_nodes; ++i) {
    const float* q = Q + static_cast<int64_t>(i) * d;
    const float* o = out + static_cast<int64_t>(i) * d;
    const float* dout = d_out + static_cast<int64_t>(i) * d;
    float* dq = dQ + static_cast<int64_t>(i) * d;
    for (int c = 0; c < d; ++c) dq[c] = 0.0f;
    for (int h = 0; h < H; ++h) {
      const float inv_denom = 1.0f / (z[static_cast<int64_t>(i) * H + h] + kDenomEps);
      float dz = 0.0f;
      for (int c = 0; c < dk; ++c) dz -= dout[h * dk + c] * o[h * dk + c];
      dz *= inv_denom;
      for (int32_t e = g.dst_ptr[i]; e < g.dst_ptr[i + 1]; ++e) {
        const int64_t j = g.src[e];
        const float* k = K + j * d + h * dk;
        const float* v = V + j * d + h * dk;
        const float s = logit[static_cast<int64_t>(e) * H + h];
        float da = dz;
        for (int c = 0; c < dk; ++c) da += dout[h * dk + c] * inv_denom * v[c];
        // In range, a = exp(s) exactly as the forward computed it.
        const float ds = clamp_passes(s) ? da * alpha[static_cast<int64_t>(e) * H + h] : 0.0f;
        if (Ep) {
          const int64_t off = static_cast<int64_t>(e) * d + h * dk;
          const float* ep = Ep + off;
          float* du = scratch + off;
          for (int c = 0; c < dk; ++c) {
            du[c] = (d_score ? d_score[off + c] : 0.0f) + ds;
            dq[h * dk + c] += du[c] * k[c] * ep[c] * inv_sqrt_dk;
            dEp[off + c] = du[c] * q[h * dk + c] * k[c] * inv_sqrt_dk;
          }
        } else {
          scratch[static_cast<int64_t>(e) * H + h] = ds;
          for (int c = 0; c < dk; ++c) dq[h * dk + c] += ds * k[c] * inv_sqrt_dk;
        }
      }
    }
  }
}

// Pass 2: per source j, over its out-edges (transposed CSR):
//   dV_j += a_e * dout_i / (z_i + eps)
//   dK_j += du_e * q_i * e'_e / sqrt(dk)   (edge)   or  ds_e * q_i / sqrt(dk)  (node)
void attention_backward_by_source(const CsrGraph& g, int H, int dk, const float* Q,
                                  const float* Ep, const float* alpha, const float* z,
                                  const float* d_out, const float* scratch, float* dK,
                                  float* dV) {
  const int d = H * dk;
  const float inv_sqrt_dk = 1.0f / std::sqrt(static_cast<float>(dk));
#pragma omp parallel for schedule(static)
  for (int32_t j = 0; j < g.num_nodes; ++j) {
    float* dk_row = dK + static_cast<int64_t>(j) * d;
    float* dv_row = dV + static_cast<int64_t>(j) * d;
    for (int c = 0; c < d; ++c) dk_row[c] = dv_row[c] = 0.0f;
    for (int32_t p = g.src_ptr[j]; p < g.src_ptr[j + 1]; ++p) {
      const int64_t e = g.by_src[p];
      const int64_t i = g.dst[e];
      const float* q = Q + i * d;
      const float* dout = d_out + i * d;
      for (int h = 0; h < H; ++h) {
        const float w = alpha[e * H + h] / (z[i * H + h] + kDenomEps);
        for (int c = 0; c < dk; ++c) dv_row[h * dk + c] += w * dout[h * dk + c];
        if (Ep) {
          const float* du = scratch + e * d + h * dk;
          const float* ep = Ep + e * d + h * dk;
          for (int c = 0; c < dk; ++c) dk_row[h * dk + c] += du[c] * q[h * dk + c] * ep[c] * inv_sqrt_dk;
        } else {
          const float ds = scratch[e * H + h];
          for (int c = 0; c < dk; ++c) dk_row[h * dk + c] += ds * q[h * dk + c] * inv_sqrt_dk;
        }
      }
    }
  }
}

}  // namespace

void graph_attention_backward(const CsrGraph& g, int H, int dk, const float* Q, const float* K,
                              const float* V, const float* Ep, const float* out,
                              const float* logit, const float* alpha, const float* z,
                              const float* d_out, const float* d_score, float* dQ, float* dK,
                              float* dV, float* dEp, float* scratch) {
  attention_backward_by_destination(g, H, dk, Q, K, V, Ep, out, logit, alpha, z, d_out, d_score,
                                    dQ, dEp, scratch);
  attention_backward_by_source(g, H, dk, Q, Ep, alpha, z, d_out, scratch, dK, dV);
}

}  // namespace gt::ops
