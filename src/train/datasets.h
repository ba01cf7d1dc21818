// From a config to data and a model: which data set, which splits, which
// model shape. The one place that maps the official config onto gt's types.
#pragma once
#include <string>

#include "graph/graph.h"
#include "nn/graph_transformer.h"
#include "train/config.h"

namespace gt {

struct DataSplits {
  GraphDataset train, val, test;
};

// The data directory of the source tree (holds zinc/), overridable by the
// GT_DATA_DIR environment variable or --data-dir.
std::string default_data_dir();

// Loads (and caches under <data_dir>/cache) the splits the config names.
DataSplits load_splits(const Config& config, const std::string& data_dir);

ModelSpec model_spec(const Config& config, const GraphDataset& train);

}  // namespace gt
