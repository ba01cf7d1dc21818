// Reading a parity dump back (train/dump_batch.h, used by `gt bench --dump`):
// the batch comes back exactly as collate() built it, the weights and config
// round-trip, and malformed dumps are errors, never out-of-range reads.
#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/safetensors.h"
#include "train/datasets.h"
#include "train/dump_batch.h"

namespace {

using namespace gt;

// Three small ZINC-like graphs with PE columns and both edge directions.
GraphDataset tiny_dataset(int pe_dim) {
  GraphDataset d = benchmark_info("ZINC").scheme(0);
  d.pe_dim = pe_dim;
  for (int g = 0; g < 3; ++g) {
    Graph x;
    x.num_nodes = 3 + g;
    for (int i = 0; i < x.num_nodes; ++i) x.node_type.push_back((i * 5 + g) % 28);
    for (int i = 0; i + 1 < x.num_nodes; ++i) {
      x.src.insert(x.src.end(), {i, i + 1});
      x.dst.insert(x.dst.end(), {i + 1, i});
      x.edge_type.insert(x.edge_type.end(), {(i + g) % 4, (i + g) % 4});
    }
    for (int i = 0; i < x.num_nodes * pe_dim; ++i) x.pe.push_back(0.01f * static_cast<float>(i - g));
    x.y = {0.5f * static_cast<float>(g)};
    d.graphs.push_back(x);
  }
  return d;
}

// The batch part of a parity dump, as tests/cpp/tool_parity_dump writes it.
std::string dump_bytes(const GraphBatch& b, const Config& config) {
  const int64_t N = b.num_nodes, M = b.num_edges, G = b.num_graphs;
  std::vector<TensorRef> t = {
      {"batch.node_type", DType::I32, {N}, b.node_type.data()},
      {"batch.edge_type", DType::I32, {M}, b.edge_type.data()},
      {"batch.src", DType::I32, {M}, b.src.data()},
      {"batch.dst", DType::I32, {M}, b.dst.data()},
      {"batch.node_graph", DType::I32, {N}, b.node_graph.data()},
      {"batch.pe", DType::F32, {N, b.pe_dim}, b.pe.data()},
      {"batch.y", DType::F32, {G}, b.y.data()}};
  return serialize_safetensors(t, {{"config", config_to_json(config).dump()}});
}

TEST(DumpBatch, RoundTripsCollatedBatch) {
  const Config config;  // the paper's ZINC model, pos_enc_dim 8
  const GraphDataset d = tiny_dataset(config.net.pos_enc_dim);
  std::vector<int32_t> idx = {2, 0, 1};
  GraphBatch want;
  collate(d, idx.data(), 3, &want);
  const SafetensorsFile f = SafetensorsFile::parse(dump_bytes(want, config), "d.safetensors");
  EXPECT_EQ(dump_config(f), config);
  const GraphBatch got = dump_batch(f, config);
  EXPECT_EQ(got.num_graphs, want.num_graphs);
  EXPECT_EQ(got.num_nodes, want.num_nodes);
  EXPECT_EQ(got.num_edges, want.num_edges);
  EXPECT_EQ(got.pe_dim, want.pe_dim);
  EXPECT_EQ(got.graph_ptr, want.graph_ptr);
  EXPECT_EQ(got.node_graph, want.node_graph);
  EXPECT_EQ(got.node_type, want.node_type);
  EXPECT_EQ(got.pe, want.pe);
  EXPECT_EQ(got.dst_ptr, want.dst_ptr);
  EXPECT_EQ(got.src, want.src);
  EXPECT_EQ(got.dst, want.dst);
  EXPECT_EQ(got.edge_type, want.edge_type);
  EXPECT_EQ(got.src_ptr, want.src_ptr);
  EXPECT_EQ(got.by_src, want.by_src);
  EXPECT_EQ(got.y, want.y);
}

TEST(DumpBatch, WeightsRoundTrip) {
  const Config config;
  GraphTransformer a(model_spec(config, benchmark_info("ZINC")));
  GraphTransformer b(model_spec(config, benchmark_info("ZINC")));
  a.init_weights(1);
  b.init_weights(2);
  std::vector<TensorRef> t;
  for (const TensorStore* s : {&a.params(), &a.buffers()})
    for (const TensorInfo& i : s->infos())
      t.push_back({i.name, DType::F32, i.shape, s->values().data() + i.offset});
  const SafetensorsFile f = SafetensorsFile::parse(serialize_safetensors(t, {}), "w.safetensors");
  load_dump_weights(f, &b);
  EXPECT_EQ(b.params().values(), a.params().values());
  EXPECT_EQ(b.buffers().values(), a.buffers().values());
}

TEST(DumpBatch, RejectsOutOfRangeIndices) {
  const Config config;
  const GraphDataset d = tiny_dataset(config.net.pos_enc_dim);
  std::vector<int32_t> idx = {0, 1, 2};
  GraphBatch b;
  collate(d, idx.data(), 3, &b);
  b.src[0] = b.num_nodes;  // one past the last node
  const SafetensorsFile f = SafetensorsFile::parse(dump_bytes(b, config), "bad.safetensors");
  try {
    dump_batch(f, config);
    FAIL() << "expected gt::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("batch.src"), std::string::npos) << e.what();
  }
}

TEST(DumpBatch, RequiresConfigMetadata) {
  const SafetensorsFile f = SafetensorsFile::parse(serialize_safetensors({}, {}), "x.safetensors");
  EXPECT_THROW(dump_config(f), Error);
}

}  // namespace
