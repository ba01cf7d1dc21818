// A whole training run as `gt train` performs it: output directory,
// per-epoch metrics, checkpoints, resume, stop rules and the final results.
#pragma once
#include <string>

#include "core/comm.h"
#include "train/config.h"
#include "train/trainer.h"

namespace gt {

struct RunOptions {
  Config config;              // resolved, CLI overrides applied
  std::string out_dir;
  std::string data_dir;
  bool resume = false;        // continue from <out_dir>/checkpoint.safetensors
  bool progress = false;      // draw a progress bar
  int threads = 0;            // recorded in the results
  // Data parallelism: the ranks sharing every batch (null: this process
  // alone). Rank 0 alone writes the output directory.
  Communicator* comm = nullptr;
  BatchNormStats bn_stats = BatchNormStats::Global;
};

struct RunResult {
  int epochs = 0;
  std::string metric_name;  // "mae" or "acc"
  double train_metric = 0, val_metric = 0, test_metric = 0;
  std::string stop_reason;
};

RunResult run_training(const RunOptions& options);

}  // namespace gt
