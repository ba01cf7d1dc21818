// Dense symmetric eigen-decomposition for the Laplacian positional encoding.
// Graphs are small (ZINC has at most 38 nodes), so a dense solver per graph is
// both exact and fast. LAPACK's divide-and-conquer dsyevd is used when the
// build found LAPACKE (GT_HAVE_LAPACK); otherwise a self-contained cyclic
// Jacobi solver, which is always compiled so tests can compare the two.
#pragma once

namespace gt {

// Eigen-decomposition of the symmetric n x n matrix A (row-major; only
// symmetric inputs are meaningful, both triangles are read by Jacobi, LAPACK
// reads one). On return:
//   eigenvalues[j]        j-th eigenvalue, ascending;
//   vectors[j * n + i]    entry i of the unit eigenvector of eigenvalues[j]
//                         (eigenvector j is contiguous: "column-major").
// Signs of eigenvectors (and the basis of a degenerate eigenspace) are
// whatever the solver produces; callers normalise signs themselves.
// Deterministic: the same input gives the same bits on the same build.
void symmetric_eigen(int n, const double* A, double* eigenvalues, double* vectors);

// The cyclic Jacobi solver, same contract; always available.
void symmetric_eigen_jacobi(int n, const double* A, double* eigenvalues, double* vectors);

// Which solver symmetric_eigen uses ("lapack-dsyevd" or "jacobi"); part of
// the cache key, because degenerate eigenspaces come out in different bases.
const char* symmetric_eigen_solver_name();

}  // namespace gt
