// Every numerical op of gt, as forward/backward pairs on raw row-major fp32
// buffers. Conventions (docs/architecture.md): backward ops overwrite
// activation gradients and accumulate (+=) parameter gradients. All ops are
// deterministic for a fixed thread count.
#pragma once
#include <cstdint>

namespace gt::ops {

// ---- dense algebra -------------------------------------------------------
// C[M,N] = alpha * op(A) op(B) + beta * C, row-major; op(X) = X^T when trans.
void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
           const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc);
// C[M,N] (row stride ldc) *= beta; beta == 0 writes zeros (BLAS semantics:
// C is not read, so NaN garbage does not survive).
inline void scale_matrix(float* C, int64_t ldc, int64_t M, int64_t N, float beta) {
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
}
// Name of the GEMM back-end compiled in ("oneDNN" or "portable").
const char* gemm_backend();

// Y[N,out] = X[N,in] W[out,in]^T + b (b may be null). PyTorch's nn.Linear.
// Optional epilogue in the same pass: + residual[N,out], then ReLU.
void linear_forward(float* Y, const float* X, const float* W, const float* b, int64_t N,
                    int64_t in, int64_t out, const float* residual = nullptr, bool relu = false);
// dX = dY W (dX may be null: not needed; dX += dY W with accumulate_dx, which
// lets a residual gradient already in dX be summed in the GEMM);
// dW += dY^T X; db += colsum(dY) (db may be null).
void linear_backward(float* dX, float* dW, float* db, const float* dY, const float* X,
                     const float* W, int64_t N, int64_t in, int64_t out,
                     bool accumulate_dx = false);

// ---- embeddings ------------------------------------------------------------
// Y[N,C] = W[index[i * stride], :] (Y += ... with accumulate): one column of
// a row-major [N, stride] index table, so a sum of per-column embeddings
// (OGB's atom encoder) needs no copy. Indices are validated by the data layer.
void embedding_forward(float* Y, const float* W, const int32_t* index, int64_t N, int64_t C,
                       int64_t stride = 1, bool accumulate = false);
// dW[index[i * stride], :] += dY[i, :]
void embedding_backward(float* dW, const float* dY, const int32_t* index, int64_t N, int64_t C,
                        int64_t stride = 1);

// ---- elementwise -------------------------------------------------------------
void add_inplace(float* Y, const float* X, int64_t n);            // Y += X
void relu_forward(float* Y, const float* X, int64_t n);           // Y = max(X, 0)
// dX = dY * (Y > 0); Y is the ReLU output. dX may alias dY.
void relu_backward(float* dX, const float* dY, const float* Y, int64_t n);

// ---- dropout -----------------------------------------------------------------
// splitmix64's finaliser: a bijection of 64-bit words with full avalanche. The
// counter-based hash behind dropout masks and the derivation of their keys.
inline uint64_t hash64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
// Inverted dropout (F.dropout in training mode): Y[i] = X[i] / (1 - p) if
// element i is kept, else 0. Element i is kept iff u(key, i) >= p, where
// u(key, i) in [0, 1) (24 bits) is the i-th output of a splitmix64 stream
// seeded with key: a pure function of (key, i), so no mask is stored, the
// result is the same for any thread count and chunking, and the backward
// recomputes the mask. p == 0 copies. Y may alias X. p in [0, 1).
// The elements are positions first .. first + n - 1 of the stream: a
// data-parallel rank passes its shard's offset in the global batch.
void dropout_forward(float* Y, const float* X, int64_t n, float p, uint64_t key, int64_t first = 0);
// dX[i] = dY[i] / (1 - p) if element i was kept, else 0 (the same mask as the
// forward with this key and first). dX may alias dY.
void dropout_backward(float* dX, const float* dY, int64_t n, float p, uint64_t key,
                      int64_t first = 0);

// ---- normalisation ---------------------------------------------------------
// BatchNorm1d over the rows of X[N,C], training mode: normalise with the
// batch's biased variance, update running stats (momentum, unbiased variance),
// save mean and 1/std per channel for the backward.
void batchnorm_train_forward(float* Y, float* save_mean, float* save_rstd, float* running_mean,
                             float* running_var, const float* X, const float* gamma,
                             const float* beta, int64_t N, int64_t C, float eps, float momentum);
// Evaluation mode: normalise with the running statistics.
void batchnorm_eval_forward(float* Y, const float* X, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, int64_t N,
                            int64_t C, float eps);
void batchnorm_backward(float* dX, float* dgamma, float* dbeta, const float* dY, const float* X,
                        const float* save_mean, const float* save_rstd, const float* gamma,
                        int64_t N, int64_t C);
// The pieces of the two above, for statistics over several processes
// (synchronised BatchNorm, nn/modules.cpp): per-channel sums over local rows,
// combined across ranks by the caller, then applied to the local rows.
//   sum[c] = sum_i (X[i,c] - shift[c]), sum_sq[c] = sum_i (X[i,c] - shift[c])^2
//   (shift may be null: 0; sum_sq may be null: not computed).
void batchnorm_column_sums(const float* X, int64_t N, int64_t C, const float* shift, double* sum,
                           double* sum_sq);
// mean and biased variance over `count` rows from (shifted) sums.
void batchnorm_stats_from_sums(const double* sum, const double* sum_sq, const float* shift,
                               int64_t count, int64_t C, double* mean, double* var);
// Normalises the N local rows with statistics over `count` rows in all
// (running statistics updated with count's unbiased variance).
void batchnorm_train_apply(float* Y, float* save_mean, float* save_rstd, float* running_mean,
                           float* running_var, const float* X, const float* gamma,
                           const float* beta, int64_t N, int64_t C, const double* mean,
                           const double* var, int64_t count, float eps, float momentum);
// Backward: per-channel sums of dY and of dY * X over local rows (written
// to sum_dy, sum_dyx); dgamma, dbeta += this rank's share; dX of the local rows
// from sums over all `count` rows.
void batchnorm_backward_sums(const float* dY, const float* X, int64_t N, int64_t C, double* sum_dy,
                             double* sum_dyx);
void batchnorm_param_grads(float* dgamma, float* dbeta, const float* save_mean,
                           const float* save_rstd, const double* sum_dy, const double* sum_dyx,
                           int64_t C);
void batchnorm_backward_apply(float* dX, const float* dY, const float* X, const float* save_mean,
                              const float* save_rstd, const float* gamma, int64_t N, int64_t C,
                              const double* sum_dy, const double* sum_dyx, int64_t count);
// LayerNorm over the last dimension of X[N,C].
void layernorm_forward(float* Y, float* save_mean, float* save_rstd, const float* X,
                       const float* gamma, const float* beta, int64_t N, int64_t C, float eps);
void layernorm_backward(float* dX, float* dgamma, float* dbeta, const float* dY, const float* X,
                        const float* save_mean, const float* save_rstd, const float* gamma,
                        int64_t N, int64_t C);

// ---- graph attention over a destination-sorted CSR ---------------------------
struct CsrGraph {
  int32_t num_nodes = 0, num_edges = 0;
  const int32_t* dst_ptr = nullptr;  // [N+1] in-edges of node i: [dst_ptr[i], dst_ptr[i+1])
  const int32_t* src = nullptr;      // [M] source of edge e
  const int32_t* dst = nullptr;      // [M] destination of edge e
  const int32_t* src_ptr = nullptr;  // [N+1] offsets into by_src
  const int32_t* by_src = nullptr;   // [M] edge positions grouped by source
};

// Graph Transformer attention (SPEC §1-2), fused: for each destination i and
// head h, the kernel computes the in-edges' scores, clamps them to [-5, 5],
// exponentiates, and accumulates the weighted sum of V and the normaliser,
// all while that destination's rows are in cache.
//   Q, K, V: [N, H*dk] rows with stride ld >= H*dk (so they may be the column
//   blocks of one [N, 3*H*dk] QKV product). Ep: [M, H*dk] projected edge
//   features, or null for the node-only layer of §1.
//   out:    [N, H*dk] = sum_j a_ij v_j / (sum_j a_ij + 1e-6); 0 without in-edges.
//   score:  [M, H*dk] edge variant only: u = (q_i * k_j)/sqrt(dk) * e'_ij, the
//           layer's edge output. Null for the node variant.
//   logit:  [M, H] pre-clamp score (saved for the backward: the clamp mask).
//   alpha:  [M, H] a = exp(clamp(logit)) (saved so the backward needs no exp).
//   z:      [N, H] normaliser sum_j a_ij (saved for the backward).
// rows: Auto runs node-only layers with dk != 8 on channel-major copies of
// the rows (faster; graph_attention.cpp); HeadMajor forces the direct kernels
// (the two agree bit for bit; tests compare them).
enum class AttentionRows { Auto, HeadMajor };
void graph_attention_forward(const CsrGraph& g, int H, int dk, int64_t ld, const float* Q,
                             const float* K, const float* V, const float* Ep, float* out,
                             float* score, float* logit, float* alpha, float* z,
                             AttentionRows rows = AttentionRows::Auto);
// Backward of the above. d_out: [N, H*dk]; d_score: [M, H*dk] gradient of the
// edge output (null when unused or for the node variant). Writes dQ, dK, dV
// ([N, H*dk], row stride ld like Q, K, V) and dEp ([M, H*dk], edge variant).
// scratch: [M, H] floats (the score gradients, passed between the two passes).
void graph_attention_backward(const CsrGraph& g, int H, int dk, int64_t ld, const float* Q,
                              const float* K, const float* V, const float* Ep, const float* out,
                              const float* logit, const float* alpha, const float* z,
                              const float* d_out,
                              const float* d_score, float* dQ, float* dK, float* dV, float* dEp,
                              float* scratch, AttentionRows rows = AttentionRows::Auto);

// ---- readout ------------------------------------------------------------------
enum class Readout { Mean, Sum, Max };
// Y[G,C] pools X[N,C] over each graph's node range [graph_ptr[g], graph_ptr[g+1]).
// Max saves the argmax node per (g, c) in argmax (may be null otherwise).
// An empty graph pools to 0.
void graph_pool_forward(Readout mode, float* Y, int32_t* argmax, const float* X,
                        const int32_t* graph_ptr, int64_t G, int64_t C);
void graph_pool_backward(Readout mode, float* dX, const float* dY, const int32_t* argmax,
                         const int32_t* graph_ptr, int64_t G, int64_t N, int64_t C);

// ---- losses -------------------------------------------------------------------
// mean |pred - y| over n; dpred = sign(pred - y) / n (0 where equal, as PyTorch).
float l1_loss_forward(const float* pred, const float* y, int64_t n);
void l1_loss_backward(float* dpred, const float* pred, const float* y, int64_t n);

// Masked regression losses: entries whose target y is NaN are missing labels
// (OGB's multi-task convention, is_labeled = y == y) and are left out of both
// the mean and the gradient. count = number of labelled entries; every loss
// returns 0 and writes zero gradients when count == 0. dpred may be null.
// masked_l1_loss: mean |pred - y|; dpred = sign(pred - y) / count (0 where equal, as PyTorch).
float masked_l1_loss(const float* pred, const float* y, int64_t n, float* dpred);
// masked_mse_loss: mean (pred - y)^2; dpred = 2 (pred - y) / count.
float masked_mse_loss(const float* pred, const float* y, int64_t n, float* dpred);

// nn.BCEWithLogitsLoss over the labelled entries (y not NaN, y in [0, 1]),
// in the stable form max(x, 0) - x y + log1p(exp(-|x|)); mean over labelled;
// dlogits = (sigmoid(x) - y) / count, 0 at masked entries. dlogits may be null.
float masked_bce_with_logits(const float* logits, const float* y, int64_t n, float* dlogits);

// Class-weighted cross-entropy over logits[n, C] with integer labels, the
// weights given per class: loss = sum_i w[y_i] CE_i / sum_i w[y_i]
// (nn.CrossEntropyLoss(weight=w)). dlogits may be null. Returns 0 when every
// weight in play is 0.
float weighted_cross_entropy(const float* logits, const int32_t* labels, const float* class_weight,
                             int64_t n, int64_t C, float* dlogits);

// ---- optimiser ----------------------------------------------------------------
// One step of torch.optim.Adam (L2 weight decay added to the gradient) over a
// flat parameter buffer. step is the 1-based step count after this update.
void adam_step(float* param, const float* grad, float* m, float* v, int64_t n, float lr,
               float beta1, float beta2, float eps, float weight_decay, int64_t step);

}  // namespace gt::ops
