// TU Dortmund graph-classification data sets (MUTAG, ENZYMES, PROTEINS, ...)
// in their text format (https://chrsmrrs.github.io/datasets/; the layout of
// PyG's TUDataset raw/ folder; data/tu/README.md). A data set DS is a
// folder of DS_*.txt files over 1-based *global* node ids:
//   DS_A.txt               required  one directed edge "row, col" per line
//   DS_graph_indicator.txt required  line i: graph id (1..N) of node i
//   DS_graph_labels.txt    required  line j: class label of graph j
//   DS_node_labels.txt     optional  one line per node, one or more integers
//   DS_edge_labels.txt     optional  one line per A.txt line, one or more integers
//   DS_node_attributes.txt optional  one line per node, comma-separated floats
//   DS_edge_attributes.txt optional  one line per A.txt line, comma-separated floats
//   DS_graph_attributes.txt          not read (regression targets of a few
//                                    data sets; gt reads TU as classification)
// Any file may be gzip'd (read_file_bytes detects it); DS_X.txt.gz is used
// when DS_X.txt is absent.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/graph_source.h"

namespace gt {

// Reads the TU data set in `dir`; `name` is the DS prefix of its files and
// defaults to the folder's basename (/data/tu/MUTAG -> "MUTAG").
//
// Output (SourceDataset):
//  - task MultiClass, task_names {"class"}; graph labels are remapped by their
//    sorted distinct values to 0..C-1 (MUTAG: -1 -> 0, 1 -> 1; ENZYMES: 1..6
//    -> 0..5), y[0] = that index as a float, num_classes = C, class_values
//    the original labels by index.
//  - node/edge label columns become categorical columns, each remapped the
//    same way (sorted distinct values -> 0..K-1, vocab K); the column is named
//    "node_label" ("edge_label"), or "node_label_<c>" when lines hold several
//    labels; FeatureColumns::values keeps the original value of each index.
//    Attributes become continuous columns.
//  - each SourceGraph holds exactly the A.txt lines of its graph, in file
//    order, with graph-local 0-based ids (symmetry, duplicates and self-loops
//    are kept as the file has them); id = the 1-based graph id as text.
//  - no split: train/val/test are empty (use stratified_kfold).
// Throws gt::Error naming file, line and field for any malformed input.
SourceDataset read_tu(const std::string& dir, const std::string& name = "");

// The k test folds of stratified k-fold cross-validation (the TU convention
// is 10 folds), as graph indices, each fold sorted ascending. Every graph is in
// exactly one fold; for every class the folds' counts differ by at most 1, and
// so do the folds' total sizes. Deterministic for a seed (gt::Rng). Requires
// a MultiClass data set and 2 <= k <= number of graphs.
std::vector<std::vector<int32_t>> stratified_kfold(const SourceDataset& d, int k, uint64_t seed);

}  // namespace gt
