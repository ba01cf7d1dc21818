// Built when ARPACK is not installed: the official solver's encodings
// ("pe_solver": "arpack") get a clear error; gt's exact encodings need nothing.
#include "core/error.h"
#include "graph/eigen_arpack.h"

namespace gt {

bool arpack_available() { return false; }

void arpack_smallest_real(const SparseRows&, int, double, const double*, std::vector<double>*) {
  fail("\"pe_solver\": \"arpack\" needs ARPACK, and gt was built without it (install "
       "libarpack2-dev, e.g. scripts/setup.sh, and rebuild)");
}

}  // namespace gt
