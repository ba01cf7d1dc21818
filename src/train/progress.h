// Training progress: a one-line bar redrawn in place on a terminal (step,
// loss, steps/s, ETA), nothing per step otherwise; the caller logs epochs.
#pragma once
#include <chrono>
#include <string>

namespace gt {

class ProgressBar {
 public:
  // enabled: draw at all (normally: stderr is a terminal).
  ProgressBar(bool enabled, std::string label, int total_steps);
  void update(int step, double loss);  // step is 1-based
  void finish();                       // clears the line

  static bool stderr_is_terminal();

 private:
  bool enabled_;
  std::string label_;
  int total_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace gt
