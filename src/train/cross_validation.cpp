#include "train/cross_validation.h"

#include <cstdio>

#include "core/error.h"
#include "core/file_io.h"
#include "core/stats.h"
#include "train/user_data.h"

namespace gt {

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
  Json cv = Json::object();
  cv.set("dataset", base.config.dataset);
  cv.set("folds", k);
  cv.set("fold_seed", Json(static_cast<long long>(base.config.data.fold_seed)));
  cv.set("seed", Json(static_cast<long long>(base.config.params.seed)));
  cv.set("metric", metric);
  // Population s.d. over folds (np.std), as the TU literature reports it.
  cv.set("test_" + metric + "_mean", mean_of(last));
  cv.set("test_" + metric + "_std", sd_of(last, false));
  cv.set("test_" + metric + "_at_best_val_mean", mean_of(at_best));
  cv.set("test_" + metric + "_at_best_val_std", sd_of(at_best, false));
  cv.set("per_fold", std::move(folds));
  write_file_atomic(base.out_dir + "/cv.json", cv.dump(4) + "\n");
  return cv;
}

}  // namespace gt
