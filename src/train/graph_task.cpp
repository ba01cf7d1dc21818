// Graph-level tasks on users' data (task.h): regression with L1 or MSE loss,
// multi-task binary classification with BCE, multi-class classification
// with cross-entropy. Missing labels (NaN) are left out of loss and metric,
// as OGB does. Metrics are computed over the whole split: outputs and labels
// are collected by add() and scored by metric().
#include <cmath>

#include "core/error.h"
#include "ops/ops.h"
#include "train/metrics.h"
#include "train/task.h"

namespace gt {

namespace {

class GraphTask final : public Task {
 public:
  GraphTask(std::string kind, std::string loss, std::string metric, int outputs)
      : kind_(std::move(kind)), loss_(std::move(loss)), metric_(std::move(metric)), C_(outputs) {
    alt_ = kind_ == "regression" ? (metric_ == "mae" ? "rmse" : "mae")
           : kind_ == "binary"   ? (metric_ == "rocauc" ? "acc" : "rocauc")
                                 : "balanced_acc";
  }

  float loss(const float* out, const GraphBatch& b, float* d_out) override {
    const int64_t G = b.num_graphs;
    if (loss_ == "l1") return ops::masked_l1_loss(out, b.y.data(), G * C_, d_out);
    if (loss_ == "mse") return ops::masked_mse_loss(out, b.y.data(), G * C_, d_out);
    if (loss_ == "bce") return ops::masked_bce_with_logits(out, b.y.data(), G * C_, d_out);
    labels_.resize(G);
    for (int64_t g = 0; g < G; ++g) labels_[g] = static_cast<int32_t>(b.y[g]);
    ones_.assign(C_, 1.0f);
    return ops::weighted_cross_entropy(out, labels_.data(), ones_.data(), G, C_, d_out);
  }

  void reset() override { out_.clear(), y_.clear(); }
  void add(const float* out, const GraphBatch& b) override {
    const int64_t G = b.num_graphs, T = kind_ == "multiclass" ? 1 : C_;
    out_.insert(out_.end(), out, out + G * C_);
    y_.insert(y_.end(), b.y.begin(), b.y.begin() + G * T);
  }

  double metric() const override { return score(metric_); }
  double metric_alt() const override { return score(alt_); }
  const char* metric_name() const override { return metric_.c_str(); }
  const char* metric_alt_name() const override { return alt_.c_str(); }
  int num_outputs() const override { return C_; }
  bool node_level() const override { return false; }
  bool higher_is_better() const override { return metric_ != "mae" && metric_ != "rmse"; }

 private:
  std::string kind_, loss_, metric_, alt_;
  int C_;
  std::vector<float> out_, y_, ones_;
  std::vector<int32_t> labels_;

  double score(const std::string& m) const {
    const int64_t n = static_cast<int64_t>(y_.size()) / (kind_ == "multiclass" ? 1 : C_);
    if (n == 0) return 0.0;
    if (m == "mae") return masked_mae(out_.data(), y_.data(), n, C_);
    if (m == "rmse") return masked_rmse(out_.data(), y_.data(), n, C_);
    if (m == "rocauc") return ogb_mean_rocauc(out_.data(), y_.data(), n, C_);
    if (kind_ == "binary") return 100.0 * binary_accuracy();
    std::vector<int32_t> predicted(n), label(n);
    for (int64_t i = 0; i < n; ++i) {
      predicted[i] = argmax_row(out_.data() + i * C_, C_);
      label[i] = static_cast<int32_t>(y_[i]);
    }
    if (m == "acc") return 100.0 * accuracy(predicted.data(), label.data(), n);
    return sbm_batch_accuracy(label.data(), predicted.data(), n, C_);  // balanced accuracy
  }

  // Labelled entries whose logit has the label's sign (probability > 0.5).
  double binary_accuracy() const {
    int64_t right = 0, labelled = 0;
    for (size_t i = 0; i < y_.size(); ++i) {
      if (std::isnan(y_[i])) continue;
      ++labelled;
      right += (out_[i] > 0.0f) == (y_[i] > 0.5f);
    }
    if (labelled == 0) fail("accuracy: the split has no labelled entries");
    return static_cast<double>(right) / labelled;
  }
};

}  // namespace

std::unique_ptr<Task> make_graph_task(const std::string& kind, const std::string& loss,
                                      const std::string& metric, int num_outputs) {
  GT_CHECK(kind == "regression" || kind == "binary" || kind == "multiclass", "unknown task kind");
  return std::make_unique<GraphTask>(kind, loss, metric, num_outputs);
}

}  // namespace gt
