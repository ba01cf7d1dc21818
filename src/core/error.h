// Errors that reach the user. Every message names what failed and where
// (file, line, field) so bad input never ends in a crash or a silent answer.
#pragma once
#include <stdexcept>
#include <string>

namespace gt {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws gt::Error with the message; use for user-facing failures.
[[noreturn]] inline void fail(const std::string& message) { throw Error(message); }

// Internal invariant: a violation is a bug in gt, not in the input.
#define GT_CHECK(cond, msg)                                                      \
  do {                                                                           \
    if (!(cond))                                                                 \
      ::gt::fail(std::string("internal check failed: ") + (msg) + " (" #cond ") at " + \
                 __FILE__ + ":" + std::to_string(__LINE__));                     \
  } while (0)

}  // namespace gt
