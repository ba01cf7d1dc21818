// What a model is trained to do: the loss of a batch and the metric of a
// split. Graph regression (ZINC: L1 loss, MAE) and node classification (SBM:
// class-weighted cross-entropy, per-class recall averaged over classes).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace gt {

class Task {
 public:
  virtual ~Task() = default;
  // Rows of the model output and the batch's loss; writes d(loss)/d(output)
  // when d_output is not null.
  virtual float loss(const float* output, const GraphBatch& batch, float* d_output) = 0;
  // Metric over a pass: reset(), add() per batch, then read.
  virtual void reset() = 0;
  virtual void add(const float* output, const GraphBatch& batch) = 0;
  // The reported metric: per-graph MAE over the split (ZINC); the mean over
  // batches of the per-batch accuracy, as the paper computes it (SBM).
  virtual double metric() const = 0;
  // The other way of computing it: the mean of batch MAEs (what the official
  // code prints for ZINC); the exact whole-split accuracy (SBM).
  virtual double metric_alt() const = 0;
  virtual const char* metric_name() const = 0;      // "mae", "acc"
  virtual const char* metric_alt_name() const = 0;  // "mae_batch_mean", "acc_whole_split"
  virtual int num_outputs() const = 0;
  virtual bool node_level() const = 0;
  // Direction of metric(): accuracy and ROC-AUC go up, errors go down.
  virtual bool higher_is_better() const = 0;
};

std::unique_ptr<Task> make_graph_regression_task();
std::unique_ptr<Task> make_node_classification_task(int num_classes);
// Users' graph-level tasks (graph_task.cpp): kind "regression" (loss "l1" or
// "mse"; metric "mae" or "rmse"), "binary" (one or more 0/1 targets, loss
// "bce"; metric "rocauc" = OGB's mean over tasks, or "acc") or "multiclass"
// (loss "ce"; metric "acc"). NaN targets are masked out of loss and metric.
// Accuracies are percentages, as the SBM metric.
std::unique_ptr<Task> make_graph_task(const std::string& kind, const std::string& loss,
                                      const std::string& metric, int num_outputs);

// Index of the largest of x[0..C) (the first on ties): a row's predicted class.
int argmax_row(const float* x, int64_t C);

// SPEC §3: the SBM metric of one batch, 100 x mean over classes of recall.
double sbm_batch_accuracy(const int32_t* labels, const int32_t* predicted, int64_t n, int num_classes);

}  // namespace gt
