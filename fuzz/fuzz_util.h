// What the libFuzzer harnesses of the data readers share: how a broken
// invariant is reported (abort, so libFuzzer saves the input) and the
// per-process scratch folder the inputs are written into as files.
#pragma once
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace gt::fuzz {

[[noreturn]] inline void finding(const char* target, const char* what) {
  std::fprintf(stderr, "fuzz_%s: invariant broken: %s\n", target, what);
  std::abort();
}

// One folder per process, in memory when /dev/shm exists (file system calls
// dominate an iteration), removed at exit. Never freed, so the exit handler
// can still use it after static destructors have run.
inline const std::filesystem::path& scratch_root(const char* target) {
  static const std::filesystem::path* root = nullptr;
  if (!root) {
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    root = new std::filesystem::path(base / ("gt_fuzz_" + std::string(target) + "_" +
                                             std::to_string(::getpid())));
    std::filesystem::create_directories(*root);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(*root, ignored);
    });
  }
  return *root;
}

}  // namespace gt::fuzz

// Aborts (a libFuzzer finding) when cond is false; kFuzzTarget names the harness.
#define FUZZ_REQUIRE(cond)                                \
  do {                                                    \
    if (!(cond)) ::gt::fuzz::finding(kFuzzTarget, #cond); \
  } while (0)
