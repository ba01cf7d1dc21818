// GraphTransformerNet (SPEC §3): input embeddings (+ Laplacian PE), L Graph
// Transformer layers, a readout and the MLP head. Parameter names follow the
// official PyTorch module (docs/architecture.md).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "nn/feature_encoder.h"
#include "nn/gt_layer.h"

namespace gt {

struct ModelSpec {
  int layers = 10;
  int64_t dim = 64;
  int heads = 8;
  std::vector<int> node_vocab = {28};  // per categorical node column (ZINC: atom types)
  std::vector<int> edge_vocab = {4};   // per categorical edge column (ZINC: bond types)
  int node_cont = 0, edge_cont = 0;    // continuous node / edge columns
  int pe_dim = 8;               // 0: no Laplacian PE
  bool edge_features = true;    // §2 layers with the edge stream
  bool layer_norm = false, batch_norm = true, residual = true;
  ops::Readout readout = ops::Readout::Mean;
  bool node_level = false;      // per-node head (SBM) instead of graph readout
  int num_outputs = 1;          // targets, tasks or classes
  // Training-time dropout rates (official net_params): in_feat_dropout on the
  // node input features, dropout inside every layer (StreamTail).
  float dropout = 0, in_feat_dropout = 0;
  // Full-graph attention (SPEC §6): batches are collated with
  // collate(..., full_graph = true), every ordered node pair of each graph.
  // The model itself is unchanged; whoever collates reads this flag.
  bool full_graph = false;
};

class GraphTransformer {
 public:
  explicit GraphTransformer(const ModelSpec& spec);

  // PyTorch-default initialisation from a seed.
  void init_weights(uint64_t seed);

  // Forward over a batch; returns the output [G, num_outputs] (or
  // [N, num_outputs] for node-level models), valid until the arena resets.
  // batch.pe must already carry any training-time sign flip.
  const float* forward(const GraphBatch& batch, bool training, Arena& arena);
  // Backward from d(loss)/d(output); accumulates into params().grads().
  void backward(const float* d_output, Arena& arena);
  // What the next passes' dropout masks derive from (dropout_key): the run's
  // seed and the optimisation step. The trainer sets them before each step.
  void set_step(uint64_t seed, int64_t step) {
    dropout_seed_ = seed;
    step_ = step;
  }

  // Data parallelism: BatchNorm statistics in training mode are taken over
  // the global batch, summed across comm's ranks (null: over this process's
  // rows only, the single-process behaviour).
  void set_batch_norm_comm(Communicator* comm) { bn_comm_ = comm; }

  TensorStore& params() { return params_; }
  const TensorStore& params() const { return params_; }
  TensorStore& buffers() { return buffers_; }
  const TensorStore& buffers() const { return buffers_; }
  const ModelSpec& spec() const { return spec_; }
  int64_t num_parameters() const;
  // Human-readable summary: one line per tensor plus the total.
  std::string describe() const;

 private:
  // Node input embedding (+ PE, + input dropout) into h_[0], and its backward.
  void embed_nodes(const GraphBatch& batch, Arena& arena);
  void embed_nodes_backward(float* dh);

  ModelSpec spec_;
  TensorStore params_, buffers_;
  FeatureEncoder embedding_h_, embedding_e_;
  Linear embedding_pe_;
  std::vector<GTLayer> layers_;
  std::vector<Linear> mlp_;
  uint64_t dropout_seed_ = 0;  // set_step
  int64_t step_ = 0;
  Communicator* bn_comm_ = nullptr;
  // State of the current pass.
  const GraphBatch* batch_ = nullptr;
  ops::CsrGraph csr_;
  PassContext ctx_;
  std::vector<float*> h_, e_;        // inputs of each layer, then the final output
  float* pooled_ = nullptr;
  int32_t* argmax_ = nullptr;
  std::vector<float*> mlp_in_;       // input of each MLP linear (ReLU outputs)
};

}  // namespace gt
