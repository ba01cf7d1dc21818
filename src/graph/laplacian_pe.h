// Laplacian positional encoding (SPEC section 4): the eigenvectors of the
// symmetric normalised Laplacian L = I - D^-1/2 A D^-1/2 with the smallest
// non-trivial eigenvalues, one k-dimensional row per node.
#pragma once
#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace gt {

// Writes the [n, k] row-major PE of g to out (n = g.num_nodes):
// - A[dst][src] = 1 for every directed edge, symmetrised (A = max(A, A^T)) so
//   the symmetric solver is exact; undirected data (ZINC, SBMs) already is.
// - Degrees are row sums of A clipped to >= 1, so isolated nodes get L_ii = 1
//   instead of a division by zero. Computed in double.
// - Eigenpairs ascending; the first (trivial) one is dropped and the next k
//   kept; columns beyond n - 1 are zero (graphs with n <= k).
// - Sign: each kept eigenvector is flipped so that its entry of largest
//   absolute value is positive (the first such index, ties within 1e-12), so
//   the encoding is a deterministic function of the graph and the solver.
void laplacian_pe(const Graph& g, int k, float* out);

// Fills Graph::pe of every graph and sets data->pe_dim = k (k = 0 clears the
// PE). Parallel over graphs with OpenMP; each graph is computed by one thread
// with no shared reductions, so results do not depend on the thread count.
void compute_laplacian_pe(GraphDataset* data, int k);

// Multiplies column c of graph i's PE by a sign drawn from (seed, i, c) alone:
// fixed per graph and column, independent of batch composition, thread count
// and how many graphs follow. This imitates an eigensolver's arbitrary signs
// (the official data keep ARPACK's), under which the graphs of a training
// batch have independent orientations; with canonical signs and SPEC §4's
// one flip per column per batch they share one. The two differ only in what
// BatchNorm's batch statistics see (config key "pe_sign").
void randomize_pe_signs(GraphDataset* data, uint64_t seed);

// The official SBM pipeline's encodings (config "pe_solver": "arpack"):
// scipy.sparse.linalg.eigs(L, k + 1, which='SR', tol=tol) on the same L,
// eigenpairs sorted ascending, columns 1..k, real parts, ARPACK's signs (no
// sign normalisation), float32. At the official tol = kOfficialArpackTol the
// columns are often mixtures of neighbouring eigenvectors (PATTERN: column 2
// is another vector in ~30% of graphs); that is the point: this is the input
// the paper's SBM numbers were trained on (docs/reproduction.md, PATTERN).
// v0 [n] is ARPACK's start vector. Throws gt::Error for n <= k + 2 (scipy's
// eigs refuses those) or when ARPACK fails.
constexpr double kOfficialArpackTol = 1e-2;
void laplacian_pe_arpack(const Graph& g, int k, double tol, const double* v0, float* out);

// Graph i's start vector: uniform in [-1, 1) like ARPACK's own random start
// (dlarnv), drawn from (seed, i) alone. scipy draws its start vectors from
// ARPACK's internal generator in call order; gt's are a function of the graph
// index so that a graph's encoding does not depend on the graphs before it.
std::vector<double> arpack_start_vector(uint64_t seed, size_t graph_index, int n);

// Replaces every graph's PE with laplacian_pe_arpack(g, k, kOfficialArpackTol,
// arpack_start_vector(seed, i, n)) and sets data->pe_dim = k. Sequential
// (ARPACK is not thread-safe), so the result does not depend on the thread
// count. Errors name the data set and the graph.
void compute_laplacian_pe_arpack(GraphDataset* data, int k, uint64_t seed);

}  // namespace gt
