#include "core/blas_threads.h"

#include <dlfcn.h>

#include <mutex>

namespace gt {

void use_single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] {
    using SetThreads = void (*)(int);
    void* symbol = dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (symbol) reinterpret_cast<SetThreads>(symbol)(1);
  });
}

}  // namespace gt
