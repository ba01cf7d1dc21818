// Threads: gt parallelises with OpenMP using static schedules only, so the
// work each thread does (and every floating-point reduction order) depends
// on the thread count alone, never on timing.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace gt {

inline int num_threads() { return omp_get_max_threads(); }
inline void set_num_threads(int n) { omp_set_num_threads(std::max(1, n)); }

// The half-open range [begin, end) of chunk t when n items are split into T
// contiguous chunks of nearly equal size.
inline void chunk_range(int64_t n, int t, int T, int64_t* begin, int64_t* end) {
  const int64_t base = n / T, rem = n % T;
  *begin = t * base + std::min<int64_t>(t, rem);
  *end = *begin + base + (t < rem ? 1 : 0);
}

}  // namespace gt
