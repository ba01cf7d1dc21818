#include "nn/feature_encoder.h"

#include "core/error.h"
#include "ops/ops.h"

namespace gt {

void FeatureEncoder::declare(TensorStore& params, const std::string& name,
                             const std::vector<int>& vocab, int64_t cont, int64_t d) {
  GT_CHECK(!vocab.empty() || cont > 0, "an encoder needs at least one feature column");
  dim = d;
  num_continuous = cont;
  columns.resize(vocab.size());
  const bool official = vocab.size() == 1 && cont == 0;
  for (size_t c = 0; c < vocab.size(); ++c)
    columns[c].declare(params, official ? name : name + "." + std::to_string(c), vocab[c], d);
  if (cont > 0) continuous.declare(params, name + "_cont", cont, d, true);
}

void FeatureEncoder::init(TensorStore& params, Rng& rng) const {
  for (const Embedding& e : columns) e.init(params, rng);
  if (num_continuous > 0) continuous.init(params, rng);
}

void FeatureEncoder::forward(PassContext& ctx, const int32_t* index, const float* cont, float* Y,
                             int64_t rows) const {
  const int64_t C = static_cast<int64_t>(columns.size());
  for (int64_t c = 0; c < C; ++c)
    ops::embedding_forward(Y, ctx.params->value(columns[c].weight), index + c, rows, dim, C, c > 0);
  if (num_continuous == 0) return;
  if (C == 0) {
    continuous.forward(ctx, cont, Y, rows);
    return;
  }
  // Y += cont W^T + b: the linear epilogue adds Y as its residual.
  float* tmp = ctx.arena->floats(rows * dim);
  continuous.forward(ctx, cont, tmp, rows, Y);
  std::copy(tmp, tmp + rows * dim, Y);
}

void FeatureEncoder::backward(PassContext& ctx, const int32_t* index, const float* cont,
                              const float* dY, int64_t rows) const {
  const int64_t C = static_cast<int64_t>(columns.size());
  for (int64_t c = 0; c < C; ++c)
    ops::embedding_backward(ctx.params->grad(columns[c].weight), dY, index + c, rows, dim, C);
  if (num_continuous > 0) continuous.backward(ctx, dY, cont, nullptr, rows);
}

}  // namespace gt
