// k-fold cross-validation (the TU convention): one full training run per
// fold, each in <out>/fold_<f>, then <out>/cv.json with every fold's test
// metric and their mean and standard deviation.
#pragma once
#include "core/json.h"
#include "train/run.h"

namespace gt {

// Runs folds 0..data.folds-1 of base.config (a TU data set) with
// base.config.data.fold set to each; base.out_dir holds the folds and
// cv.json. With base.resume, each fold continues from its own checkpoint
// (a finished fold trains no further). Returns the cv.json contents.
Json run_cross_validation(const RunOptions& base);

}  // namespace gt
