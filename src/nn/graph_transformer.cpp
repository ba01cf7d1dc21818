#include "nn/graph_transformer.h"

#include <cstring>
#include <sstream>

#include "core/error.h"

namespace gt {

GraphTransformer::GraphTransformer(const ModelSpec& spec) : spec_(spec) {
  GT_CHECK(spec.heads > 0 && spec.dim % spec.heads == 0, "dim must be divisible by heads");
  const int64_t d = spec.dim;
  embedding_h_.declare(params_, "embedding_h", spec.node_vocab, spec.node_cont, d);
  if (spec.pe_dim > 0) embedding_pe_.declare(params_, "embedding_lap_pos_enc", spec.pe_dim, d, true);
  if (spec.edge_features)
    embedding_e_.declare(params_, "embedding_e", spec.edge_vocab, spec.edge_cont, d);
  LayerSpec ls;
  ls.dim = d;
  ls.heads = spec.heads;
  ls.edge_features = spec.edge_features;
  ls.layer_norm = spec.layer_norm;
  ls.batch_norm = spec.batch_norm;
  ls.residual = spec.residual;
  layers_.resize(spec.layers);
  for (int l = 0; l < spec.layers; ++l) {
    ls.index = l;
    layers_[l].declare(params_, buffers_, "layers." + std::to_string(l) + ".", ls);
  }
  // MLPReadout with L=2: d -> d/2 -> d/4 -> outputs.
  const int64_t widths[4] = {d, d / 2, d / 4, spec.num_outputs};
  mlp_.resize(3);
  for (int i = 0; i < 3; ++i)
    mlp_[i].declare(params_, "MLP_layer.FC_layers." + std::to_string(i), widths[i], widths[i + 1], true);
  params_.allocate(true);
  buffers_.allocate(false);
}

void GraphTransformer::init_weights(uint64_t seed) {
  Rng rng(seed);
  embedding_h_.init(params_, rng);
  if (spec_.pe_dim > 0) embedding_pe_.init(params_, rng);
  if (spec_.edge_features) embedding_e_.init(params_, rng);
  for (auto& layer : layers_) layer.init(params_, buffers_, rng);
  for (auto& fc : mlp_) fc.init(params_, rng);
}

int64_t GraphTransformer::num_parameters() const {
  int64_t n = 0;
  for (const auto& t : params_.infos()) n += static_cast<int64_t>(t.size);
  return n;
}

std::string GraphTransformer::describe() const {
  std::ostringstream os;
  for (const auto& t : params_.infos()) {
    os << "  " << t.name << " [";
    for (size_t i = 0; i < t.shape.size(); ++i) os << (i ? ", " : "") << t.shape[i];
    os << "]\n";
  }
  os << "total parameters: " << num_parameters() << "\n";
  return os.str();
}

// The input-feature dropout sits where the official nets put it, which
// differs between them: the molecule (graph-level) net drops the atom
// embedding before adding the Laplacian PE, the SBM (node-level) net drops
// the sum. Whether it runs before the PE is a pure function of the spec.
static bool in_feat_dropout_before_pe(const ModelSpec& spec) { return !spec.node_level; }

// h_[0] = embedding_h(features) + embedding_lap_pos_enc(pe), with the input
// dropout (in place) where the official net applies it.
void GraphTransformer::embed_nodes(const GraphBatch& batch, Arena& arena) {
  const int64_t N = batch.num_nodes, d = spec_.dim;
  const float p = ctx_.in_feat_dropout;
  const uint64_t key = dropout_key(ctx_, kInFeatDropoutSite);
  const int64_t first = ctx_.node_offset * d;
  h_.assign(1, arena.floats(N * d));
  GT_CHECK(batch.node_cols == static_cast<int>(spec_.node_vocab.size()) &&
               batch.node_cont == spec_.node_cont,
           "batch node features differ from the model's");
  embedding_h_.forward(ctx_, batch.node_type.data(), batch.node_cont_x.data(), h_[0], N);
  const bool before_pe = in_feat_dropout_before_pe(spec_);
  if (p > 0 && before_pe) ops::dropout_forward(h_[0], h_[0], N * d, p, key, first);
  if (spec_.pe_dim > 0) {
    GT_CHECK(batch.pe_dim == spec_.pe_dim, "batch PE width differs from the model's pos_enc_dim");
    float* pe = arena.floats(N * d);
    embedding_pe_.forward(ctx_, batch.pe.data(), pe, N);
    ops::add_inplace(h_[0], pe, N * d);
  }
  if (p > 0 && !before_pe) ops::dropout_forward(h_[0], h_[0], N * d, p, key, first);
}

// dh: gradient of h_[0] (overwritten).
void GraphTransformer::embed_nodes_backward(float* dh) {
  const GraphBatch& batch = *batch_;
  const int64_t N = batch.num_nodes, d = spec_.dim;
  const float p = ctx_.in_feat_dropout;
  const uint64_t key = dropout_key(ctx_, kInFeatDropoutSite);
  const int64_t first = ctx_.node_offset * d;
  const bool before_pe = in_feat_dropout_before_pe(spec_);
  if (p > 0 && !before_pe) ops::dropout_backward(dh, dh, N * d, p, key, first);
  if (spec_.pe_dim > 0) embedding_pe_.backward(ctx_, dh, batch.pe.data(), nullptr, N);
  if (p > 0 && before_pe) ops::dropout_backward(dh, dh, N * d, p, key, first);
  embedding_h_.backward(ctx_, batch.node_type.data(), batch.node_cont_x.data(), dh, N);
}

const float* GraphTransformer::forward(const GraphBatch& batch, bool training, Arena& arena) {
  batch_ = &batch;
  ctx_ = PassContext{&params_, &buffers_, &arena, training};
  if (training) {  // evaluation mode never drops
    ctx_.dropout = spec_.dropout;
    ctx_.in_feat_dropout = spec_.in_feat_dropout;
  }
  ctx_.dropout_seed = dropout_seed_;
  ctx_.step = step_;
  ctx_.node_offset = batch.node_offset;
  ctx_.edge_offset = batch.edge_offset;
  ctx_.bn_comm = bn_comm_;
  csr_ = ops::CsrGraph{batch.num_nodes, batch.num_edges, batch.dst_ptr.data(), batch.src.data(),
                       batch.dst.data(), batch.src_ptr.data(), batch.by_src.data()};
  const int64_t N = batch.num_nodes, M = batch.num_edges, d = spec_.dim;
  embed_nodes(batch, arena);
  e_.assign(1, nullptr);
  if (spec_.edge_features) {
    e_[0] = arena.floats(M * d);
    GT_CHECK(batch.edge_cols == static_cast<int>(spec_.edge_vocab.size()) &&
                 batch.edge_cont == spec_.edge_cont,
             "batch edge features differ from the model's");
    embedding_e_.forward(ctx_, batch.edge_type.data(), batch.edge_cont_x.data(), e_[0], M);
  }
  for (auto& layer : layers_) {
    float *h_next, *e_next;
    layer.forward(ctx_, csr_, h_.back(), e_.back(), &h_next, &e_next);
    h_.push_back(h_next);
    e_.push_back(e_next);
  }
  const float* x = h_.back();
  int64_t rows = N;
  if (!spec_.node_level) {
    rows = batch.num_graphs;
    pooled_ = arena.floats(rows * d);
    argmax_ = spec_.readout == ops::Readout::Max ? arena.ints(rows * d) : nullptr;
    ops::graph_pool_forward(spec_.readout, pooled_, argmax_, x, batch.graph_ptr.data(), rows, d);
    x = pooled_;
  }
  mlp_in_.assign(1, const_cast<float*>(x));
  for (size_t i = 0; i < mlp_.size(); ++i) {
    float* y = arena.floats(rows * mlp_[i].out);
    mlp_[i].forward(ctx_, mlp_in_.back(), y, rows);
    if (i + 1 < mlp_.size()) ops::relu_forward(y, y, rows * mlp_[i].out);
    mlp_in_.push_back(y);
  }
  return mlp_in_.back();
}

void GraphTransformer::backward(const float* d_output, Arena& arena) {
  const GraphBatch& batch = *batch_;
  const int64_t N = batch.num_nodes, M = batch.num_edges, d = spec_.dim;
  const int64_t rows = spec_.node_level ? N : batch.num_graphs;
  // MLP head, last layer first. mlp_in_[i+1] is the (ReLU'd) output of layer i.
  float* dy = arena.floats(rows * spec_.num_outputs);
  std::memcpy(dy, d_output, rows * spec_.num_outputs * sizeof(float));
  for (int i = static_cast<int>(mlp_.size()) - 1; i >= 0; --i) {
    if (i + 1 < static_cast<int>(mlp_.size()))
      ops::relu_backward(dy, dy, mlp_in_[i + 1], rows * mlp_[i].out);
    float* dx = arena.floats(rows * mlp_[i].in);
    mlp_[i].backward(ctx_, dy, mlp_in_[i], dx, rows);
    dy = dx;
  }
  float* dh = dy;
  if (!spec_.node_level) {
    dh = arena.floats(N * d);
    ops::graph_pool_backward(spec_.readout, dh, dy, argmax_, batch.graph_ptr.data(),
                             batch.num_graphs, N, d);
  }
  // The last layer's edge output is unused: its gradient is null.
  float* de = nullptr;
  for (int l = static_cast<int>(layers_.size()) - 1; l >= 0; --l) {
    float* dh_in = arena.floats(N * d);
    float* de_in = spec_.edge_features ? arena.floats(M * d) : nullptr;
    layers_[l].backward(ctx_, csr_, dh, de, dh_in, de_in);
    dh = dh_in;
    de = de_in;
  }
  embed_nodes_backward(dh);
  if (spec_.edge_features)
    embedding_e_.backward(ctx_, batch.edge_type.data(), batch.edge_cont_x.data(), de, M);
}

}  // namespace gt
