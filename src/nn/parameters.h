// All trainable parameters of a model live in one flat buffer (and their
// gradients and Adam moments in three more of the same layout), so zeroing
// gradients, the optimiser step and, later, a gradient all-reduce are single
// loops over contiguous memory. Buffers (BatchNorm running statistics) live
// in a second store that the optimiser never touches.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gt {

struct TensorInfo {
  std::string name;            // PyTorch state_dict name, e.g. "layers.0.O_h.weight"
  std::vector<int64_t> shape;
  size_t offset = 0;           // into the store's buffers
  size_t size = 0;             // number of floats
};

class TensorStore {
 public:
  // Registers a tensor; returns its index. Call allocate() after the last add.
  int add(const std::string& name, std::vector<int64_t> shape);
  void allocate(bool with_optimizer_state);

  float* value(int i) { return values_.data() + infos_[i].offset; }
  const float* value(int i) const { return values_.data() + infos_[i].offset; }
  float* grad(int i) { return grads_.data() + infos_[i].offset; }

  const std::vector<TensorInfo>& infos() const { return infos_; }
  int find(const std::string& name) const;  // -1 if absent
  size_t total() const { return total_; }

  std::vector<float>& values() { return values_; }
  const std::vector<float>& values() const { return values_; }
  std::vector<float>& grads() { return grads_; }
  const std::vector<float>& grads() const { return grads_; }
  std::vector<float>& adam_m() { return m_; }
  std::vector<float>& adam_v() { return v_; }
  const std::vector<float>& adam_m() const { return m_; }
  const std::vector<float>& adam_v() const { return v_; }

 private:
  std::vector<TensorInfo> infos_;
  size_t total_ = 0;
  std::vector<float> values_, grads_, m_, v_;
};

}  // namespace gt
