// What a trained model knows about its data: the feature scheme (columns,
// vocabularies, the file's value of each category), the task (kind, targets,
// classes, loss, metric) and how the files were read. It travels in every
// checkpoint, so `gt eval` and `gt predict` featurise new inputs exactly as
// training did, without the training data.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/json.h"
#include "data/graph_source.h"
#include "graph/graph.h"

namespace gt {

struct DataInfo {
  std::string name;    // "ZINC", "ogbg-molesol", "MUTAG", "my.csv", ...
  std::string format;  // "zinc" | "sbm" | "ogb" | "tu" | "smiles_csv"
  // Feature scheme (GraphDataset's fields of the same names).
  std::vector<int32_t> node_vocab, edge_vocab;
  int32_t node_cont = 0, edge_cont = 0;
  std::vector<std::string> node_columns, edge_columns;         // categorical column names
  std::vector<std::vector<int64_t>> node_values, edge_values;  // FeatureColumns::values
  // Task.
  std::string task = "regression";  // "regression" | "binary" | "multiclass" | "node_classification"
  std::string loss = "l1";          // "l1" | "mse" | "bce" | "ce" | "weighted_ce"
  std::string metric = "mae";       // "mae" | "rmse" | "rocauc" | "acc" | "sbm_acc"
  std::vector<std::string> task_names;  // one per target (regression, binary)
  int32_t num_classes = 0;              // multiclass, node_classification
  std::vector<int64_t> class_values;    // the file's label of each class index (TU)
  std::string smiles_column;            // smiles_csv: the column `gt predict` reads

  int32_t num_outputs() const;  // model outputs per graph (or node)
  bool node_level() const { return task == "node_classification"; }
  bool higher_is_better() const { return metric == "rocauc" || metric == "acc" || metric == "sbm_acc"; }
  // The scheme as an empty GraphDataset (what collate and the model check against).
  GraphDataset scheme(int32_t pe_dim) const;
};

// The info of the official benchmarks ("ZINC", "SBM_PATTERN", "SBM_CLUSTER").
DataInfo benchmark_info(const std::string& dataset);

// Resolves the task of a data set read from a user's files: the kind from
// the source (or task_type when not "auto"), then loss and metric (the
// defaults of the kind, or the given ones when not "auto"). Throws gt::Error
// naming `where` (the config) for a combination that makes no sense
// (e.g. metric "rocauc" on a regression task).
DataInfo source_info(const SourceDataset& source, const std::string& format,
                     const std::string& task_type, const std::string& loss,
                     const std::string& metric, const std::string& where);

Json data_info_to_json(const DataInfo& info);
// Throws gt::Error naming source_name for a malformed or inconsistent object.
DataInfo data_info_from_json(const Json& json, const std::string& source_name);

}  // namespace gt
