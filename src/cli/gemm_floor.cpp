#include "cli/gemm_floor.h"

#include <algorithm>
#include <chrono>

#include "ops/ops.h"

namespace gt::cli {

namespace {

// Best time (ms) of one problem over `reps` timed runs after one untimed one,
// with tightly packed operands (leading dimension = row length).
double best_ms(const ops::GemmShape& s, int reps) {
  const int64_t rows_a = s.trans_a ? s.K : s.M, cols_a = s.trans_a ? s.M : s.K;
  const int64_t rows_b = s.trans_b ? s.N : s.K, cols_b = s.trans_b ? s.K : s.N;
  std::vector<float> A(static_cast<size_t>(rows_a * cols_a)), B(static_cast<size_t>(rows_b * cols_b));
  std::vector<float> C(static_cast<size_t>(s.M * s.N), 0.0f);
  for (size_t i = 0; i < A.size(); ++i) A[i] = static_cast<float>(static_cast<int>(i % 17) - 8) * 0.01f;
  for (size_t i = 0; i < B.size(); ++i) B[i] = static_cast<float>(static_cast<int>(i % 13) - 6) * 0.01f;
  double best = 0;
  for (int r = 0; r <= reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    ops::sgemm(s.trans_a, s.trans_b, s.M, s.N, s.K, 1.0f, A.data(), cols_a, B.data(), cols_b,
               0.0f, C.data(), s.N);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (r == 1 || (r > 1 && ms < best)) best = ms;
  }
  return best;
}

}  // namespace

GemmFloor gemm_floor(const std::vector<ops::GemmShape>& calls, int reps) {
  std::vector<ops::GemmShape> distinct;
  std::vector<double> best;
  GemmFloor f;
  f.calls = static_cast<int>(calls.size());
  for (const ops::GemmShape& s : calls) {
    auto it = std::find(distinct.begin(), distinct.end(), s);
    size_t k = static_cast<size_t>(it - distinct.begin());
    if (it == distinct.end()) {
      distinct.push_back(s);
      best.push_back(best_ms(s, reps));
    }
    f.ms += best[k];
    f.gflop += 2.0 * static_cast<double>(s.M) * static_cast<double>(s.N) * static_cast<double>(s.K) / 1e9;
  }
  f.shapes = static_cast<int>(distinct.size());
  return f;
}

}  // namespace gt::cli
