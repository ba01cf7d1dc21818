#include "nn/modules.h"

#include <cmath>
#include <vector>

#include "ops/ops.h"

namespace gt {

namespace {
constexpr float kNormEps = 1e-5f;
constexpr float kBatchNormMomentum = 0.1f;
}  // namespace

void Linear::declare(TensorStore& params, const std::string& name, int64_t in_dim,
                     int64_t out_dim, bool with_bias) {
  in = in_dim;
  out = out_dim;
  weight = params.add(name + ".weight", {out, in});
  bias = with_bias ? params.add(name + ".bias", {out}) : -1;
}

void Linear::init(TensorStore& params, Rng& rng) const {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in));
  float* w = params.value(weight);
  for (int64_t i = 0; i < in * out; ++i) w[i] = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
  if (bias < 0) return;
  float* b = params.value(bias);
  for (int64_t i = 0; i < out; ++i) b[i] = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
}

void Linear::forward(PassContext& ctx, const float* X, float* Y, int64_t rows,
                     const float* residual, bool relu) const {
  TensorStore& P = *ctx.params;
  ops::linear_forward(Y, X, P.value(weight), bias >= 0 ? P.value(bias) : nullptr, rows, in, out,
                      residual, relu);
}

void Linear::backward(PassContext& ctx, const float* dY, const float* X, float* dX,
                      int64_t rows, bool accumulate_dx) const {
  TensorStore& P = *ctx.params;
  ops::linear_backward(dX, P.grad(weight), bias >= 0 ? P.grad(bias) : nullptr, dY, X,
                       P.value(weight), rows, in, out, accumulate_dx);
}

void Embedding::declare(TensorStore& params, const std::string& name, int64_t n, int64_t d) {
  num = n;
  dim = d;
  weight = params.add(name + ".weight", {num, dim});
}

void Embedding::init(TensorStore& params, Rng& rng) const {
  float* w = params.value(weight);
  for (int64_t i = 0; i < num * dim; ++i) w[i] = static_cast<float>(rng.normal());
}

void Embedding::forward(PassContext& ctx, const int32_t* index, float* Y, int64_t rows) const {
  ops::embedding_forward(Y, ctx.params->value(weight), index, rows, dim);
}

void Embedding::backward(PassContext& ctx, const int32_t* index, const float* dY,
                         int64_t rows) const {
  ops::embedding_backward(ctx.params->grad(weight), dY, index, rows, dim);
}

void PostNorm::declare(TensorStore& params, TensorStore& buffers, const std::string& ln_name,
                       const std::string& bn_name, int64_t d, bool ln, bool bn) {
  dim = d;
  layer_norm = ln;
  batch_norm = bn;
  if (ln) {
    ln_weight = params.add(ln_name + ".weight", {d});
    ln_bias = params.add(ln_name + ".bias", {d});
  }
  if (bn) {
    bn_weight = params.add(bn_name + ".weight", {d});
    bn_bias = params.add(bn_name + ".bias", {d});
    running_mean = buffers.add(bn_name + ".running_mean", {d});
    running_var = buffers.add(bn_name + ".running_var", {d});
  }
}

void PostNorm::init(TensorStore& params, TensorStore& buffers) const {
  for (int w : {ln_weight, bn_weight})
    if (w >= 0)
      for (int64_t c = 0; c < dim; ++c) params.value(w)[c] = 1.0f;
  for (int b : {ln_bias, bn_bias})
    if (b >= 0)
      for (int64_t c = 0; c < dim; ++c) params.value(b)[c] = 0.0f;
  if (running_mean >= 0)
    for (int64_t c = 0; c < dim; ++c) {
      buffers.value(running_mean)[c] = 0.0f;
      buffers.value(running_var)[c] = 1.0f;
    }
}

// BatchNorm over the rows of every rank (SyncBatchNorm): the statistics a
// single process would compute on the global batch. Two reductions, so the
// variance is a sum of squares around the global mean (no cancellation):
// [rows, sum x] first, then the sums of (x - mean) and (x - mean)^2.
void PostNorm::synced_batchnorm_forward(PassContext& ctx, const float* x, float* y, int64_t rows) {
  TensorStore& P = *ctx.params;
  TensorStore& B = *ctx.buffers;
  std::vector<double> buf(1 + 2 * dim), mean(dim), var(dim);
  buf[0] = static_cast<double>(rows);
  ops::batchnorm_column_sums(x, rows, dim, nullptr, buf.data() + 1, nullptr);
  ctx.bn_comm->allreduce_sum(buf.data(), 1 + dim);
  bn_count = static_cast<int64_t>(buf[0]);
  std::vector<float> shift(dim);
  for (int64_t c = 0; c < dim; ++c)
    shift[c] = bn_count > 0 ? static_cast<float>(buf[1 + c] / bn_count) : 0.0f;
  ops::batchnorm_column_sums(x, rows, dim, shift.data(), buf.data(), buf.data() + dim);
  ctx.bn_comm->allreduce_sum(buf.data(), 2 * dim);
  ops::batchnorm_stats_from_sums(buf.data(), buf.data() + dim, shift.data(), bn_count, dim,
                                 mean.data(), var.data());
  ops::batchnorm_train_apply(y, bn_mean, bn_rstd, B.value(running_mean), B.value(running_var), x,
                             P.value(bn_weight), P.value(bn_bias), rows, dim, mean.data(),
                             var.data(), bn_count, kNormEps, kBatchNormMomentum);
}

// Its backward: dgamma and dbeta get this rank's rows only (the trainer sums
// parameter gradients across ranks), dx needs the sums over every rank's rows.
void PostNorm::synced_batchnorm_backward(PassContext& ctx, const float* dY, const float* x,
                                         float* dx, int64_t rows) {
  TensorStore& P = *ctx.params;
  std::vector<double> sums(2 * dim);
  ops::batchnorm_backward_sums(dY, x, rows, dim, sums.data(), sums.data() + dim);
  ops::batchnorm_param_grads(P.grad(bn_weight), P.grad(bn_bias), bn_mean, bn_rstd, sums.data(),
                             sums.data() + dim, dim);
  ctx.bn_comm->allreduce_sum(sums.data(), 2 * dim);
  ops::batchnorm_backward_apply(dx, dY, x, bn_mean, bn_rstd, P.value(bn_weight), rows, dim,
                                sums.data(), sums.data() + dim, bn_count);
}

float* PostNorm::forward(PassContext& ctx, float* X, int64_t rows) {
  TensorStore& P = *ctx.params;
  input = X;
  float* x = X;
  if (layer_norm) {
    ln_out = ctx.arena->floats(rows * dim);
    ln_mean = ctx.arena->floats(rows);
    ln_rstd = ctx.arena->floats(rows);
    ops::layernorm_forward(ln_out, ln_mean, ln_rstd, x, P.value(ln_weight), P.value(ln_bias),
                           rows, dim, kNormEps);
    x = ln_out;
  }
  if (batch_norm) {
    float* y = ctx.arena->floats(rows * dim);
    TensorStore& B = *ctx.buffers;
    if (ctx.training) {
      bn_mean = ctx.arena->floats(dim);
      bn_rstd = ctx.arena->floats(dim);
      bn_count = rows;
      if (ctx.bn_comm && ctx.bn_comm->size() > 1)
        synced_batchnorm_forward(ctx, x, y, rows);
      else
        ops::batchnorm_train_forward(y, bn_mean, bn_rstd, B.value(running_mean),
                                     B.value(running_var), x, P.value(bn_weight),
                                     P.value(bn_bias), rows, dim, kNormEps, kBatchNormMomentum);
    } else {
      ops::batchnorm_eval_forward(y, x, P.value(bn_weight), P.value(bn_bias),
                                  B.value(running_mean), B.value(running_var), rows, dim,
                                  kNormEps);
    }
    x = y;
  }
  return x;
}

float* PostNorm::backward(PassContext& ctx, float* dY, int64_t rows) {
  TensorStore& P = *ctx.params;
  float* d = dY;
  if (batch_norm) {
    const float* bn_in = layer_norm ? ln_out : input;
    float* dx = ctx.arena->floats(rows * dim);
    if (ctx.bn_comm && ctx.bn_comm->size() > 1)
      synced_batchnorm_backward(ctx, d, bn_in, dx, rows);
    else
      ops::batchnorm_backward(dx, P.grad(bn_weight), P.grad(bn_bias), d, bn_in, bn_mean, bn_rstd,
                              P.value(bn_weight), rows, dim);
    d = dx;
  }
  if (layer_norm) {
    float* dx = ctx.arena->floats(rows * dim);
    ops::layernorm_backward(dx, P.grad(ln_weight), P.grad(ln_bias), d, input, ln_mean, ln_rstd,
                            P.value(ln_weight), rows, dim);
    d = dx;
  }
  return d;
}

}  // namespace gt
