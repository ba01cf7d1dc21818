#include "train/dump_batch.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/json.h"
#include "train/datasets.h"

namespace gt {

namespace {

// A 1-D I32 tensor of the dump as a vector, every value checked to lie in [0, limit).
std::vector<int32_t> indices(const SafetensorsFile& f, const std::string& name, int64_t n,
                             int64_t limit) {
  const auto& t = f.get(name, DType::I32, {n});
  std::vector<int32_t> v(t.i32(), t.i32() + n);
  for (int32_t x : v)
    if (x < 0 || x >= limit)
      fail(f.source() + ": tensor \"" + name + "\" holds " + std::to_string(x) +
           ", outside [0, " + std::to_string(limit) + ")");
  return v;
}

// The length of a 1-D I32 tensor of the dump.
int64_t length(const SafetensorsFile& f, const std::string& name) {
  const auto& t = f.get(name, DType::I32);
  if (t.shape.size() != 1) fail(f.source() + ": tensor \"" + name + "\" is not 1-D");
  return t.shape[0];
}

void copy_store(const SafetensorsFile& f, TensorStore* store) {
  for (size_t i = 0; i < store->infos().size(); ++i) {
    const TensorInfo& info = store->infos()[i];
    const auto& t = f.get(info.name, DType::F32, info.shape);
    std::memcpy(store->value(static_cast<int>(i)), t.f32(), info.size * sizeof(float));
  }
}

}  // namespace

Config dump_config(const SafetensorsFile& dump) {
  const auto it = dump.metadata().find("config");
  if (it == dump.metadata().end()) fail(dump.source() + ": no \"config\" in the metadata");
  return config_from_json(Json::parse(it->second, dump.source() + " (config)"), dump.source());
}

GraphBatch dump_batch(const SafetensorsFile& dump, const Config& config) {
  const DataInfo info = benchmark_info(config.dataset);
  const int64_t N = length(dump, "batch.node_type"), M = length(dump, "batch.src");
  const int64_t G = dump.get("batch.y", DType::F32).numel();
  const int pe_dim = config.net.lap_pos_enc ? config.net.pos_enc_dim : 0;
  GraphBatch b;
  b.num_graphs = static_cast<int32_t>(G);
  b.pe_dim = pe_dim;
  b.node_type = indices(dump, "batch.node_type", N, info.node_vocab.at(0));
  b.node_graph = indices(dump, "batch.node_graph", N, G);
  if (!std::is_sorted(b.node_graph.begin(), b.node_graph.end()))
    fail(dump.source() + ": batch.node_graph is not sorted (graphs must be contiguous)");
  b.graph_ptr.assign(G + 1, 0);
  for (int32_t g : b.node_graph) ++b.graph_ptr[g + 1];
  for (int64_t g = 0; g < G; ++g) b.graph_ptr[g + 1] += b.graph_ptr[g];
  const auto src = indices(dump, "batch.src", M, N), dst = indices(dump, "batch.dst", M, N);
  const auto type = indices(dump, "batch.edge_type", M, info.edge_vocab.at(0));
  build_csr(static_cast<int32_t>(N), src, dst, type, {}, &b);
  const auto& pe = dump.get("batch.pe", DType::F32, {N, pe_dim});
  b.pe.assign(pe.f32(), pe.f32() + N * pe_dim);
  const auto& y = dump.get("batch.y", DType::F32, {G});
  b.y.assign(y.f32(), y.f32() + G);
  const auto task = make_task(info);
  if (task->node_level())
    b.node_label = indices(dump, "batch.node_label", N, task->num_outputs());
  return b;
}

void load_dump_weights(const SafetensorsFile& dump, GraphTransformer* model) {
  copy_store(dump, &model->params());
  copy_store(dump, &model->buffers());
}

}  // namespace gt
