// The world of a gt built without MPI: always one process.
#include "core/comm.h"
#include "core/error.h"

namespace gt {

namespace {
std::unique_ptr<Communicator>& world_ptr() {
  static std::unique_ptr<Communicator> w = make_single_process_communicator();
  return w;
}
}  // namespace

void init_world(int*, char***) {
  const int launched = launcher_world_size();
  if (launched > 1 || launched < 0)
    fail("this gt was built without MPI, so it cannot run as one of several ranks (mpirun started " +
         (launched > 1 ? std::to_string(launched) : std::string("several")) +
         "); install libopenmpi-dev (scripts/setup.sh does) and rebuild, or run one process");
}

Communicator& world() { return *world_ptr(); }
void finalize_world() {}

}  // namespace gt
