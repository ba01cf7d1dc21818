// Summary statistics of repeated runs (seeds, folds): one definition for
// every report, so the tables and the summaries agree.
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

namespace gt {

// Mean; 0 for no values.
inline double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

// Standard deviation around the mean: sample (n - 1, Python's
// statistics.stdev, the paper's seeds) or population (n, numpy's np.std, the
// TU literature's folds). 0 when it is undefined (fewer than 2 values).
inline double sd_of(const std::vector<double>& v, bool sample) {
  if (v.size() < 2) return 0.0;
  const double m = mean_of(v);
  double ss = 0.0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(sample ? v.size() - 1 : v.size()));
}

// Median (the mean of the two middle values for an even count); 0 for no
// values. For timings: one slow epoch (a paused run, a build beside it) does
// not move it.
inline double median_of(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

}  // namespace gt
