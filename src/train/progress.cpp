#include "train/progress.h"

#include <unistd.h>

#include <cstdio>

namespace gt {

ProgressBar::ProgressBar(bool enabled, std::string label, int total_steps)
    : enabled_(enabled), label_(std::move(label)), total_(total_steps),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

bool ProgressBar::stderr_is_terminal() { return isatty(fileno(stderr)) != 0; }

void ProgressBar::update(int step, double loss) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // Redraw at most ~10 times a second, and always on the last step.
  if (step < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? step / elapsed : 0.0;
  const double eta = rate > 0 ? (total_ - step) / rate : 0.0;
  constexpr int kWidth = 24;
  const int filled = total_ > 0 ? kWidth * step / total_ : kWidth;
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
  bar[kWidth] = '\0';
  std::fprintf(stderr, "\r\033[K%s [%s] %d/%d  loss %.4f  %.1f steps/s  ETA %.0fs", label_.c_str(),
               bar, step, total_, loss, rate, eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace gt
