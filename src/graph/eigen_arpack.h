// ARPACK's implicitly restarted Arnoldi method, called the way the official
// SBM pipeline calls it: scipy.sparse.linalg.eigs(L, nev, which='SR', tol=tol)
// (graphdeeplearning/graphtransformer, data/SBMs.py). At the official tol of
// 1e-2 the solver stops early and its "eigenvectors" can be mixtures of
// neighbouring ones; gt reproduces that input on purpose (config key
// "pe_solver": "arpack", docs/reproduction.md) instead of imitating it.
//
// Built on Debian's libarpack2-dev (ARPACK-NG, the same Fortran code scipy
// bundles); without it every call fails with a message saying so.
#pragma once
#include <cstdint>
#include <vector>

namespace gt {

// A square real matrix in compressed sparse rows (y = M x is all ARPACK needs).
struct SparseRows {
  int n = 0;
  std::vector<int32_t> row_ptr;  // [n + 1]
  std::vector<int32_t> col;      // [nnz]
  std::vector<double> val;       // [nnz]
};

// The nev eigenpairs of smallest real part of M as scipy's eigs returns them
// (its _UnsymmetricArpackParams.extract: the nonsymmetric driver dnaupd/dneupd
// in mode 1, ncv = min(max(2 nev + 1, 20), n), maxiter = 10 n, complex pairs
// assembled from consecutive columns, nev of the nev + 1 Ritz values kept),
// then sorted as numpy sorts complex numbers (real part, then imaginary), as
// the official code does before taking columns 1..k.
//   v0         [n] start vector (scipy's v0; ARPACK's info = 1);
//   vectors    [nev * n] the real part of each eigenvector in ascending
//              eigenvalue order (eigenvector j contiguous, as in eigen.h),
//              unit norm, ARPACK's sign.
// Requires 0 < nev < n - 1 (scipy's condition). Not thread-safe: ARPACK keeps
// state in Fortran SAVE variables; callers run one solve at a time.
// Throws gt::Error when ARPACK reports an error or does not converge.
void arpack_smallest_real(const SparseRows& M, int nev, double tol, const double* v0,
                          std::vector<double>* vectors);

// True when this build links ARPACK.
bool arpack_available();

}  // namespace gt
