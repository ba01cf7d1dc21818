#include "train/cross_validation.h"

#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "core/file_io.h"
#include "train/user_data.h"

namespace gt {

namespace {

// Mean and population standard deviation (numpy's np.std, as the TU
// literature reports it).
void mean_std(const std::vector<double>& v, double* mean, double* std) {
  double s = 0.0;
  for (double x : v) s += x;
  *mean = v.empty() ? 0.0 : s / static_cast<double>(v.size());
  double q = 0.0;
  for (double x : v) q += (x - *mean) * (x - *mean);
  *std = v.empty() ? 0.0 : std::sqrt(q / static_cast<double>(v.size()));
}

}  // namespace

Json run_cross_validation(const RunOptions& base) {
  const Config& c = base.config;
  if (is_benchmark(c.dataset) || (c.data.format == "auto" ? detect_format(c.dataset) : c.data.format) != "tu")
    fail("--cv: cross-validation folds are made for TU data sets; " + c.dataset +
         " is not one (its own split is used instead)");
  make_dirs(base.out_dir);
  const int k = base.config.data.folds;
  Json folds = Json::array();
  std::vector<double> last, at_best;
  std::string metric;
  for (int f = 0; f < k; ++f) {
    RunOptions o = base;
    o.config.data.fold = f;
    o.out_dir = base.out_dir + "/fold_" + std::to_string(f);
    o.config.out_dir = o.out_dir;
    o.resume = base.resume && path_exists(o.out_dir + "/checkpoint.safetensors");
    std::fprintf(stderr, "cross-validation: fold %d of %d -> %s\n", f + 1, k, o.out_dir.c_str());
    const RunResult r = run_training(o);
    const Json res = Json::parse(read_file(o.out_dir + "/results.json"), o.out_dir + "/results.json");
    metric = r.metric_name;
    Json j = Json::object();
    j.set("fold", f);
    j.set("epochs", r.epochs);
    j.set("test_" + metric, r.test_metric);
    j.set("best_val_epoch", res.at("best_val_epoch").as_int64());
    j.set("test_" + metric + "_at_best_val", res.at("test_" + metric + "_at_best_val").as_double());
    last.push_back(r.test_metric);
    at_best.push_back(res.at("test_" + metric + "_at_best_val").as_double());
    folds.items().push_back(std::move(j));
  }
  double m1, s1, m2, s2;
  mean_std(last, &m1, &s1);
  mean_std(at_best, &m2, &s2);
  Json cv = Json::object();
  cv.set("dataset", base.config.dataset);
  cv.set("folds", k);
  cv.set("fold_seed", Json(static_cast<long long>(base.config.data.fold_seed)));
  cv.set("seed", Json(static_cast<long long>(base.config.params.seed)));
  cv.set("metric", metric);
  cv.set("test_" + metric + "_mean", m1);
  cv.set("test_" + metric + "_std", s1);
  cv.set("test_" + metric + "_at_best_val_mean", m2);
  cv.set("test_" + metric + "_at_best_val_std", s2);
  cv.set("per_fold", std::move(folds));
  write_file_atomic(base.out_dir + "/cv.json", cv.dump(4) + "\n");
  return cv;
}

}  // namespace gt
