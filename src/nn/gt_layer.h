// One Graph Transformer layer (SPEC §1-2): neighbourhood attention, then for
// the node stream (and the edge stream, in the edge variant) the same tail:
//   x1 = Norm(x + O concat(heads)),  x2 = Norm(x1 + W2 ReLU(W1 x1)).
#pragma once
#include <string>

#include "nn/modules.h"
#include "ops/ops.h"

namespace gt {

struct LayerSpec {
  int64_t dim = 64;
  int heads = 8;
  bool edge_features = true;  // §2 layer (edge stream) or §1 layer (nodes only)
  bool layer_norm = false, batch_norm = true, residual = true;
  int index = 0;  // position in the network: names the layer's dropout sites
};

// The part of a layer after attention, applied to one stream ("h" or "e"),
// with the official layer's two dropouts (rate ctx.dropout, training only):
//   x1 = Norm(x + O drop(attn)),  x2 = Norm(x1 + W2 drop(ReLU(W1 x1))).
struct StreamTail {
  Linear O, ffn1, ffn2;
  PostNorm norm1, norm2;
  bool residual = true;
  int64_t dim = 0;
  uint64_t site_attn = 0, site_ffn = 0;  // dropout sites (modules.h)
  bool edge_stream = false;               // rows are edges (dropout positions)
  // Saved activations. attn: O's input (the dropped attention output when
  // dropout is on); hidden: FFN_2's input (the dropped ReLU output).
  const float *x_in = nullptr, *attn = nullptr;
  float *x1 = nullptr, *hidden = nullptr;

  void declare(TensorStore& params, TensorStore& buffers, const std::string& prefix,
               const std::string& stream, const LayerSpec& spec);
  void init(TensorStore& params, TensorStore& buffers, Rng& rng) const;
  float* forward(PassContext& ctx, const float* x_in, const float* attn, int64_t rows);
  // From the gradient of the stream's output, writes d_attn and returns the
  // gradient of x_in through the residual path (null without residual).
  float* backward(PassContext& ctx, float* d_out, float* d_attn, int64_t rows);
};

class GTLayer {
 public:
  void declare(TensorStore& params, TensorStore& buffers, const std::string& prefix,
               const LayerSpec& spec);
  void init(TensorStore& params, TensorStore& buffers, Rng& rng) const;

  // h_in [N, d], e_in [M, d] (null for the node variant). Outputs are arena buffers.
  void forward(PassContext& ctx, const ops::CsrGraph& g, const float* h_in, const float* e_in,
               float** h_out, float** e_out);
  // dh_out [N, d]; de_out [M, d] or null (edge output unused, or node variant).
  // Writes dh_in [N, d] and de_in [M, d] (edge variant). The d* inputs may be
  // overwritten.
  void backward(PassContext& ctx, const ops::CsrGraph& g, float* dh_out, float* de_out,
                float* dh_in, float* de_in);

 private:
  bool qkv_contiguous(const TensorStore& params) const;
  void qkv_forward(PassContext& ctx, const float* h_in, float* qkv, int64_t N) const;
  void qkv_backward(PassContext& ctx, const float* dqkv, float* dh_in, int64_t N) const;

  LayerSpec spec_;
  Linear Q_, K_, V_, proj_e_;
  StreamTail h_tail_, e_tail_;
  // Saved activations.
  const float *h_in_ = nullptr, *e_in_ = nullptr;
  float *qkv_ = nullptr, *ep_ = nullptr;  // qkv_: [N, 3d] rows [q | k | v]
  float *attn_ = nullptr, *score_ = nullptr, *logit_ = nullptr, *alpha_ = nullptr, *z_ = nullptr;
};

}  // namespace gt
