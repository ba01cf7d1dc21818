// Cyclic Jacobi eigen-solver (Rutishauser's variant with a threshold for the
// first sweeps, as in Numerical Recipes' `jacobi`). It needs nothing beyond the
// standard library, so builds without LAPACK still get exact Laplacian PE, and
// it is accurate to machine precision on the small, well-conditioned
// Laplacians we feed it. Cost is O(n^3) per sweep with ~6-10 sweeps.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "graph/eigen.h"

namespace gt {

namespace {

// Applies the rotation (s, tau) to the pair m[i][j], m[k][l] of a row-major n x n matrix.
inline void rotate(double* m, int n, int i, int j, int k, int l, double s, double tau) {
  const double g = m[i * n + j];
  const double h = m[k * n + l];
  m[i * n + j] = g - s * (h + g * tau);
  m[k * n + l] = h + s * (g - h * tau);
}

// Annihilates a[p][q] (p < q) with one Jacobi rotation; updates the diagonal
// estimate d, its pending correction z, the upper triangle of a, and the
// accumulated rotations v.
void rotate_pair(double* a, double* v, double* d, double* z, int n, int p, int q, double g) {
  const double apq = a[p * n + q];
  double h = d[q] - d[p];
  double t;
  if (std::fabs(h) + g == std::fabs(h)) {
    t = apq / h;  // tiny angle: t = tan(theta) ~ 1 / (2 cot(2 theta)) without overflow
  } else {
    const double theta = 0.5 * h / apq;
    t = 1.0 / (std::fabs(theta) + std::sqrt(1.0 + theta * theta));
    if (theta < 0.0) t = -t;
  }
  const double c = 1.0 / std::sqrt(1.0 + t * t);
  const double s = t * c;
  const double tau = s / (1.0 + c);
  h = t * apq;
  z[p] -= h;
  z[q] += h;
  d[p] -= h;
  d[q] += h;
  a[p * n + q] = 0.0;
  // Only the upper triangle of a is kept current.
  for (int j = 0; j < p; ++j) rotate(a, n, j, p, j, q, s, tau);
  for (int j = p + 1; j < q; ++j) rotate(a, n, p, j, j, q, s, tau);
  for (int j = q + 1; j < n; ++j) rotate(a, n, p, j, q, j, s, tau);
  for (int j = 0; j < n; ++j) rotate(v, n, j, p, j, q, s, tau);
}

// Diagonalises a in place; d receives the eigenvalues (unsorted) and v
// (row-major) the eigenvectors as columns.
void jacobi_sweeps(int n, double* a, double* d, double* v) {
  std::vector<double> b(n), z(n, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) v[i * n + j] = i == j ? 1.0 : 0.0;
    b[i] = d[i] = a[i * n + i];
  }
  // Convergence is quadratic; 100 sweeps bounds the loop even for NaN input.
  for (int sweep = 1; sweep <= 100; ++sweep) {
    double off = 0.0;
    for (int p = 0; p < n - 1; ++p)
      for (int q = p + 1; q < n; ++q) off += std::fabs(a[p * n + q]);
    if (off == 0.0) return;
    // Early sweeps skip small elements: rotating them first wastes work.
    const double threshold = sweep < 4 ? 0.2 * off / (static_cast<double>(n) * n) : 0.0;
    for (int p = 0; p < n - 1; ++p) {
      for (int q = p + 1; q < n; ++q) {
        const double g = 100.0 * std::fabs(a[p * n + q]);
        // After a few sweeps, an element negligible next to both diagonal
        // entries is set to zero outright (this is what ends the iteration).
        if (sweep > 4 && std::fabs(d[p]) + g == std::fabs(d[p]) &&
            std::fabs(d[q]) + g == std::fabs(d[q])) {
          a[p * n + q] = 0.0;
        } else if (std::fabs(a[p * n + q]) > threshold) {
          rotate_pair(a, v, d, z.data(), n, p, q, g);
        }
      }
    }
    // Fold the accumulated corrections into d in one step (less round-off).
    for (int i = 0; i < n; ++i) {
      b[i] += z[i];
      d[i] = b[i];
      z[i] = 0.0;
    }
  }
}

}  // namespace

void symmetric_eigen_jacobi(int n, const double* A, double* eigenvalues, double* vectors) {
  if (n <= 0) return;
  std::vector<double> a(A, A + static_cast<size_t>(n) * n), d(n), v(static_cast<size_t>(n) * n);
  jacobi_sweeps(n, a.data(), d.data(), v.data());
  // Ascending; ties keep the solver's order so the result is deterministic.
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return d[x] < d[y]; });
  for (int j = 0; j < n; ++j) {
    eigenvalues[j] = d[order[j]];
    for (int i = 0; i < n; ++i) vectors[j * n + i] = v[i * n + order[j]];
  }
}

#ifndef GT_HAVE_LAPACK
// Without LAPACK, Jacobi is the solver (eigen_lapack.cpp is not compiled).
void symmetric_eigen(int n, const double* A, double* eigenvalues, double* vectors) {
  symmetric_eigen_jacobi(n, A, eigenvalues, vectors);
}

const char* symmetric_eigen_solver_name() { return "jacobi"; }
#endif

}  // namespace gt
