// A data set as a file format describes it, before gt's graph cache,
// positional encodings and batching: graphs with any number of categorical
// and continuous feature columns on nodes and edges, one or more targets per
// graph (NaN marks a missing label), and the split the data set ships with.
// The readers of the formats users bring (OGB graph-property raw format, TU
// text format, SMILES CSV) all produce a SourceDataset; the training side
// turns it into GraphDatasets.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gt {

// The feature columns of nodes (or of edges).
struct FeatureColumns {
  std::vector<std::string> names;  // one per categorical column (informative only)
  std::vector<int32_t> vocab;      // per categorical column: values lie in [0, vocab)
  int32_t continuous = 0;          // number of float columns
  // Per categorical column, the value in the file of each index (TU labels
  // are remapped by sorted distinct value); empty when indices are the
  // file's values (OGB). New data must be remapped through the same lists.
  std::vector<std::vector<int64_t>> values;
  int32_t categorical() const { return static_cast<int32_t>(vocab.size()); }
};

struct SourceGraph {
  std::string id;                // SMILES, TU graph id, OGB graph index, ...
  int32_t num_nodes = 0;
  std::vector<int32_t> src, dst;  // directed edges; undirected data stores both directions
  std::vector<int32_t> node_cat;  // [num_nodes * node.categorical()], row-major
  std::vector<float> node_cont;   // [num_nodes * node.continuous]
  std::vector<int32_t> edge_cat;  // [num_edges * edge.categorical()], aligned with src/dst
  std::vector<float> edge_cont;   // [num_edges * edge.continuous]
  std::vector<float> y;           // [task_names.size()] graph targets; NaN = missing
  int32_t num_edges() const { return static_cast<int32_t>(src.size()); }
};

enum class TaskType {
  Regression,          // y: one or more real targets
  Binary,              // y: one or more 0/1 targets (OGB's multi-task binary; NaN = missing)
  MultiClass,          // y[0]: class index 0..num_classes-1
};

struct SourceDataset {
  std::string name;   // e.g. "ogbg-molbace", "MUTAG", "my_molecules.csv"
  std::string path;   // where it was read from
  FeatureColumns node, edge;
  std::vector<std::string> task_names;  // one per target column
  TaskType task = TaskType::Regression;
  int32_t num_classes = 0;              // MultiClass only
  std::vector<int64_t> class_values;    // MultiClass: the file's label of each class index (TU)
  std::vector<SourceGraph> graphs;
  // The split shipped with the data (OGB split folder, a CSV split column,
  // a scaffold split); graph indices, each graph in at most one list. All
  // empty when the data set has none (TU: gt makes cross-validation folds).
  std::vector<int32_t> train, val, test;
  // The metric the data set is judged by, as its format names it (OGB
  // master.csv: "rocauc", "rmse", "ap", ...); empty when the format names none.
  std::string eval_metric;
};

}  // namespace gt
