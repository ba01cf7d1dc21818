// What the test tools (tool_*.cpp) share: option lookup and the error exit.
#pragma once
#include <cstdio>
#include <exception>
#include <string>

#include "core/error.h"

namespace gt::tool {

// The value after --name; fallback when absent, an error if that is empty too.
inline std::string arg(int argc, char** argv, const std::string& name,
                       const std::string& fallback = "") {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  if (fallback.empty()) fail("missing --" + name);
  return fallback;
}

// run(argc, argv), with any exception printed as "<tool>: <message>" and exit status 1.
template <class Run>
int main_of(const char* tool, Run run, int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", tool, e.what());
    return 1;
  }
}

}  // namespace gt::tool
