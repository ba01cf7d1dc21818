// Losses and metrics of the two tasks against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ops/ops.h"
#include "train/task.h"

namespace {

TEST(WeightedCrossEntropy, MatchesHandComputedValue) {
  // Two classes, three nodes: labels 0, 1, 1. Weights as SPEC §3 for V = 3:
  // n_0 = 1 -> w_0 = 2/3, n_1 = 2 -> w_1 = 1/3.
  const std::vector<float> logits = {2.0f, 0.0f, 0.5f, 1.5f, -1.0f, 1.0f};
  const std::vector<int32_t> labels = {0, 1, 1};
  const std::vector<float> w = {2.0f / 3, 1.0f / 3};
  std::vector<float> d(6);
  const float loss = gt::ops::weighted_cross_entropy(logits.data(), labels.data(), w.data(), 3, 2, d.data());
  auto ce = [](double a, double b, int y) { return std::log(std::exp(a) + std::exp(b)) - (y ? b : a); };
  const double expect = (2.0 / 3 * ce(2, 0, 0) + 1.0 / 3 * ce(0.5, 1.5, 1) + 1.0 / 3 * ce(-1, 1, 1)) /
                        (2.0 / 3 + 2.0 / 3);
  EXPECT_NEAR(loss, expect, 1e-6);
  // Gradient of row 0: w_0 / W * (softmax - onehot).
  const double p0 = std::exp(2.0) / (std::exp(2.0) + 1.0);
  EXPECT_NEAR(d[0], (2.0 / 3) / (4.0 / 3) * (p0 - 1.0), 1e-6);
  EXPECT_NEAR(d[1], (2.0 / 3) / (4.0 / 3) * (1.0 - p0), 1e-6);
}

TEST(WeightedCrossEntropy, GradientMatchesFiniteDifferences) {
  std::vector<float> logits = {0.3f, -0.2f, 0.9f, 1.1f, 0.4f, -0.7f, 0.0f, 0.2f, 0.5f};
  const std::vector<int32_t> labels = {2, 0, 1};
  const std::vector<float> w = {0.5f, 0.25f, 0.75f};
  std::vector<float> d(9);
  gt::ops::weighted_cross_entropy(logits.data(), labels.data(), w.data(), 3, 3, d.data());
  for (int k = 0; k < 9; ++k) {
    const float keep = logits[k], h = 1e-2f;
    logits[k] = keep + h;
    const double up = gt::ops::weighted_cross_entropy(logits.data(), labels.data(), w.data(), 3, 3, nullptr);
    logits[k] = keep - h;
    const double down = gt::ops::weighted_cross_entropy(logits.data(), labels.data(), w.data(), 3, 3, nullptr);
    logits[k] = keep;
    EXPECT_NEAR(d[k], (up - down) / (2 * h), 2e-4) << "logit " << k;
  }
}

TEST(SbmAccuracy, AveragesPerClassRecall) {
  // Class 0: 3 of 4 right; class 1: 1 of 2 right -> 100 * (0.75 + 0.5) / 2.
  const std::vector<int32_t> y = {0, 0, 0, 0, 1, 1}, p = {0, 0, 0, 1, 1, 0};
  EXPECT_DOUBLE_EQ(gt::sbm_batch_accuracy(y.data(), p.data(), 6, 2), 62.5);
  // A class predicted but absent from the targets counts as a class with recall 0.
  const std::vector<int32_t> y2 = {0, 0}, p2 = {0, 1};
  EXPECT_DOUBLE_EQ(gt::sbm_batch_accuracy(y2.data(), p2.data(), 2, 2), 25.0);
}

TEST(NodeClassificationTask, BatchMeanAndWholeSplitDiffer) {
  auto task = gt::make_node_classification_task(2);
  task->reset();
  gt::GraphBatch a, b;
  a.num_nodes = 2, a.node_label = {0, 1};
  b.num_nodes = 4, b.node_label = {0, 0, 0, 1};
  const std::vector<float> out_a = {1, 0, 1, 0};              // predicts 0, 0
  const std::vector<float> out_b = {1, 0, 1, 0, 0, 1, 0, 1};  // predicts 0, 0, 1, 1
  task->add(out_a.data(), a);
  task->add(out_b.data(), b);
  // Batch a: (1 + 0)/2 = 50; batch b: (2/3 + 1)/2 = 83.33; mean 66.67.
  EXPECT_NEAR(task->metric(), (50.0 + 100.0 * (2.0 / 3 + 1.0) / 2) / 2, 1e-9);
  // Whole split: class 0 3/4, class 1 1/2 -> 62.5.
  EXPECT_NEAR(task->metric_alt(), 62.5, 1e-9);
}

TEST(GraphRegressionTask, PerGraphMaeAndBatchMean) {
  auto task = gt::make_graph_regression_task();
  task->reset();
  gt::GraphBatch a, b;
  a.num_graphs = 1, a.y = {1.0f};
  b.num_graphs = 3, b.y = {0.0f, 0.0f, 0.0f};
  const std::vector<float> pa = {3.0f}, pb = {1.0f, -1.0f, 1.0f};
  task->add(pa.data(), a);
  task->add(pb.data(), b);
  EXPECT_NEAR(task->metric(), (2.0 + 3.0) / 4, 1e-12);
  EXPECT_NEAR(task->metric_alt(), (2.0 + 1.0) / 2, 1e-12);
}

}  // namespace
