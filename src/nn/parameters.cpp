#include "nn/parameters.h"

#include "core/error.h"

namespace gt {

int TensorStore::add(const std::string& name, std::vector<int64_t> shape) {
  GT_CHECK(values_.empty(), "tensor added after allocate()");
  GT_CHECK(find(name) < 0, "duplicate tensor name " + name);
  TensorInfo info;
  info.name = name;
  info.size = 1;
  for (int64_t s : shape) info.size *= static_cast<size_t>(s);
  info.shape = std::move(shape);
  // Align each tensor to 16 floats (64 bytes) for vector loads.
  info.offset = (total_ + 15) / 16 * 16;
  total_ = info.offset + info.size;
  infos_.push_back(std::move(info));
  return static_cast<int>(infos_.size()) - 1;
}

void TensorStore::allocate(bool with_optimizer_state) {
  values_.assign(total_, 0.0f);
  if (with_optimizer_state) {
    grads_.assign(total_, 0.0f);
    m_.assign(total_, 0.0f);
    v_.assign(total_, 0.0f);
  }
}

int TensorStore::find(const std::string& name) const {
  for (size_t i = 0; i < infos_.size(); ++i)
    if (infos_[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace gt
