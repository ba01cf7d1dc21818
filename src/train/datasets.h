// From a config to data and a model: which data set, which splits, which
// model shape. The one place that maps a config onto gt's types.
#pragma once
#include <memory>
#include <string>

#include "graph/graph.h"
#include "nn/graph_transformer.h"
#include "train/config.h"
#include "train/data_info.h"
#include "train/task.h"

namespace gt {

struct DataSplits {
  GraphDataset train, val, test;
  DataInfo info;  // feature scheme and task
};

// The data directory of the source tree (holds zinc/), overridable by the
// GT_DATA_DIR environment variable or --data-dir.
std::string default_data_dir();

// The seed of the generated SBM data sets (fixed, so every run of a config
// sees the same graphs; recorded in results.json).
constexpr uint64_t kSbmDataSeed = 1;
// A loaded SBM_PATTERN split (d, as load_splits returns it) with its graphs in
// the official generator's order: sorted by canonical index, so that each
// pattern instance's graphs are consecutive, as in the benchmark's released
// files. gt's own order mixes instances; the official batch-mean accuracy
// depends on which graphs share a batch. A prefix (max_num_graphs) keeps its
// graphs in their official relative order. gt::Error for other data sets.
GraphDataset sbm_pattern_official_order(const Config& config, const std::string& split,
                                        const GraphDataset& d);
// results.json of a PATTERN run: the final test accuracy in that order.
constexpr const char* kTestAccOfficialOrderKey = "test_acc_official_order";

// The seed a config's SBM data is generated with: its "data_seed", else kSbmDataSeed.
uint64_t sbm_data_seed(const Config& config);

// Loads (and caches under <data_dir>/cache) the splits the config names: a
// benchmark, or a user's data set given as a path (train/user_data.h).
DataSplits load_splits(const Config& config, const std::string& data_dir);

// config "pe_solver": "arpack": replaces d's encodings with the official
// solver's (compute_laplacian_pe_arpack), start vectors drawn from the data
// (the SBM draw) and `part` (1, 2, 3: train, val, test; 4: gt predict's
// input), never from the training seed. Prints what it did and how long it
// took on stderr. Does nothing for "exact".
void apply_pe_solver(const Config& config, GraphDataset* d, int part);

// The scheme and task of the config's data: the benchmark's (no data read),
// or the user data set's (read, or loaded from the cache).
DataInfo data_info_of(const Config& config, const std::string& data_dir);

// The model a config builds for data of this kind.
ModelSpec model_spec(const Config& config, const DataInfo& info);

// The loss and metric of the data's task.
std::unique_ptr<Task> make_task(const DataInfo& info);

}  // namespace gt
