#include "nn/gt_layer.h"

#include <cstring>

namespace gt {

void StreamTail::declare(TensorStore& params, TensorStore& buffers, const std::string& prefix,
                         const std::string& s, const LayerSpec& spec) {
  dim = spec.dim;
  residual = spec.residual;
  site_attn = spec.index * kDropoutSitesPerLayer + (s == "e" ? 2 : 0);
  site_ffn = site_attn + 1;
  edge_stream = s == "e";
  O.declare(params, prefix + "O_" + s, dim, dim, true);
  norm1.declare(params, buffers, prefix + "layer_norm1_" + s, prefix + "batch_norm1_" + s, dim,
                spec.layer_norm, spec.batch_norm);
  ffn1.declare(params, prefix + "FFN_" + s + "_layer1", dim, 2 * dim, true);
  ffn2.declare(params, prefix + "FFN_" + s + "_layer2", 2 * dim, dim, true);
  norm2.declare(params, buffers, prefix + "layer_norm2_" + s, prefix + "batch_norm2_" + s, dim,
                spec.layer_norm, spec.batch_norm);
}

void StreamTail::init(TensorStore& params, TensorStore& buffers, Rng& rng) const {
  O.init(params, rng);
  norm1.init(params, buffers);
  ffn1.init(params, rng);
  ffn2.init(params, rng);
  norm2.init(params, buffers);
}

// Dropout adds no saved state: its masks are recomputed from the keys in the
// backward, and with ctx.dropout == 0 (evaluation, or p = 0) it costs nothing.
float* StreamTail::forward(PassContext& ctx, const float* in, const float* attn_in, int64_t rows) {
  x_in = in;
  attn = attn_in;
  Arena& A = *ctx.arena;
  const float p = ctx.dropout;
  const int64_t row0 = edge_stream ? ctx.edge_offset : ctx.node_offset;
  if (p > 0) {
    // A copy: the attention output itself is saved for the attention backward.
    float* dropped = A.floats(rows * dim);
    ops::dropout_forward(dropped, attn_in, rows * dim, p, dropout_key(ctx, site_attn), row0 * dim);
    attn = dropped;
  }
  float* pre1 = A.floats(rows * dim);
  O.forward(ctx, attn, pre1, rows, residual ? x_in : nullptr);
  x1 = norm1.forward(ctx, pre1, rows);
  hidden = A.floats(rows * 2 * dim);  // ReLU output: all the backward needs
  ffn1.forward(ctx, x1, hidden, rows, nullptr, /*relu=*/true);
  // In place: the dropped ReLU output is FFN_2's input and still gives the
  // ReLU's mask in the backward (a kept value keeps its sign; a dropped one
  // has zero gradient through the dropout anyway).
  if (p > 0)
    ops::dropout_forward(hidden, hidden, rows * 2 * dim, p, dropout_key(ctx, site_ffn), row0 * 2 * dim);
  float* pre2 = A.floats(rows * dim);
  ffn2.forward(ctx, hidden, pre2, rows, residual ? x1 : nullptr);
  return norm2.forward(ctx, pre2, rows);
}

float* StreamTail::backward(PassContext& ctx, float* d_out, float* d_attn, int64_t rows) {
  Arena& A = *ctx.arena;
  const float p = ctx.dropout;
  const int64_t row0 = edge_stream ? ctx.edge_offset : ctx.node_offset;
  float* d_pre2 = norm2.backward(ctx, d_out, rows);
  float* d_hidden = A.floats(rows * 2 * dim);
  ffn2.backward(ctx, d_pre2, hidden, d_hidden, rows);
  ops::relu_backward(d_hidden, d_hidden, hidden, rows * 2 * dim);
  if (p > 0)
    ops::dropout_backward(d_hidden, d_hidden, rows * 2 * dim, p, dropout_key(ctx, site_ffn),
                          row0 * 2 * dim);
  // d_x1 = d_hidden W1 (+ d_pre2 through the residual, summed by the GEMM in
  // d_pre2's buffer, which is not needed after ffn2's backward).
  float* d_x1 = residual ? d_pre2 : A.floats(rows * dim);
  ffn1.backward(ctx, d_hidden, x1, d_x1, rows, /*accumulate_dx=*/residual);
  float* d_pre1 = norm1.backward(ctx, d_x1, rows);
  O.backward(ctx, d_pre1, attn, d_attn, rows);
  if (p > 0)
    ops::dropout_backward(d_attn, d_attn, rows * dim, p, dropout_key(ctx, site_attn), row0 * dim);
  return residual ? d_pre1 : nullptr;
}

void GTLayer::declare(TensorStore& params, TensorStore& buffers, const std::string& prefix,
                      const LayerSpec& spec) {
  spec_ = spec;
  const int64_t d = spec.dim;
  Q_.declare(params, prefix + "attention.Q", d, d, false);
  K_.declare(params, prefix + "attention.K", d, d, false);
  V_.declare(params, prefix + "attention.V", d, d, false);
  if (spec.edge_features) proj_e_.declare(params, prefix + "attention.proj_e", d, d, false);
  h_tail_.declare(params, buffers, prefix, "h", spec);
  if (spec.edge_features) e_tail_.declare(params, buffers, prefix, "e", spec);
}

void GTLayer::init(TensorStore& params, TensorStore& buffers, Rng& rng) const {
  // Same order as the official module's construction.
  Q_.init(params, rng);
  K_.init(params, rng);
  V_.init(params, rng);
  if (spec_.edge_features) proj_e_.init(params, rng);
  h_tail_.init(params, buffers, rng);
  if (spec_.edge_features) e_tail_.init(params, buffers, rng);
}

// Q, K and V as one GEMM: their weights are declared back to back, so in the
// flat parameter store they form one [3d, d] matrix W = [Wq; Wk; Wv] (unless
// alignment padding separates them, for odd d: then three GEMMs fill the same
// layout). Rows of the product are [q | k | v], stride 3d; the attention
// kernels read them in place.
bool GTLayer::qkv_contiguous(const TensorStore& P) const {
  const int64_t dd = spec_.dim * spec_.dim;
  return P.value(K_.weight) == P.value(Q_.weight) + dd &&
         P.value(V_.weight) == P.value(K_.weight) + dd;
}

void GTLayer::qkv_forward(PassContext& ctx, const float* h_in, float* qkv, int64_t N) const {
  TensorStore& P = *ctx.params;
  const int64_t d = spec_.dim;
  if (qkv_contiguous(P)) {  // one bias-free nn.Linear with 3d outputs
    ops::linear_forward(qkv, h_in, P.value(Q_.weight), nullptr, N, d, 3 * d);
    return;
  }
  const Linear* parts[3] = {&Q_, &K_, &V_};
  for (int t = 0; t < 3; ++t)
    ops::sgemm(false, true, N, d, d, 1.0f, h_in, d, P.value(parts[t]->weight), d, 0.0f,
               qkv + t * d, 3 * d);
}

// dh_in = dQKV W (one GEMM over K = 3d sums the three paths); dW += dQKV^T h_in.
void GTLayer::qkv_backward(PassContext& ctx, const float* dqkv, float* dh_in, int64_t N) const {
  TensorStore& P = *ctx.params;
  const int64_t d = spec_.dim;
  if (qkv_contiguous(P)) {
    ops::linear_backward(dh_in, P.grad(Q_.weight), nullptr, dqkv, h_in_, P.value(Q_.weight), N, d,
                         3 * d);
    return;
  }
  const Linear* parts[3] = {&Q_, &K_, &V_};
  for (int t = 0; t < 3; ++t) {
    ops::sgemm(false, false, N, d, d, 1.0f, dqkv + t * d, 3 * d, P.value(parts[t]->weight), d,
               t == 0 ? 0.0f : 1.0f, dh_in, d);
    ops::sgemm(true, false, d, d, N, 1.0f, dqkv + t * d, 3 * d, h_in_, d, 1.0f,
               P.grad(parts[t]->weight), d);
  }
}

void GTLayer::forward(PassContext& ctx, const ops::CsrGraph& g, const float* h_in,
                      const float* e_in, float** h_out, float** e_out) {
  Arena& A = *ctx.arena;
  const int64_t N = g.num_nodes, M = g.num_edges, d = spec_.dim, H = spec_.heads;
  h_in_ = h_in;
  e_in_ = e_in;
  qkv_ = A.floats(N * 3 * d);
  qkv_forward(ctx, h_in, qkv_, N);
  ep_ = score_ = nullptr;
  if (spec_.edge_features) {
    ep_ = A.floats(M * d);
    score_ = A.floats(M * d);
    proj_e_.forward(ctx, e_in, ep_, M);
  }
  attn_ = A.floats(N * d);
  logit_ = A.floats(M * H);
  alpha_ = A.floats(M * H);
  z_ = A.floats(N * H);
  ops::graph_attention_forward(g, spec_.heads, static_cast<int>(d / H), 3 * d, qkv_, qkv_ + d,
                               qkv_ + 2 * d, ep_, attn_, score_, logit_, alpha_, z_);
  *h_out = h_tail_.forward(ctx, h_in, attn_, N);
  *e_out = spec_.edge_features ? e_tail_.forward(ctx, e_in, score_, M) : nullptr;
}

void GTLayer::backward(PassContext& ctx, const ops::CsrGraph& g, float* dh_out, float* de_out,
                       float* dh_in, float* de_in) {
  Arena& A = *ctx.arena;
  const int64_t N = g.num_nodes, M = g.num_edges, d = spec_.dim, H = spec_.heads;
  float* d_attn = A.floats(N * d);
  float* dh_residual = h_tail_.backward(ctx, dh_out, d_attn, N);
  float* d_score = nullptr;
  float* de_residual = nullptr;
  if (spec_.edge_features && de_out) {
    d_score = A.floats(M * d);
    de_residual = e_tail_.backward(ctx, de_out, d_score, M);
  }
  float* dqkv = A.floats(N * 3 * d);
  float* dep = spec_.edge_features ? A.floats(M * d) : nullptr;
  float* scratch = A.floats(M * H);
  ops::graph_attention_backward(g, spec_.heads, static_cast<int>(d / H), 3 * d, qkv_, qkv_ + d,
                                qkv_ + 2 * d, ep_, attn_, logit_, alpha_, z_, d_attn, d_score,
                                dqkv, dqkv + d, dqkv + 2 * d, dep, scratch);
  qkv_backward(ctx, dqkv, dh_in, N);
  if (dh_residual) ops::add_inplace(dh_in, dh_residual, N * d);
  if (spec_.edge_features && de_in) {
    proj_e_.backward(ctx, dep, e_in_, de_in, M);
    if (de_residual) ops::add_inplace(de_in, de_residual, M * d);
  }
}

}  // namespace gt
