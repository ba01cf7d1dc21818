#include "train/task.h"

#include <cmath>

#include "ops/ops.h"

namespace gt {

namespace {

class GraphRegression final : public Task {
 public:
  float loss(const float* out, const GraphBatch& b, float* d_out) override {
    if (d_out) ops::l1_loss_backward(d_out, out, b.y.data(), b.num_graphs);
    return ops::l1_loss_forward(out, b.y.data(), b.num_graphs);
  }
  void reset() override { abs_sum_ = batch_sum_ = 0.0, graphs_ = batches_ = 0; }
  void add(const float* out, const GraphBatch& b) override {
    double s = 0.0;
    for (int32_t g = 0; g < b.num_graphs; ++g) s += std::fabs(static_cast<double>(out[g]) - b.y[g]);
    abs_sum_ += s;
    graphs_ += b.num_graphs;
    batch_sum_ += b.num_graphs > 0 ? s / b.num_graphs : 0.0;
    ++batches_;
  }
  double metric() const override { return graphs_ ? abs_sum_ / graphs_ : 0.0; }
  double metric_alt() const override { return batches_ ? batch_sum_ / batches_ : 0.0; }
  const char* metric_name() const override { return "mae"; }
  const char* metric_alt_name() const override { return "mae_batch_mean"; }
  int num_outputs() const override { return 1; }
  bool node_level() const override { return false; }
  bool higher_is_better() const override { return false; }

 private:
  double abs_sum_ = 0, batch_sum_ = 0;
  int64_t graphs_ = 0, batches_ = 0;
};

class NodeClassification final : public Task {
 public:
  explicit NodeClassification(int classes) : C_(classes) {}
  float loss(const float* out, const GraphBatch& b, float* d_out) override {
    // SPEC §3: w_c = (V - n_c) / V, 0 for classes absent from the batch.
    const int64_t V = b.num_nodes;
    std::vector<int64_t> count(C_, 0);
    for (int64_t i = 0; i < V; ++i) ++count[b.node_label[i]];
    weight_.assign(C_, 0.0f);
    for (int c = 0; c < C_; ++c)
      if (count[c] > 0) weight_[c] = static_cast<float>(V - count[c]) / static_cast<float>(V);
    return ops::weighted_cross_entropy(out, b.node_label.data(), weight_.data(), V, C_, d_out);
  }
  void reset() override {
    correct_.assign(C_, 0);
    total_.assign(C_, 0);
    batch_sum_ = 0.0;
    batches_ = 0;
  }
  void add(const float* out, const GraphBatch& b) override {
    predicted_.resize(b.num_nodes);
    for (int32_t i = 0; i < b.num_nodes; ++i) {
      predicted_[i] = argmax_row(out + static_cast<int64_t>(i) * C_, C_);
      ++total_[b.node_label[i]];
      correct_[b.node_label[i]] += predicted_[i] == b.node_label[i];
    }
    batch_sum_ += sbm_batch_accuracy(b.node_label.data(), predicted_.data(), b.num_nodes, C_);
    ++batches_;
  }
  double metric() const override { return batches_ ? batch_sum_ / batches_ : 0.0; }
  double metric_alt() const override {
    double s = 0.0;
    int present = 0;
    for (int c = 0; c < C_; ++c)
      if (total_[c] > 0) s += static_cast<double>(correct_[c]) / total_[c], ++present;
    return present ? 100.0 * s / present : 0.0;
  }
  const char* metric_name() const override { return "acc"; }
  const char* metric_alt_name() const override { return "acc_whole_split"; }
  int num_outputs() const override { return C_; }
  bool node_level() const override { return true; }
  bool higher_is_better() const override { return true; }

 private:
  int C_;
  std::vector<float> weight_;
  std::vector<int32_t> predicted_;
  std::vector<int64_t> correct_, total_;
  double batch_sum_ = 0.0;
  int64_t batches_ = 0;
};

}  // namespace

int argmax_row(const float* x, int64_t C) {
  int best = 0;
  for (int c = 1; c < C; ++c)
    if (x[c] > x[best]) best = c;
  return best;
}

double sbm_batch_accuracy(const int32_t* labels, const int32_t* predicted, int64_t n,
                          int num_classes) {
  // As the official accuracy_SBM: the confusion matrix spans the classes that
  // occur among targets or predictions; a class with no target counts 0.
  std::vector<int64_t> correct(num_classes, 0), total(num_classes, 0);
  std::vector<char> seen(num_classes, 0);
  for (int64_t i = 0; i < n; ++i) {
    ++total[labels[i]];
    correct[labels[i]] += labels[i] == predicted[i];
    seen[labels[i]] = seen[predicted[i]] = 1;
  }
  int classes = 0;
  double sum = 0.0;
  for (int c = 0; c < num_classes; ++c) {
    classes += seen[c];
    if (total[c] > 0) sum += static_cast<double>(correct[c]) / total[c];
  }
  return classes ? 100.0 * sum / classes : 0.0;
}

std::unique_ptr<Task> make_graph_regression_task() { return std::make_unique<GraphRegression>(); }
std::unique_ptr<Task> make_node_classification_task(int num_classes) {
  return std::make_unique<NodeClassification>(num_classes);
}

}  // namespace gt
