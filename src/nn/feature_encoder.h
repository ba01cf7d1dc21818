// The input encoder of nodes (or edges): OGB's AtomEncoder / BondEncoder
// convention generalised. Each categorical column has its own embedding
// table and the row's vector is their sum; continuous columns go through one
// Linear that is added too. With a single categorical column and nothing
// continuous (ZINC, SBM) it is exactly nn.Embedding and keeps the official
// parameter name ("embedding_h"); otherwise the tables are "<name>.<c>" and
// the Linear is "<name>_cont".
#pragma once
#include <string>
#include <vector>

#include "nn/modules.h"

namespace gt {

struct FeatureEncoder {
  std::vector<Embedding> columns;  // one per categorical column
  Linear continuous;               // in = continuous columns (unused when 0)
  int64_t num_continuous = 0, dim = 0;

  void declare(TensorStore& params, const std::string& name, const std::vector<int>& vocab,
               int64_t num_continuous, int64_t dim);
  void init(TensorStore& params, Rng& rng) const;
  // Y[rows, dim] = sum_c E_c[index[r * C + c]] + (cont[r, :] W^T + b).
  void forward(PassContext& ctx, const int32_t* index, const float* cont, float* Y,
               int64_t rows) const;
  // Accumulates the parameter gradients of dY (the input needs none).
  void backward(PassContext& ctx, const int32_t* index, const float* cont, const float* dY,
                int64_t rows) const;
};

}  // namespace gt
