#include "cli/gemm_floor.h"

#include <algorithm>
#include <chrono>

#include "ops/ops.h"

namespace gt::cli {

std::vector<double> time_sgemm_ms(const ops::GemmShape& s, int reps) {
  const int64_t rows_a = s.trans_a ? s.K : s.M, cols_a = s.trans_a ? s.M : s.K;
  const int64_t rows_b = s.trans_b ? s.N : s.K, cols_b = s.trans_b ? s.K : s.N;
  std::vector<float> A(static_cast<size_t>(rows_a * cols_a)), B(static_cast<size_t>(rows_b * cols_b));
  std::vector<float> C(static_cast<size_t>(s.M * s.N), 0.0f);
  for (size_t i = 0; i < A.size(); ++i) A[i] = static_cast<float>(static_cast<int>(i % 17) - 8) * 0.01f;
  for (size_t i = 0; i < B.size(); ++i) B[i] = static_cast<float>(static_cast<int>(i % 13) - 6) * 0.01f;
  std::vector<double> ms;
  for (int r = 0; r <= reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    ops::sgemm(s.trans_a, s.trans_b, s.M, s.N, s.K, 1.0f, A.data(), cols_a, B.data(), cols_b,
               0.0f, C.data(), s.N);
    const std::chrono::duration<double, std::milli> t = std::chrono::steady_clock::now() - t0;
    if (r > 0) ms.push_back(t.count());
  }
  return ms;
}

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
      const std::vector<double> ms = time_sgemm_ms(s, reps);
      best.push_back(*std::min_element(ms.begin(), ms.end()));
    }
    f.ms += best[k];
    f.gflop += 2.0 * static_cast<double>(s.M) * static_cast<double>(s.N) * static_cast<double>(s.K) / 1e9;
  }
  f.shapes = static_cast<int>(distinct.size());
  return f;
}

}  // namespace gt::cli
