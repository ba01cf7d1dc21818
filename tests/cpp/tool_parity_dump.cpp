// Writes the PyTorch parity dump (docs/architecture.md, "Parity dump"): one
// real ZINC batch, a freshly initialised model, and every output, gradient,
// buffer update and Adam result of one training step, for
// tests/python/test_parity.py to recompute with an independent PyTorch model.
//
// usage: tool_parity_dump --data DIR --variant zinc_bn_lappe|zinc_bn_nope|zinc_ln_lappe|...
//                         --out FILE [--graphs N]
// The *_full_* variants are the sparse config with "full_graph": true (SPEC §6;
// SBM batch 10): the dumped batch is the complete graph of each member.
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>
#include <string>

#include "core/error.h"
#include "core/rng.h"
#include "core/safetensors.h"
#include "nn/graph_transformer.h"
#include "ops/ops.h"
#include "train/config.h"
#include "train/datasets.h"
#include "train/task.h"
#include "tool_common.h"

namespace {

using namespace gt;
using gt::tool::arg;

const std::map<std::string, std::string> kVariants = {
    {"zinc_bn_lappe", "zinc_sparse_bn_lappe.json"},
    {"zinc_bn_nope", "zinc_sparse_bn_nope.json"},
    {"zinc_ln_lappe", "zinc_sparse_ln_lappe.json"},
    {"pattern_bn_lappe", "pattern_sparse_bn_lappe.json"},
    {"cluster_bn_lappe", "cluster_sparse_bn_lappe.json"},
    {"cluster_ln_lappe", "cluster_sparse_ln_lappe.json"},
    {"zinc_full_bn_lappe", "zinc_sparse_bn_lappe.json"},
    {"pattern_full_bn_lappe", "pattern_sparse_bn_lappe.json"},
};

void add_store(std::vector<TensorRef>* out, const TensorStore& s, const std::vector<float>& data,
               const std::string& prefix, std::vector<std::vector<float>>* keep) {
  keep->push_back(data);  // snapshot: the store changes after this call
  for (const auto& t : s.infos())
    out->push_back({prefix + t.name, DType::F32, t.shape, keep->back().data() + t.offset});
}

int run(int argc, char** argv) {
  const std::string variant = arg(argc, argv, "variant", "zinc_bn_lappe");
  auto it = kVariants.find(variant);
  if (it == kVariants.end()) fail("unknown --variant " + variant);
  const std::string data_dir = arg(argc, argv, "data", default_data_dir());
  const std::string out = arg(argc, argv, "out", "");
  Config config = load_config(std::string(GT_SOURCE_DIR) + "/configs/" + it->second);
  if (variant.find("_full_") != std::string::npos) {
    config.net.full_graph = true;
    // Smaller batches than training uses (ZINC 128, SBM 10 per SPEC §5): complete graphs
    // have n(n-1) edges each, and the PyTorch reference is slow on them; the ops checked
    // are the same at any batch size.
    config.params.batch_size = config.dataset == "ZINC" ? 32 : 3;
  }
  // One real batch of the configured size (SBM: only the graphs needed are generated).
  const int graphs = std::stoi(arg(argc, argv, "graphs", std::to_string(config.params.batch_size)));
  if (config.dataset != "ZINC") config.max_num_graphs = graphs;
  const int pe_dim = config.net.lap_pos_enc ? config.net.pos_enc_dim : 0;
  DataSplits data;
  {
    DataSplits all = load_splits(config, data_dir);
    data.train = std::move(all.val);  // a real batch from the val split
    data.info = std::move(all.info);
  }
  if (static_cast<int>(data.train.graphs.size()) < graphs) fail("not enough graphs for --graphs");
  GraphTransformer model(model_spec(config, data.info));
  model.init_weights(config.params.seed);
  // Non-trivial running statistics so the eval-mode check means something.
  Rng rng(7);
  TensorStore& B = model.buffers();
  for (size_t b = 0; b < B.infos().size(); ++b) {
    const TensorInfo& t = B.infos()[b];
    const bool is_var = t.name.find("running_var") != std::string::npos;
    float* value = B.value(static_cast<int>(b));
    for (size_t i = 0; i < t.size; ++i)
      value[i] = static_cast<float>(is_var ? 0.5 + rng.uniform() : 0.1 * rng.normal());
  }
  std::vector<int32_t> idx(graphs);
  std::iota(idx.begin(), idx.end(), 0);
  GraphBatch batch;
  collate(data.train, idx.data(), graphs, &batch, config.net.full_graph);
  for (int c = 0; c < pe_dim; ++c) {  // the training-time sign flip, as fed
    if (rng.uniform() >= 0.5) continue;
    for (int32_t i = 0; i < batch.num_nodes; ++i) batch.pe[static_cast<size_t>(i) * pe_dim + c] *= -1.0f;
  }

  std::vector<std::vector<float>> keep;
  std::vector<TensorRef> tensors;
  TensorStore& P = model.params();
  add_store(&tensors, P, P.values(), "", &keep);
  add_store(&tensors, B, B.values(), "", &keep);
  const int64_t N = batch.num_nodes, M = batch.num_edges, G = batch.num_graphs;
  tensors.push_back({"batch.node_type", DType::I32, {N}, batch.node_type.data()});
  tensors.push_back({"batch.edge_type", DType::I32, {M}, batch.edge_type.data()});
  tensors.push_back({"batch.src", DType::I32, {M}, batch.src.data()});
  tensors.push_back({"batch.dst", DType::I32, {M}, batch.dst.data()});
  tensors.push_back({"batch.node_graph", DType::I32, {N}, batch.node_graph.data()});
  tensors.push_back({"batch.pe", DType::F32, {N, pe_dim}, batch.pe.data()});
  tensors.push_back({"batch.y", DType::F32, {G}, batch.y.data()});
  if (!batch.node_label.empty())
    tensors.push_back({"batch.node_label", DType::I32, {N}, batch.node_label.data()});
  const std::unique_ptr<Task> task = make_task(data.info);
  const int64_t rows = task->node_level() ? N : G, C = task->num_outputs();
  const std::vector<int64_t> out_shape = task->node_level() ? std::vector<int64_t>{rows, C}
                                                            : std::vector<int64_t>{rows};

  Arena arena;
  const float* p_eval = model.forward(batch, false, arena);
  keep.emplace_back(p_eval, p_eval + rows * C);
  tensors.push_back({"out.pred_eval", DType::F32, out_shape, keep.back().data()});
  arena.reset();
  const float* pred = model.forward(batch, true, arena);
  keep.emplace_back(pred, pred + rows * C);
  tensors.push_back({"out.pred", DType::F32, out_shape, keep.back().data()});
  std::vector<float> dpred(rows * C);
  const float loss = task->loss(pred, batch, dpred.data());
  keep.push_back({loss});
  tensors.push_back({"out.loss", DType::F32, {1}, keep.back().data()});
  std::fill(P.grads().begin(), P.grads().end(), 0.0f);
  model.backward(dpred.data(), arena);
  add_store(&tensors, P, P.grads(), "grad.", &keep);
  add_store(&tensors, B, B.values(), "after.", &keep);
  const float lr = 1e-3f;
  ops::adam_step(P.values().data(), P.grads().data(), P.adam_m().data(), P.adam_v().data(),
                 static_cast<int64_t>(P.total()), lr, 0.9f, 0.999f, 1e-8f, 0.0f, 1);
  add_store(&tensors, P, P.values(), "adam.", &keep);
  std::map<std::string, std::string> meta{{"config", config_to_json(config).dump()},
                                          {"lr", "0.001"}};
  write_safetensors(out, tensors, meta);
  std::printf("%s: %lld graphs, %lld nodes, %lld edges, loss %.6f -> %s\n", variant.c_str(),
              static_cast<long long>(G), static_cast<long long>(N), static_cast<long long>(M), loss,
              out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return gt::tool::main_of("tool_parity_dump", run, argc, argv); }
