// The official SBM encodings: ARPACK at the official tolerance on the sparse
// normalised Laplacian (see laplacian_pe.h for the contract).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "graph/eigen_arpack.h"
#include "graph/laplacian_pe.h"

namespace gt {

namespace {

// L = I - D^-1/2 A D^-1/2 in sparse rows, A symmetrised and deduplicated,
// degrees clipped to >= 1, as laplacian_pe's dense matrix (and the official
// code's sp.eye(n) - N * A * N); each row's columns ascending, diagonal included.
SparseRows sparse_normalized_laplacian(const Graph& g) {
  const int n = g.num_nodes;
  std::vector<std::vector<int32_t>> neighbours(n);
  for (int32_t e = 0; e < g.num_edges(); ++e) {
    const int32_t s = g.src[e], d = g.dst[e];
    GT_CHECK(s >= 0 && s < n && d >= 0 && d < n, "edge endpoint out of range");
    if (s == d) {
      neighbours[s].push_back(s);
      continue;
    }
    neighbours[s].push_back(d);
    neighbours[d].push_back(s);
  }
  std::vector<double> inv_sqrt_degree(n);
  for (int i = 0; i < n; ++i) {
    std::vector<int32_t>& row = neighbours[i];
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    // pow(d, -0.5), not 1 / sqrt(d): the official code's `degrees.clip(1) ** -0.5`
    // (numpy calls pow), whose last bit can differ, and at tol 1e-2 a last bit
    // can flip a Ritz vector's sign.
    inv_sqrt_degree[i] = std::pow(std::max(static_cast<double>(row.size()), 1.0), -0.5);
  }
  SparseRows L;
  L.n = n;
  L.row_ptr.assign(1, 0);
  const auto emit = [&L](int32_t j, double value) {
    L.col.push_back(j);
    L.val.push_back(value);
  };
  for (int i = 0; i < n; ++i) {
    bool diagonal_done = false;  // a self-loop puts it among the neighbours
    for (int32_t j : neighbours[i]) {
      if (!diagonal_done && j >= i) {
        if (j > i) emit(i, 1.0);
        diagonal_done = true;
      }
      emit(j, (i == j ? 1.0 : 0.0) - inv_sqrt_degree[i] * inv_sqrt_degree[j]);
    }
    if (!diagonal_done) emit(i, 1.0);
    L.row_ptr.push_back(static_cast<int32_t>(L.col.size()));
  }
  return L;
}

}  // namespace

void laplacian_pe_arpack(const Graph& g, int k, double tol, const double* v0, float* out) {
  const int n = g.num_nodes;
  if (k <= 0) return;
  if (n <= k + 2)
    fail("the official solver (scipy's eigs) needs more than k + 2 = " + std::to_string(k + 2) +
         " nodes for " + std::to_string(k) + " encodings, this graph has " + std::to_string(n) +
         "; use \"pe_solver\": \"exact\" for data with graphs this small");
  std::vector<double> vectors;
  arpack_smallest_real(sparse_normalized_laplacian(g), k + 1, tol, v0, &vectors);
  for (int c = 0; c < k; ++c) {
    const double* v = vectors.data() + static_cast<size_t>(c + 1) * n;  // skip the trivial pair
    for (int i = 0; i < n; ++i) out[static_cast<size_t>(i) * k + c] = static_cast<float>(v[i]);
  }
}

std::vector<double> arpack_start_vector(uint64_t seed, size_t graph_index, int n) {
  Rng rng(seed ^ (0xd1b54a32d192ed03ULL * (static_cast<uint64_t>(graph_index) + 1)));
  std::vector<double> v(n);
  for (double& x : v) x = 2.0 * rng.uniform() - 1.0;
  return v;
}

void compute_laplacian_pe_arpack(GraphDataset* data, int k, uint64_t seed) {
  if (k <= 0) fail("\"pe_solver\": \"arpack\" needs Laplacian encodings (pos_enc_dim >= 1)");
  data->pe_dim = k;
  for (size_t i = 0; i < data->graphs.size(); ++i) {
    Graph& g = data->graphs[i];
    g.pe.assign(static_cast<size_t>(g.num_nodes) * k, 0.0f);
    try {
      const std::vector<double> v0 = arpack_start_vector(seed, i, g.num_nodes);
      laplacian_pe_arpack(g, k, kOfficialArpackTol, v0.data(), g.pe.data());
    } catch (const Error& e) {
      fail(data->name + ": Laplacian PE (ARPACK) of graph " + std::to_string(i) + ": " + e.what());
    }
  }
}

}  // namespace gt
