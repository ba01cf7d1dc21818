// BatchNorm1d (statistics over the rows of a batch) and LayerNorm (statistics
// over each row). Per-channel sums over rows are computed per thread chunk in
// double and combined in thread order: deterministic for a thread count.
#include <cmath>
#include <vector>

#include "core/parallel.h"
#include "core/profile.h"
#include "ops/ops.h"

namespace gt::ops {

namespace {

// out[c] = sum_i f(i, c) over rows, for two functions at once (a, b).
template <typename F>
void column_sums2(int64_t N, int64_t C, double* out_a, double* out_b, F f) {
  const int T = num_threads();
  // Each thread's partial sums start on their own cache line (no false sharing).
  const size_t stride = (static_cast<size_t>(C) * 2 + 7) / 8 * 8 + 8;
  thread_local std::vector<double> partial;
  partial.assign(static_cast<size_t>(T) * stride, 0.0);
  double* part = partial.data();
#pragma omp parallel num_threads(T)
  {
    const int t = omp_get_thread_num();
    int64_t r0, r1;
    chunk_range(N, t, omp_get_num_threads(), &r0, &r1);
    double* pa = part + static_cast<size_t>(t) * stride;
    double* pb = pa + C;
    for (int64_t i = r0; i < r1; ++i)
      for (int64_t c = 0; c < C; ++c) f(i, c, pa + c, pb + c);
  }
  for (int64_t c = 0; c < C; ++c) {
    double a = 0.0, b = 0.0;
    for (int t = 0; t < T; ++t) {
      a += part[static_cast<size_t>(t) * stride + c];
      b += part[static_cast<size_t>(t) * stride + C + c];
    }
    out_a[c] = a;
    out_b[c] = b;
  }
}

// Per-channel sums of dy and dy * xhat (what both norms' backward need),
// accumulated into dbeta and dgamma. xhat(i, c) is the normalised input.
template <typename XHat>
void affine_grads(int64_t N, int64_t C, const float* dY, XHat xhat, std::vector<double>* sum_dy,
                  std::vector<double>* sum_dy_xhat, float* dgamma, float* dbeta) {
  sum_dy->resize(C);
  sum_dy_xhat->resize(C);
  column_sums2(N, C, sum_dy->data(), sum_dy_xhat->data(),
               [&](int64_t i, int64_t c, double* a, double* b) {
                 const double dy = dY[i * C + c];
                 *a += dy;
                 *b += dy * xhat(i, c);
               });
  for (int64_t c = 0; c < C; ++c) {
    dbeta[c] += static_cast<float>((*sum_dy)[c]);
    dgamma[c] += static_cast<float>((*sum_dy_xhat)[c]);
  }
}

}  // namespace

void batchnorm_column_sums(const float* X, int64_t N, int64_t C, const float* shift, double* sum,
                           double* sum_sq) {
  if (!sum_sq) {  // the sums alone
    thread_local std::vector<double> unused;
    unused.resize(C);
    column_sums2(N, C, sum, unused.data(), [&](int64_t i, int64_t c, double* a, double*) {
      *a += static_cast<double>(X[i * C + c]) - (shift ? shift[c] : 0.0f);
    });
    return;
  }
  column_sums2(N, C, sum, sum_sq, [&](int64_t i, int64_t c, double* a, double* b) {
    const double d = static_cast<double>(X[i * C + c]) - (shift ? shift[c] : 0.0f);
    *a += d;
    *b += d * d;
  });
}

void batchnorm_train_apply(float* Y, float* save_mean, float* save_rstd, float* running_mean,
                           float* running_var, const float* X, const float* gamma,
                           const float* beta, int64_t N, int64_t C, const double* mean,
                           const double* var, int64_t count, float eps, float momentum) {
  if (count == 0) {  // no rows anywhere (edge BatchNorm of an edgeless batch): running stats unchanged
    for (int64_t c = 0; c < C; ++c) {
      save_mean[c] = 0.0f;
      save_rstd[c] = 1.0f / std::sqrt(eps);
    }
    return;
  }
  for (int64_t c = 0; c < C; ++c) {
    save_mean[c] = static_cast<float>(mean[c]);
    save_rstd[c] = static_cast<float>(1.0 / std::sqrt(var[c] + eps));
    const double unbiased = count > 1 ? var[c] * count / (count - 1) : var[c];
    running_mean[c] = static_cast<float>((1.0 - momentum) * running_mean[c] + momentum * mean[c]);
    running_var[c] = static_cast<float>((1.0 - momentum) * running_var[c] + momentum * unbiased);
  }
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i)
    for (int64_t c = 0; c < C; ++c)
      Y[i * C + c] = (X[i * C + c] - save_mean[c]) * save_rstd[c] * gamma[c] + beta[c];
}

void batchnorm_stats_from_sums(const double* sum, const double* sum_sq, const float* shift,
                               int64_t count, int64_t C, double* mean, double* var) {
  for (int64_t c = 0; c < C; ++c) {
    const double mean_shifted = count > 0 ? sum[c] / count : 0.0;
    var[c] = count > 0 ? std::max(0.0, sum_sq[c] / count - mean_shifted * mean_shifted) : 0.0;
    mean[c] = mean_shifted + (shift ? shift[c] : 0.0f);
  }
}

void batchnorm_train_forward(float* Y, float* save_mean, float* save_rstd, float* running_mean,
                             float* running_var, const float* X, const float* gamma,
                             const float* beta, int64_t N, int64_t C, float eps, float momentum) {
  GT_PROFILE("batchnorm_train_forward");
  thread_local std::vector<double> sum, sum_sq, mean, var;
  sum.assign(C, 0.0);
  sum_sq.assign(C, 0.0);
  mean.resize(C);
  var.resize(C);
  // Shifted sums (shift = first row) keep the variance accurate when |mean| >> std.
  const float* shift = N > 0 ? X : nullptr;
  if (N > 0) batchnorm_column_sums(X, N, C, shift, sum.data(), sum_sq.data());
  batchnorm_stats_from_sums(sum.data(), sum_sq.data(), shift, N, C, mean.data(), var.data());
  batchnorm_train_apply(Y, save_mean, save_rstd, running_mean, running_var, X, gamma, beta, N, C,
                        mean.data(), var.data(), N, eps, momentum);
}

void batchnorm_eval_forward(float* Y, const float* X, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, int64_t N,
                            int64_t C, float eps) {
  GT_PROFILE("batchnorm_eval_forward");
  thread_local std::vector<float> scale, shift;
  scale.resize(C);
  shift.resize(C);
  for (int64_t c = 0; c < C; ++c) {
    scale[c] = gamma[c] / std::sqrt(running_var[c] + eps);
    shift[c] = beta[c] - running_mean[c] * scale[c];
  }
  const float* sc = scale.data();
  const float* sh = shift.data();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i)
    for (int64_t c = 0; c < C; ++c) Y[i * C + c] = X[i * C + c] * sc[c] + sh[c];
}

void batchnorm_backward_sums(const float* dY, const float* X, int64_t N, int64_t C, double* sum_dy,
                             double* sum_dyx) {
  column_sums2(N, C, sum_dy, sum_dyx, [&](int64_t i, int64_t c, double* a, double* b) {
    const double dy = dY[i * C + c];
    *a += dy;
    *b += dy * static_cast<double>(X[i * C + c]);
  });
}

void batchnorm_param_grads(float* dgamma, float* dbeta, const float* save_mean,
                           const float* save_rstd, const double* sum_dy, const double* sum_dyx,
                           int64_t C) {
  for (int64_t c = 0; c < C; ++c) {
    dbeta[c] += static_cast<float>(sum_dy[c]);
    dgamma[c] += static_cast<float>(static_cast<double>(save_rstd[c]) *
                                    (sum_dyx[c] - static_cast<double>(save_mean[c]) * sum_dy[c]));
  }
}

void batchnorm_backward_apply(float* dX, const float* dY, const float* X, const float* save_mean,
                              const float* save_rstd, const float* gamma, int64_t N, int64_t C,
                              const double* sum_dy, const double* sum_dyx, int64_t count) {
  if (N == 0) return;
  // dx = gamma * rstd * (dy - sum_dy / n - xhat * sum_dy_xhat / n) is, per
  // channel, an affine map of (dy, x): dx = A dy + B x + K, with
  // sum_dy_xhat = rstd * (sum dy x - mean * sum dy). One two-FMA pass.
  thread_local std::vector<float> coef;
  coef.resize(3 * C);
  float* A = coef.data();
  float* B = A + C;
  float* K = B + C;
  for (int64_t c = 0; c < C; ++c) {
    const double rstd = save_rstd[c], mean = save_mean[c];
    const double sdy = sum_dy[c], sdyxhat = rstd * (sum_dyx[c] - mean * sdy);
    const double g = static_cast<double>(gamma[c]) * rstd, inv_n = 1.0 / static_cast<double>(count);
    A[c] = static_cast<float>(g);
    B[c] = static_cast<float>(-g * rstd * sdyxhat * inv_n);
    K[c] = static_cast<float>(g * (rstd * sdyxhat * mean - sdy) * inv_n);
  }
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i) {
    const float* dy = dY + i * C;
    const float* x = X + i * C;
    float* dx = dX + i * C;
#pragma omp simd
    for (int64_t c = 0; c < C; ++c) dx[c] = A[c] * dy[c] + (B[c] * x[c] + K[c]);
  }
}

void batchnorm_backward(float* dX, float* dgamma, float* dbeta, const float* dY, const float* X,
                        const float* save_mean, const float* save_rstd, const float* gamma,
                        int64_t N, int64_t C) {
  GT_PROFILE("batchnorm_backward");
  // With xhat = (x - mean) * rstd: dbeta = sum dy, dgamma = sum dy * xhat
  //   = rstd * (sum dy x - mean * sum dy) (both sums in double: no
  // cancellation worth the name at float inputs); one pass for the sums and
  // one for dx (batchnorm_backward_apply), instead of recomputing xhat twice.
  thread_local std::vector<double> sum_dy, sum_dyx;
  sum_dy.assign(C, 0.0);
  sum_dyx.assign(C, 0.0);
  batchnorm_backward_sums(dY, X, N, C, sum_dy.data(), sum_dyx.data());
  batchnorm_param_grads(dgamma, dbeta, save_mean, save_rstd, sum_dy.data(), sum_dyx.data(), C);
  if (dX) batchnorm_backward_apply(dX, dY, X, save_mean, save_rstd, gamma, N, C, sum_dy.data(),
                                   sum_dyx.data(), N);
}

void layernorm_forward(float* Y, float* save_mean, float* save_rstd, const float* X,
                       const float* gamma, const float* beta, int64_t N, int64_t C, float eps) {
  GT_PROFILE("layernorm_forward");
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i) {
    const float* x = X + i * C;
    double s = 0.0, s2 = 0.0;
    for (int64_t c = 0; c < C; ++c) s += x[c];
    const double mean = s / C;
    for (int64_t c = 0; c < C; ++c) s2 += (x[c] - mean) * (x[c] - mean);
    const float rstd = static_cast<float>(1.0 / std::sqrt(s2 / C + eps));
    save_mean[i] = static_cast<float>(mean);
    save_rstd[i] = rstd;
    for (int64_t c = 0; c < C; ++c)
      Y[i * C + c] = (x[c] - save_mean[i]) * rstd * gamma[c] + beta[c];
  }
}

void layernorm_backward(float* dX, float* dgamma, float* dbeta, const float* dY, const float* X,
                        const float* save_mean, const float* save_rstd, const float* gamma,
                        int64_t N, int64_t C) {
  GT_PROFILE("layernorm_backward");
  thread_local std::vector<double> sum_dy, sum_dy_xhat;
  affine_grads(
      N, C, dY,
      [&](int64_t i, int64_t c) {
        return (static_cast<double>(X[i * C + c]) - save_mean[i]) * save_rstd[i];
      },
      &sum_dy, &sum_dy_xhat, dgamma, dbeta);
  if (!dX) return;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < N; ++i) {
    // dxhat = dy * gamma; dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
    double m1 = 0.0, m2 = 0.0;
    for (int64_t c = 0; c < C; ++c) {
      const double dxhat = static_cast<double>(dY[i * C + c]) * gamma[c];
      const double xhat = (X[i * C + c] - save_mean[i]) * static_cast<double>(save_rstd[i]);
      m1 += dxhat;
      m2 += dxhat * xhat;
    }
    m1 /= C;
    m2 /= C;
    for (int64_t c = 0; c < C; ++c) {
      const double dxhat = static_cast<double>(dY[i * C + c]) * gamma[c];
      const double xhat = (X[i * C + c] - save_mean[i]) * static_cast<double>(save_rstd[i]);
      dX[i * C + c] = static_cast<float>(save_rstd[i] * (dxhat - m1 - xhat * m2));
    }
  }
}

}  // namespace gt::ops
