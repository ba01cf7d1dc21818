#include "core/profile.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace gt::profile {

namespace {

bool g_enabled = false;
Scope* g_current = nullptr;  // innermost open scope (one calling thread)
// Keyed by the literal's address first (cheap), merged by name when read.
std::map<const char*, Entry>& table() {
  static std::map<const char*, Entry> t;
  return t;
}

}  // namespace

void enable(bool on) { g_enabled = on; }
bool enabled() { return g_enabled; }
void reset() { table().clear(); }

void Scope::begin(const char* name) {
  name_ = name;
  parent_ = g_current;
  g_current = this;
  t0_ = std::chrono::steady_clock::now();
}

void Scope::end() {
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0_).count();
  Entry& e = table()[name_];
  e.exclusive_ms += ms - child_ms_;
  ++e.calls;
  if (parent_) parent_->child_ms_ += ms;
  g_current = parent_;
}

std::vector<Entry> entries() {
  std::map<std::string, Entry> by_name;
  for (const auto& [key, e] : table()) {
    Entry& m = by_name[key];
    m.name = key;
    m.exclusive_ms += e.exclusive_ms;
    m.calls += e.calls;
  }
  std::vector<Entry> out;
  for (auto& [name, e] : by_name) out.push_back(e);
  std::sort(out.begin(), out.end(),
            [](const Entry& a, const Entry& b) { return a.exclusive_ms > b.exclusive_ms; });
  return out;
}

}  // namespace gt::profile
