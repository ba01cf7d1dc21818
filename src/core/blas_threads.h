// OpenBLAS (Debian's default libblas/liblapack provider) runs BLAS calls on
// its own thread pool. gt calls LAPACK and ARPACK on small matrices, one per
// OpenMP thread or one at a time, where those extra threads only spin
// (measured 3x slower for ZINC's PE on a busy 2-core machine) and would make
// summation order depend on the core count.
#pragma once

namespace gt {

// Pins OpenBLAS to one thread when it is the provider (looked up at run time,
// so other providers need nothing). Idempotent and thread-safe.
void use_single_threaded_blas();

}  // namespace gt
