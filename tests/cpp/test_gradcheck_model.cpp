// Finite-difference check of the whole GraphTransformer backward (every
// parameter tensor, in training mode with batch statistics), plus
// determinism and the arena's steady state. Method: gradcheck_util.h.
//
// The model's output is pred [G, outputs] (or [N, outputs] node-level). The
// FD check uses the smooth L = sum(w ⊙ pred), so backward(w) must equal
// dL/dparams (the L1 loss is piecewise linear: it is FD-checked on its own in
// test_gradcheck_ops.cpp, and drives the determinism and arena steps here).
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "core/arena.h"
#include "gradcheck_util.h"
#include "nn/graph_transformer.h"

namespace gt::gradtest {
namespace {

struct Variant {
  const char* name;
  ModelSpec spec;
};
void PrintTo(const Variant& v, std::ostream* os) { *os << v.name; }

ModelSpec small_spec() {
  ModelSpec s;
  s.layers = 2;
  s.dim = 8;
  s.heads = 2;
  s.pe_dim = 3;
  s.node_vocab = {5};
  s.edge_vocab = {3};
  return s;
}

std::vector<Variant> variants() {
  std::vector<Variant> v;
  v.push_back({"EdgeBatchNormMean", small_spec()});
  ModelSpec node = small_spec();
  node.edge_features = false;
  v.push_back({"NodeOnlyBatchNorm", node});
  ModelSpec ln = small_spec();
  ln.layer_norm = true;
  ln.batch_norm = false;
  v.push_back({"EdgeLayerNorm", ln});
  ModelSpec mx = small_spec();
  mx.readout = ops::Readout::Max;
  v.push_back({"EdgeBatchNormMaxReadout", mx});
  ModelSpec sum = small_spec();
  sum.readout = ops::Readout::Sum;
  sum.layer_norm = true;  // LayerNorm then BatchNorm, both on
  v.push_back({"EdgeBothNormsSumReadout", sum});
  ModelSpec plain = small_spec();  // the branches without norm and without residual
  plain.batch_norm = false;
  plain.residual = false;
  v.push_back({"EdgeNoNormNoResidual", plain});
  ModelSpec sbm = small_spec();
  sbm.edge_features = false;
  sbm.node_level = true;
  sbm.num_outputs = 3;
  v.push_back({"NodeLevelThreeOutputs", sbm});
  // OGB-style inputs: several categorical columns plus continuous attributes
  // on nodes and edges, and several outputs (multi-task heads).
  ModelSpec ogb = small_spec();
  ogb.node_vocab = {4, 3, 2};
  ogb.edge_vocab = {3, 2};
  ogb.node_cont = 2;
  ogb.edge_cont = 3;
  ogb.num_outputs = 2;
  v.push_back({"MultiColumnFeaturesTwoOutputs", ogb});
  ModelSpec attrs = small_spec();  // continuous node attributes only (TU), no edge stream
  attrs.node_vocab = {};
  attrs.node_cont = 3;
  attrs.edge_features = false;
  v.push_back({"ContinuousNodeAttributesOnly", attrs});
  // Dropout: the masks are a function of (seed, step, site), and the step is
  // set once per test, so every forward of the FD check sees the same masks
  // and differentiates one fixed sub-network. Graph-level models drop the
  // input features before the PE is added, node-level ones after (the two
  // official nets); both placements are checked.
  ModelSpec drop = small_spec();
  drop.dropout = 0.2f;
  drop.in_feat_dropout = 0.1f;
  v.push_back({"EdgeDropout", drop});
  ModelSpec node_drop = drop;
  node_drop.edge_features = false;
  v.push_back({"NodeOnlyDropout", node_drop});
  ModelSpec level_drop = node_drop;
  level_drop.node_level = true;
  level_drop.num_outputs = 3;
  v.push_back({"NodeLevelDropout", level_drop});
  return v;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// PyTorch init, then changes that make every gradient path visible:
// - norm affine parameters random (gamma = 1, beta = 0 would hide a missing
//   gamma or beta term);
// - attention Q and K weights x3. At d = 8 the default init gives scores of
//   about 0.1, so attention is nearly uniform and the score path (softmax,
//   edge gating, the edge output's gradient into the score) carries too
//   little of the gradient for a missing term there to exceed the FD noise.
//   With x3 the scores are O(1), still mostly inside the clamp;
// - without norms and residuals, every other Linear weight x2: the default
//   init shrinks activations about 2x per Linear+ReLU, and the first
//   layers' gradients would sink below the FD noise.
void init_model(GraphTransformer& model, uint64_t seed) {
  model.init_weights(seed);
  const ModelSpec& spec = model.spec();
  const bool plain = !spec.batch_norm && !spec.layer_norm && !spec.residual;
  Rng rng(seed + 1);
  TensorStore& P = model.params();
  for (size_t t = 0; t < P.infos().size(); ++t) {
    const std::string& name = P.infos()[t].name;
    float* v = P.value(static_cast<int>(t));
    for (size_t i = 0; i < P.infos()[t].size; ++i) {
      if (contains(name, "norm"))
        v[i] = static_cast<float>(contains(name, ".weight") ? 0.5 + rng.uniform() : rng.uniform() - 0.5);
      else if (contains(name, "attention.Q") || contains(name, "attention.K"))
        v[i] *= 3.0f;
      else if (plain && contains(name, ".weight") && !contains(name, "embedding_h") && !contains(name, "embedding_e"))
        v[i] *= 2.0f;
    }
  }
}

BatchOptions model_batch_options(const ModelSpec& spec) {
  BatchOptions o;
  o.sizes = {5, 1, 4, 6};
  o.pe_dim = spec.pe_dim;
  o.node_vocab.assign(spec.node_vocab.begin(), spec.node_vocab.end());
  o.edge_vocab.assign(spec.edge_vocab.begin(), spec.edge_vocab.end());
  o.node_cont = spec.node_cont;
  o.edge_cont = spec.edge_cont;
  return o;
}

int64_t output_rows(const ModelSpec& spec, const GraphBatch& b) {
  return (spec.node_level ? b.num_nodes : b.num_graphs) * static_cast<int64_t>(spec.num_outputs);
}

// One training-mode forward + backward from zeroed gradients, the output
// gradient given by d_output(pred) (n = output_rows entries); returns pred.
std::vector<float> forward_backward(
    GraphTransformer& model, const GraphBatch& batch, int64_t n, Arena& arena,
    const std::function<std::vector<float>(const std::vector<float>&)>& d_output) {
  std::fill(model.params().grads().begin(), model.params().grads().end(), 0.0f);
  arena.reset();
  const float* y = model.forward(batch, true, arena);
  std::vector<float> pred(y, y + n);
  model.backward(d_output(pred).data(), arena);
  return pred;
}

// A training step as the trainer takes it: L1 loss against targets.
std::vector<float> l1_step(GraphTransformer& model, const GraphBatch& batch,
                           const std::vector<float>& targets, Arena& arena) {
  const int64_t n = static_cast<int64_t>(targets.size());
  return forward_backward(model, batch, n, arena, [&](const std::vector<float>& pred) {
    EXPECT_GT(ops::l1_loss_forward(pred.data(), targets.data(), n), 0.0f);
    std::vector<float> d(n);
    ops::l1_loss_backward(d.data(), pred.data(), targets.data(), n);
    return d;
  });
}

class GradcheckModel : public ::testing::TestWithParam<Variant> {};

TEST_P(GradcheckModel, ParameterGradientsMatchFiniteDifferences) {
  const ModelSpec& spec = GetParam().spec;
  GraphTransformer model(spec);
  init_model(model, 17);
  model.set_step(41, 3);  // fixes the dropout masks of every pass below
  const GraphBatch batch = random_batch(5, model_batch_options(spec));
  Rng rng(99);
  const auto w = uniform_vec(rng, output_rows(spec, batch));
  Arena arena;
  const std::vector<float> buffers0 = model.buffers().values();
  forward_backward(model, batch, static_cast<int64_t>(w.size()), arena,
                   [&](const std::vector<float>&) { return w; });
  const std::vector<float> grads = model.params().grads();

  auto loss = [&] {
    arena.reset();
    return weighted_sum(model.forward(batch, true, arena), w);
  };
  TensorStore& P = model.params();
  double global = 0.0;
  for (float g : grads) global = std::max(global, std::fabs(static_cast<double>(g)));
  ASSERT_GT(global, 0.0);
  // Through two layers, norms and attention the fp32 noise of L is larger
  // than in a single op, and every parameter feeds hundreds of ReLUs:
  // - h = 2e-3: FD noise about 1e-5 here; larger steps straddle more kinks;
  // - kinks allowed (narrower and one-sided stencils, see kink_error);
  // - rtol = 1e-2 of the tensor's max-norm, floored at 5% of the largest
  //   gradient of the model (tensors whose exact gradient is 0, like a bias
  //   in front of a BatchNorm, are judged against 5e-4 of it).
  // Measured: errors below 2.5e-3 of the max-norm in every variant, and no
  // failure over 100 other model/batch seeds; dropping the edge output's
  // gradient into the scores (the weakest path) gives 6e-2 to 2e-1.
  FdOptions opt;
  opt.step = 2e-3;
  opt.rtol = 1e-2;
  opt.floor = 0.05 * global;
  opt.allow_kinks = true;
  for (size_t t = 0; t < P.infos().size(); ++t) {
    const TensorInfo& info = P.infos()[t];
    std::vector<float> analytic(grads.begin() + info.offset, grads.begin() + info.offset + info.size);
    // Small tensors entirely; larger ones: 10 random entries and the largest gradient.
    std::vector<size_t> sample;
    if (info.size > 16) {
      for (int k = 0; k < 10; ++k) sample.push_back(rng.below(info.size));
      size_t arg = 0;
      for (size_t i = 1; i < info.size; ++i)
        if (std::fabs(analytic[i]) > std::fabs(analytic[arg])) arg = i;
      sample.push_back(arg);
    }
    EXPECT_TRUE(gradcheck(info.name, P.value(static_cast<int>(t)), info.size, analytic, loss, opt, sample));
  }
  model.buffers().values() = buffers0;
}

TEST_P(GradcheckModel, TwoPassesGiveBitwiseIdenticalGradients) {
  const ModelSpec& spec = GetParam().spec;
  GraphTransformer model(spec);
  init_model(model, 23);
  model.set_step(41, 3);
  const GraphBatch batch = random_batch(6, model_batch_options(spec));
  Rng rng(7);
  const auto targets = uniform_vec(rng, output_rows(spec, batch));
  Arena arena;
  const std::vector<float> buffers0 = model.buffers().values();
  const auto pred1 = l1_step(model, batch, targets, arena);
  const auto grads1 = model.params().grads();
  const auto buffers1 = model.buffers().values();
  model.buffers().values() = buffers0;
  const auto pred2 = l1_step(model, batch, targets, arena);
  EXPECT_EQ(0, std::memcmp(pred1.data(), pred2.data(), pred1.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(grads1.data(), model.params().grads().data(), grads1.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(buffers1.data(), model.buffers().values().data(), buffers1.size() * sizeof(float)));
  double norm = 0.0;
  for (float g : grads1) norm += std::fabs(g);
  EXPECT_GT(norm, 0.0);
}

INSTANTIATE_TEST_SUITE_P(Variants, GradcheckModel, ::testing::ValuesIn(variants()),
                         [](const ::testing::TestParamInfo<Variant>& p) { return std::string(p.param.name); });

// After the first step (and the reset that follows it), a step performs no
// heap allocation: the batch is large enough that the first step overflows
// the arena's initial 1 MiB block.
TEST(GradcheckModelArena, StopsAllocatingAfterFirstStep) {
  ModelSpec spec = small_spec();
  spec.dim = 16;
  GraphTransformer model(spec);
  init_model(model, 3);
  BatchOptions opt = model_batch_options(spec);
  opt.sizes.assign(40, 12);
  opt.edge_prob = 0.3;
  const GraphBatch batch = random_batch(8, opt);
  Rng rng(4);
  const auto targets = uniform_vec(rng, output_rows(spec, batch));
  Arena arena;
  std::vector<size_t> allocations;
  for (int step = 0; step < 5; ++step) {
    l1_step(model, batch, targets, arena);
    allocations.push_back(arena.heap_allocations());
  }
  EXPECT_GT(allocations[0], 1u) << "the first step should outgrow one block";
  EXPECT_LE(allocations[1], allocations[0] + 1) << "the reset may merge the blocks into one";
  EXPECT_GE(arena.capacity(), arena.high_water());
  for (int step = 2; step < 5; ++step)
    EXPECT_EQ(allocations[step], allocations[1]) << "heap allocation in step " << step;
}

}  // namespace
}  // namespace gt::gradtest
