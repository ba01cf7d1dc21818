// Users' own data sets: a config whose "dataset" is a path (an OGB folder, a
// TU folder or a SMILES CSV file) becomes train/val/test splits the trainer
// can use, through the same graph cache as the benchmarks.
#pragma once
#include <string>
#include <vector>

#include "data/graph_source.h"
#include "graph/graph.h"
#include "train/config.h"
#include "train/data_info.h"

namespace gt {

// "ogb", "tu" or "smiles_csv" for the data at path, from its files: a folder
// with raw/num-node-list.csv[.gz] is OGB, a folder with <name>_A.txt[.gz]
// is TU, a regular file is a CSV. Throws gt::Error naming the path when it
// does not exist or matches none.
std::string detect_format(const std::string& path);

// Reads the data at path in the given format ("auto": detect_format);
// task_type "regression" / "binary" tells a SMILES CSV how to read its labels.
SourceDataset read_source(const std::string& path, const std::string& format, const DataParams& opt,
                          const std::string& task_type = "auto");

// The model's view of a source data set: features as the info's scheme says,
// targets, and Laplacian PE of dimension pe_dim. Graphs with no nodes, and
// non-finite features, are errors naming the data set and the graph id;
// multiclass labels must be present.
GraphDataset to_graph_dataset(const SourceDataset& source, const DataInfo& info, int pe_dim);

// Remaps a source read from new files (gt predict) into the categories of a
// trained model: columns must match by count; TU label values go through the
// info's value lists (a value training never saw is an error naming it).
void align_to_info(const DataInfo& info, SourceDataset* source);

struct UserSplits {
  GraphDataset train, val, test;
  DataInfo info;
};

// Reads (or loads from <cache_dir>, keyed by the bytes of every input file
// and the options) the data set of config.dataset, resolves its task and
// splits it: the data set's own split (OGB split folder, CSV split column,
// scaffold split), or for TU the stratified k-fold split of config.data
// (test = fold, val = fold + 1 mod k, train = the rest).
UserSplits load_user_splits(const Config& config, const std::string& cache_dir);

}  // namespace gt
