// Op-level profile of a training step (gt bench --profile). Each op entry
// point opens a Scope; the profile records per name the wall time spent in it
// excluding nested scopes (linear_forward's own time does not include the
// sgemm it calls), so the shares add up to the step. Ops are called from one
// thread (their parallelism is inside), which is the only thread that may
// open scopes. Disabled (the default), a Scope costs one branch.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace gt::profile {

struct Entry {
  std::string name;
  double exclusive_ms = 0.0;
  int64_t calls = 0;
};

void enable(bool on);
bool enabled();
void reset();
// Entries sorted by exclusive time, largest first.
std::vector<Entry> entries();

class Scope {
 public:
  explicit Scope(const char* name) {
    if (enabled()) begin(name);
  }
  ~Scope() {
    if (name_) end();
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  void begin(const char* name);
  void end();
  const char* name_ = nullptr;
  Scope* parent_ = nullptr;
  std::chrono::steady_clock::time_point t0_;
  double child_ms_ = 0.0;
};

}  // namespace gt::profile

#define GT_PROFILE_CONCAT2(a, b) a##b
#define GT_PROFILE_CONCAT(a, b) GT_PROFILE_CONCAT2(a, b)
// Times the rest of the enclosing block under `name` (a string literal).
#define GT_PROFILE(name) ::gt::profile::Scope GT_PROFILE_CONCAT(gt_profile_scope_, __LINE__)(name)
