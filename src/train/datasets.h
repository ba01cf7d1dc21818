// From a config to data and a model: which data set, which splits, which
// model shape. The one place that maps the official config onto gt's types.
#pragma once
#include <string>

#include "graph/graph.h"
#include "nn/graph_transformer.h"
#include "train/config.h"
#include "train/task.h"

namespace gt {

struct DataSplits {
  GraphDataset train, val, test;
};

// The data directory of the source tree (holds zinc/), overridable by the
// GT_DATA_DIR environment variable or --data-dir.
std::string default_data_dir();

// The seed of the generated SBM data sets (fixed, so every run of a config
// sees the same graphs; recorded in results.json).
constexpr uint64_t kSbmDataSeed = 1;

// Loads (and caches under <data_dir>/cache) the splits the config names.
DataSplits load_splits(const Config& config, const std::string& data_dir);

// An empty data set carrying the vocabulary sizes of a known benchmark
// (what a model needs to be built without loading the data).
GraphDataset vocabulary_of(const std::string& dataset);

ModelSpec model_spec(const Config& config, const GraphDataset& train);

// The task a config's data set calls for (loss and metric).
std::unique_ptr<Task> make_task(const Config& config);

}  // namespace gt
