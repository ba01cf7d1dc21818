// gt bench's GEMM floor: how long a training step's GEMMs take on their own.
// The sgemm calls of one step are recorded (ops::set_gemm_log) and each
// distinct problem is replayed alone, several times, on buffers that stay in
// cache; the step's floor is the sum over its calls of their problem's best
// time. It bounds what any amount of work on the non-GEMM ops can reach: a
// step cannot be faster than its GEMMs at the library's best rate.
#pragma once
#include <vector>

#include "ops/flops.h"

namespace gt::cli {

struct GemmFloor {
  int calls = 0, shapes = 0;  // sgemm calls in the step; distinct problems among them
  double gflop = 0;           // their GEMM work
  double ms = 0;              // sum of each call's best replayed time
};

// Replays `calls` at the current thread count, `reps` timed runs per problem.
GemmFloor gemm_floor(const std::vector<ops::GemmShape>& calls, int reps);

// Milliseconds of `reps` timed ops::sgemm calls of one problem (after one
// untimed call) on tightly packed operands that stay in cache between calls;
// also what gt bench's GEMM peak (an n x n x n problem) is measured with.
std::vector<double> time_sgemm_ms(const ops::GemmShape& s, int reps);

}  // namespace gt::cli
