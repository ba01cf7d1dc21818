#include "graph/laplacian_pe.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "graph/eigen.h"

namespace gt {

namespace {

// Dense normalised Laplacian of g (row-major n x n) into L.
void normalized_laplacian(const Graph& g, std::vector<double>* L) {
  const int n = g.num_nodes;
  L->assign(static_cast<size_t>(n) * n, 0.0);
  double* a = L->data();
  for (int32_t e = 0; e < g.num_edges(); ++e) {
    const int32_t s = g.src[e], d = g.dst[e];
    GT_CHECK(s >= 0 && s < n && d >= 0 && d < n, "edge endpoint out of range");
    a[static_cast<size_t>(d) * n + s] = 1.0;
    a[static_cast<size_t>(s) * n + d] = 1.0;
  }
  std::vector<double> inv_sqrt_degree(n);
  for (int i = 0; i < n; ++i) {
    double degree = 0.0;
    for (int j = 0; j < n; ++j) degree += a[static_cast<size_t>(i) * n + j];
    inv_sqrt_degree[i] = 1.0 / std::sqrt(std::max(degree, 1.0));
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      double& x = a[static_cast<size_t>(i) * n + j];
      x = (i == j ? 1.0 : 0.0) - x * inv_sqrt_degree[i] * inv_sqrt_degree[j];
    }
  }
}

// Flips v (length n) so that its largest-magnitude entry is positive.
void normalize_sign(int n, double* v) {
  double largest = 0.0;
  for (int i = 0; i < n; ++i) largest = std::max(largest, std::fabs(v[i]));
  for (int i = 0; i < n; ++i) {
    // The first index within 1e-12 of the maximum: round-off between two
    // entries of equal magnitude must not decide the sign.
    if (std::fabs(v[i]) >= largest - 1e-12) {
      if (v[i] < 0.0)
        for (int j = 0; j < n; ++j) v[j] = -v[j];
      return;
    }
  }
}

}  // namespace

void laplacian_pe(const Graph& g, int k, float* out) {
  GT_CHECK(k >= 0, "negative PE dimension");
  const int n = g.num_nodes;
  if (n <= 0 || k == 0) return;
  std::fill(out, out + static_cast<size_t>(n) * k, 0.0f);
  if (n == 1) return;  // only the trivial eigenvector exists
  // Per-thread scratch: compute_laplacian_pe calls this for every graph.
  thread_local std::vector<double> L, values, vectors;
  normalized_laplacian(g, &L);
  values.resize(n);
  vectors.resize(static_cast<size_t>(n) * n);
  symmetric_eigen(n, L.data(), values.data(), vectors.data());
  const int kept = std::min(k, n - 1);
  for (int c = 0; c < kept; ++c) {
    double* v = vectors.data() + static_cast<size_t>(c + 1) * n;  // skip the trivial pair
    normalize_sign(n, v);
    for (int i = 0; i < n; ++i) out[static_cast<size_t>(i) * k + c] = static_cast<float>(v[i]);
  }
}

void compute_laplacian_pe(GraphDataset* data, int k) {
  if (k < 0) fail("Laplacian PE dimension must be >= 0, got " + std::to_string(k));
  data->pe_dim = k;
  const int64_t count = static_cast<int64_t>(data->graphs.size());
  for (Graph& g : data->graphs) g.pe.assign(k > 0 ? static_cast<size_t>(g.num_nodes) * k : 0, 0.0f);
  if (k == 0) return;
  // Exceptions must not leave an OpenMP region: keep the first (lowest
  // index) failure and rethrow it afterwards, so the error is deterministic.
  std::vector<std::string> errors(count);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < count; ++i) {
    try {
      laplacian_pe(data->graphs[i], k, data->graphs[i].pe.data());
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  }
  for (int64_t i = 0; i < count; ++i)
    if (!errors[i].empty())
      fail(data->name + ": Laplacian PE of graph " + std::to_string(i) + ": " + errors[i]);
}

void randomize_pe_signs(GraphDataset* data, uint64_t seed) {
  const int k = data->pe_dim;
  if (k <= 0) return;
  for (size_t i = 0; i < data->graphs.size(); ++i) {
    Graph& g = data->graphs[i];
    // One generator per graph: graph i's signs do not depend on the others.
    Rng rng(seed ^ (0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(i) + 1)));
    std::vector<float> sign(k);
    for (int c = 0; c < k; ++c) sign[c] = (rng.next_u64() >> 63) ? -1.0f : 1.0f;
    for (int32_t v = 0; v < g.num_nodes; ++v)
      for (int c = 0; c < k; ++c) g.pe[static_cast<size_t>(v) * k + c] *= sign[c];
  }
}

}  // namespace gt
