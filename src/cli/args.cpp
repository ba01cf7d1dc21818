#include "cli/args.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/edit_distance.h"
#include "core/error.h"

namespace gt::cli {


Args& Args::option(const std::string& name, const std::string& help) {
  specs_[name] = {true, help};
  order_.push_back(name);
  return *this;
}

Args& Args::flag(const std::string& name, const std::string& help) {
  specs_[name] = {false, help};
  order_.push_back(name);
  return *this;
}

void Args::parse(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) fail("unexpected argument \"" + arg + "\"\n" + help());
    std::string name = arg.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = specs_.find(name);
    if (it == specs_.end()) {
      std::string best;
      size_t best_d = 4;
      for (const auto& s : order_) {
        const size_t d = edit_distance(name, s);
        if (d < best_d) best_d = d, best = s;
      }
      fail("unknown option --" + name +
           (best.empty() ? "" : " (did you mean --" + best + "?)") + "\n" + help());
    }
    if (it->second.takes_value && !inline_value) {
      if (i + 1 >= argc) fail("--" + name + " needs a value");
      value = argv[++i];
    } else if (!it->second.takes_value && inline_value) {
      fail("--" + name + " takes no value");
    }
    values_[name] = value;
  }
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long long Args::get_int(const std::string& name, long long fallback, long long min_value) const {
  if (!has(name)) return fallback;
  const std::string s = get(name);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0)
    fail("--" + name + " must be an integer, got \"" + s + "\"");
  if (v < min_value)
    fail("--" + name + " must be at least " + std::to_string(min_value));
  return v;
}

double Args::get_double(const std::string& name, double fallback, double min_value) const {
  if (!has(name)) return fallback;
  const std::string s = get(name);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !std::isfinite(v))
    fail("--" + name + " must be a number, got \"" + s + "\"");
  if (v < min_value) fail("--" + name + " must be at least " + std::to_string(min_value));
  return v;
}

bool Args::print_help_if_asked(int argc, char** argv, int first) const {
  for (int i = first; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(help().c_str(), stdout);
      return true;
    }
  return false;
}

std::string Args::help() const {
  std::string h = "usage: " + usage_ + "\n";
  for (const auto& name : order_) {
    const Spec& s = specs_.at(name);
    std::string left = "  --" + name + (s.takes_value ? " VALUE" : "");
    left.resize(std::max<size_t>(left.size() + 1, 26), ' ');
    h += left + s.help + "\n";
  }
  return h;
}

}  // namespace gt::cli
