// The building blocks of the models: nn.Linear, nn.Embedding and the
// post-norm (LayerNorm and/or BatchNorm1d). Each keeps the indices of its
// tensors in the model's stores and the activations its backward needs;
// forward and backward sit side by side.
#pragma once
#include <string>

#include "core/arena.h"
#include "core/comm.h"
#include "core/rng.h"
#include "nn/parameters.h"
#include "ops/ops.h"

namespace gt {

// Everything a layer needs during one pass.
struct PassContext {
  TensorStore* params = nullptr;
  TensorStore* buffers = nullptr;
  Arena* arena = nullptr;
  bool training = false;
  // Dropout rates in effect for this pass (0 in evaluation mode) and what
  // its masks derive from: the run's seed and the optimisation step, so a
  // resumed run draws the same masks (dropout_key).
  float dropout = 0, in_feat_dropout = 0;
  uint64_t dropout_seed = 0;
  int64_t step = 0;
  // Data parallelism: this shard's first node and edge in the global batch
  // (dropout positions), and the ranks BatchNorm statistics are summed over
  // (null: this process's rows only).
  int64_t node_offset = 0, edge_offset = 0;
  Communicator* bn_comm = nullptr;
};

// Dropout sites of a model (the `site` of dropout_key): layer l owns
// 8 l + {0: h before O_h, 1: h between the FFN's ReLU and FFN_2, 2, 3: the
// same on the edge stream}; the input-feature dropout has its own id.
constexpr uint64_t kDropoutSitesPerLayer = 8;
constexpr uint64_t kInFeatDropoutSite = 0xffffffffULL;

// The key of one site's mask in one pass: a hash chain over (seed, step,
// site), so masks differ across steps and sites, are identical in a forward
// and its backward, and are reproduced by a resumed run (same seed and step).
inline uint64_t dropout_key(const PassContext& ctx, uint64_t site) {
  uint64_t k = ops::hash64(ctx.dropout_seed ^ 0x6a09e667f3bcc908ULL);  // dropout's own stream
  k = ops::hash64(k ^ static_cast<uint64_t>(ctx.step));
  return ops::hash64(k ^ site);
}

struct Linear {
  int weight = -1, bias = -1;
  int64_t in = 0, out = 0;

  void declare(TensorStore& params, const std::string& name, int64_t in, int64_t out, bool with_bias);
  // PyTorch's default: weight and bias U(-1/sqrt(in), 1/sqrt(in)).
  void init(TensorStore& params, Rng& rng) const;
  // Y = X W^T + b, plus `residual` (may be null), then ReLU when asked.
  void forward(PassContext& ctx, const float* X, float* Y, int64_t rows,
               const float* residual = nullptr, bool relu = false) const;
  // dX may be null when the input needs no gradient.
  // With accumulate_dx, dX += dY W (dX holds a residual gradient already).
  void backward(PassContext& ctx, const float* dY, const float* X, float* dX, int64_t rows,
                bool accumulate_dx = false) const;
};

struct Embedding {
  int weight = -1;
  int64_t num = 0, dim = 0;

  void declare(TensorStore& params, const std::string& name, int64_t num, int64_t dim);
  void init(TensorStore& params, Rng& rng) const;  // N(0, 1), as nn.Embedding
  void forward(PassContext& ctx, const int32_t* index, float* Y, int64_t rows) const;
  void backward(PassContext& ctx, const int32_t* index, const float* dY, int64_t rows) const;
};

// Post-norm of the official layer: LayerNorm then BatchNorm1d, each optional
// (the paper's models use exactly one of them).
struct PostNorm {
  bool layer_norm = false, batch_norm = false;
  int ln_weight = -1, ln_bias = -1, bn_weight = -1, bn_bias = -1;
  int running_mean = -1, running_var = -1;  // buffers
  int64_t dim = 0;
  // Saved by forward for backward.
  const float* input = nullptr;
  float *ln_out = nullptr, *ln_mean = nullptr, *ln_rstd = nullptr;
  float *bn_mean = nullptr, *bn_rstd = nullptr;
  int64_t bn_count = 0;  // rows the batch statistics cover (all ranks')

  void declare(TensorStore& params, TensorStore& buffers, const std::string& ln_name,
               const std::string& bn_name, int64_t dim, bool layer_norm, bool batch_norm);
  void init(TensorStore& params, TensorStore& buffers) const;
  // Returns the normalised rows (X itself when no norm is configured).
  float* forward(PassContext& ctx, float* X, int64_t rows);
  // dY -> dX (may be written in place over dY).
  float* backward(PassContext& ctx, float* dY, int64_t rows);

 private:
  void synced_batchnorm_forward(PassContext& ctx, const float* x, float* y, int64_t rows);
  void synced_batchnorm_backward(PassContext& ctx, const float* dY, const float* x, float* dx,
                                 int64_t rows);
};

}  // namespace gt
