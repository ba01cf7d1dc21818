// A small command-line parser: `--name value` options and `--flag` switches,
// declared up front so an unknown or misspelt option is an error that names
// the nearest valid one.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace gt::cli {

class Args {
 public:
  Args(std::string command, std::string usage) : command_(std::move(command)), usage_(std::move(usage)) {}
  // Declares --name taking a value (help text for the usage line).
  Args& option(const std::string& name, const std::string& help);
  Args& flag(const std::string& name, const std::string& help);
  // Parses argv[first..argc). gt::Error on unknown options, missing values,
  // or stray positional arguments.
  void parse(int argc, char** argv, int first);

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  // Integer / real with validation (gt::Error "--name: ..." when malformed).
  long long get_int(const std::string& name, long long fallback, long long min_value) const;
  double get_double(const std::string& name, double fallback, double min_value) const;
  std::string help() const;
  // If argv[first..argc) holds --help or -h, prints help() to stdout and
  // returns true (the command then exits 0 without parsing).
  bool print_help_if_asked(int argc, char** argv, int first) const;

 private:
  struct Spec {
    bool takes_value;
    std::string help;
  };
  std::string command_, usage_;
  std::map<std::string, Spec> specs_;
  std::vector<std::string> order_;
  std::map<std::string, std::string> values_;
};

}  // namespace gt::cli
