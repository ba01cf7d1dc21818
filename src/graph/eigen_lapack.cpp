// symmetric_eigen through LAPACK's divide-and-conquer dsyevd (compiled only
// when CMake finds LAPACKE; see eigen_jacobi.cpp for the fallback).
#include <lapacke.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/blas_threads.h"
#include "core/error.h"
#include "graph/eigen.h"

namespace gt {

void symmetric_eigen(int n, const double* A, double* eigenvalues, double* vectors) {
  if (n <= 0) return;
  use_single_threaded_blas();
  // dsyevd overwrites its input with the eigenvectors, so decompose in the
  // output buffer. A is symmetric, so its row-major layout equals the
  // column-major one LAPACK reads; the result columns are the eigenvectors,
  // which is exactly vectors[j * n + i].
  std::memcpy(vectors, A, sizeof(double) * static_cast<size_t>(n) * n);
  // Workspace queried once per size and kept per thread: the PE loop calls
  // this thousands of times from OpenMP threads.
  thread_local std::vector<double> work;
  thread_local std::vector<lapack_int> iwork;
  double work_query = 0.0;
  lapack_int iwork_query = 0;
  lapack_int info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'V', 'U', n, vectors, n, eigenvalues,
                                        &work_query, -1, &iwork_query, -1);
  if (info != 0) fail("LAPACK dsyevd workspace query failed (info " + std::to_string(info) + ")");
  if (work.size() < static_cast<size_t>(work_query)) work.resize(static_cast<size_t>(work_query));
  if (iwork.size() < static_cast<size_t>(iwork_query)) iwork.resize(static_cast<size_t>(iwork_query));
  // Pass exactly the queried sizes, not the (possibly larger) buffer: dsytrd
  // picks blocked or unblocked code from lwork, and the bits must not depend
  // on which graphs this thread happened to decompose before.
  info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'V', 'U', n, vectors, n, eigenvalues, work.data(),
                             static_cast<lapack_int>(work_query), iwork.data(), iwork_query);
  if (info != 0)
    fail("LAPACK dsyevd failed on a " + std::to_string(n) + "x" + std::to_string(n) +
         " matrix (info " + std::to_string(info) + "; non-finite input?)");
}

const char* symmetric_eigen_solver_name() { return "lapack-dsyevd"; }

}  // namespace gt
