// `gt predict`: a trained model applied to new graphs. The checkpoint holds
// the config, the weights and the DataInfo (feature scheme, task, category
// dictionaries), so new inputs are featurised exactly as training did.
#pragma once
#include <cstdint>
#include <string>

namespace gt {

struct PredictOptions {
  std::string checkpoint;  // written by gt train
  std::string input;       // SMILES CSV, OGB folder or TU folder
  std::string format;      // "" = from the model's data ("ogb" molecules also read SMILES CSVs)
  std::string out;         // predictions CSV ("" = none written)
};

struct PredictResult {
  int64_t graphs = 0;
  double read_seconds = 0;      // reading, featurising, Laplacian PE
  double model_seconds = 0;     // batching and forward passes
  bool scored = false;          // the input carried labels: metric below is set
  std::string metric;           // the model's metric name ("rmse", "rocauc", "acc", ...)
  double value = 0;             // the metric over the labelled input graphs
};

// Writes one CSV row per input graph, in input order: "id" (SMILES, TU graph
// id or OGB index), then per task the prediction: the value (regression),
// the probability of 1 (binary), or the predicted class (the file's label)
// followed by one probability per class (multiclass).
PredictResult run_prediction(const PredictOptions& options);

}  // namespace gt
