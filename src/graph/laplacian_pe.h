// Laplacian positional encoding (SPEC section 4): the eigenvectors of the
// symmetric normalised Laplacian L = I - D^-1/2 A D^-1/2 with the smallest
// non-trivial eigenvalues, one k-dimensional row per node.
#pragma once
#include <cstdint>

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

}  // namespace gt
