// ARPACK through ARPACK-NG's C binding (Debian libarpack2-dev). Every step
// follows scipy's eigs (scipy/sparse/linalg/_eigen/arpack/arpack.py,
// _UnsymmetricArpackParams) so that, from the same start vector, gt gets the
// official pipeline's encodings; tests/e2e/test_pe_solver_arpack.py compares
// the two.
#include "graph/eigen_arpack.h"

#include <arpack.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "core/blas_threads.h"
#include "core/error.h"

namespace gt {

namespace {

void multiply(const SparseRows& M, const double* x, double* y) {
  for (int i = 0; i < M.n; ++i) {
    double sum = 0.0;
    for (int32_t p = M.row_ptr[i]; p < M.row_ptr[i + 1]; ++p) sum += M.val[p] * x[M.col[p]];
    y[i] = sum;
  }
}

// The solver's state between dnaupd (iteration) and dneupd (extraction).
struct ArnoldiState {
  int n = 0, nev = 0, ncv = 0;
  double tol = 0.0;
  std::vector<double> resid, v, workd, workl;
  a_int iparam[11] = {};
  a_int ipntr[14] = {};
};

// Reverse-communication loop of dnaupd, as scipy's iterate(): mode 1 (y = M x),
// exact shifts, maxiter 10 n.
void iterate(const SparseRows& M, ArnoldiState* s) {
  s->iparam[0] = 1;         // ishfts: exact shifts
  s->iparam[2] = 10 * s->n; // maxiter, scipy's default
  s->iparam[3] = 1;         // nb
  s->iparam[6] = 1;         // mode 1: standard problem
  a_int ido = 0, info = 1;  // info = 1: resid holds the start vector
  const a_int lworkl = static_cast<a_int>(s->workl.size());
  for (;;) {
    dnaupd_c(&ido, "I", s->n, "SR", s->nev, s->tol, s->resid.data(), s->ncv, s->v.data(), s->n,
             s->iparam, s->ipntr, s->workd.data(), s->workl.data(), lworkl, &info);
    if (ido == 99) break;
    if (ido != -1 && ido != 1)
      fail("ARPACK dnaupd asked for an operation gt does not provide (ido = " + std::to_string(ido) +
           ")");
    const double* x = s->workd.data() + s->ipntr[0] - 1;
    double* y = s->workd.data() + s->ipntr[1] - 1;
    if (ido == -1) {
      // ARPACK-NG's dgetv0 first asks for OP * v0 to force the start vector
      // into OP's range, even for a standard problem (bmat 'I'); the ARPACK
      // that scipy bundles does this for bmat 'G' only, so its Krylov space
      // starts at v0 itself. Answering with v0 gives scipy's iteration: the
      // same sequence of vectors, bit for bit (tests/e2e/test_pe_solver_arpack.py).
      std::copy(x, x + s->n, y);
      continue;
    }
    multiply(M, x, y);
  }
  if (info == 1)
    fail("ARPACK did not converge in " + std::to_string(10 * s->n) +
         " iterations (scipy raises ArpackNoConvergence here)");
  if (info != 0) fail("ARPACK dnaupd failed with info = " + std::to_string(info));
}

}  // namespace

bool arpack_available() { return true; }

void arpack_smallest_real(const SparseRows& M, int nev, double tol, const double* v0,
                          std::vector<double>* vectors) {
  const int n = M.n;
  if (nev <= 0 || nev >= n - 1)
    fail("ARPACK needs 0 < nev < n - 1 (scipy's eigs condition); nev = " + std::to_string(nev) +
         ", n = " + std::to_string(n));
  use_single_threaded_blas();
  ArnoldiState s;
  s.n = n, s.nev = nev, s.tol = tol;
  s.ncv = std::min(std::max(2 * nev + 1, 20), n);
  s.resid.assign(v0, v0 + n);
  s.v.assign(static_cast<size_t>(n) * s.ncv, 0.0);
  s.workd.assign(3 * static_cast<size_t>(n), 0.0);
  s.workl.assign(3 * static_cast<size_t>(s.ncv) * (s.ncv + 2), 0.0);
  iterate(M, &s);

  // dneupd: all Ritz vectors (howmny 'A'), nev + 1 slots as scipy allocates.
  std::vector<a_int> select(s.ncv, 0);
  std::vector<double> dr(nev + 1, 0.0), di(nev + 1, 0.0), workev(3 * static_cast<size_t>(s.ncv));
  std::vector<double> z(static_cast<size_t>(n) * (nev + 1), 0.0);
  a_int ierr = 0;
  dneupd_c(1, "A", select.data(), dr.data(), di.data(), z.data(), n, 0.0, 0.0, workev.data(), "I", n,
           "SR", nev, tol, s.resid.data(), s.ncv, s.v.data(), n, s.iparam, s.ipntr, s.workd.data(),
           s.workl.data(), static_cast<a_int>(s.workl.size()), &ierr);
  if (ierr != 0) fail("ARPACK dneupd failed with info = " + std::to_string(ierr));
  int returned = static_cast<int>(s.iparam[4]);

  // A complex pair (i, i+1) is stored as real and imaginary parts in columns
  // i and i+1; both eigenvectors' real part is column i. A pair cut off by the
  // last slot is dropped (scipy: "throw out this case").
  std::vector<int> real_column(nev + 1);
  std::iota(real_column.begin(), real_column.end(), 0);
  for (int i = 0; i <= nev; ++i) {
    if (di[i] == 0.0) continue;
    if (i < nev) real_column[i + 1] = i, ++i;
    else --returned;
  }
  if (returned < nev)
    fail("ARPACK returned " + std::to_string(returned) + " of " + std::to_string(nev) +
         " eigenpairs (the official code would fail on this graph too)");
  std::vector<int> kept(nev + 1);
  std::iota(kept.begin(), kept.end(), 0);
  if (returned > nev)  // one extra: keep the nev of smallest real part (numpy argsort)
    std::stable_sort(kept.begin(), kept.end(), [&](int a, int b) { return dr[a] < dr[b]; });
  kept.resize(nev);
  // The official code's EigVal.argsort(): numpy orders complex numbers by
  // real part, then imaginary part.
  std::stable_sort(kept.begin(), kept.end(), [&](int a, int b) {
    return dr[a] < dr[b] || (dr[a] == dr[b] && di[a] < di[b]);
  });
  vectors->resize(static_cast<size_t>(nev) * n);
  for (int j = 0; j < nev; ++j) {
    const double* col = z.data() + static_cast<size_t>(real_column[kept[j]]) * n;
    std::copy(col, col + n, vectors->data() + static_cast<size_t>(j) * n);
  }
}

}  // namespace gt
