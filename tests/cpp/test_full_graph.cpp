// Full-graph attention ("full_graph": true, SPEC §6): collate(..., full_graph)
// replaces each graph's edges by its complete graph (every ordered pair once,
// no self-loops, edge features 0) and keeps nodes, features and the sparse
// graph's PE; model_spec and the Trainer carry the switch through.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "gradcheck_util.h"
#include "random_splits.h"
#include "nn/graph_transformer.h"
#include "train/trainer.h"

namespace gt {
namespace {

GraphDataset random_dataset(uint64_t seed, const std::vector<int32_t>& sizes, bool labelled) {
  gradtest::BatchOptions opt;
  opt.sizes = sizes;
  opt.pe_dim = 3;
  opt.node_vocab = {5, 2};
  opt.edge_vocab = {3, 4};
  opt.node_cont = 2;
  opt.edge_cont = 2;
  opt.num_targets = 2;
  Rng rng(seed);
  GraphDataset d = gradtest::empty_dataset(opt);
  for (int32_t n : sizes) {
    Graph g = gradtest::random_graph(rng, n, 0.4, n >= 3, opt);
    if (labelled)
      for (int32_t i = 0; i < n; ++i) g.node_label.push_back(static_cast<int32_t>(rng.below(2)));
    d.graphs.push_back(std::move(g));
  }
  return d;
}

std::vector<int32_t> iota_n(int32_t n) {
  std::vector<int32_t> v(n);
  for (int32_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

// The CSR invariants every batch must satisfy.
void expect_csr_invariants(const GraphBatch& b) {
  const int32_t N = b.num_nodes, M = b.num_edges;
  ASSERT_EQ(b.dst_ptr.size(), static_cast<size_t>(N + 1));
  ASSERT_EQ(b.src_ptr.size(), static_cast<size_t>(N + 1));
  ASSERT_EQ(b.src.size(), static_cast<size_t>(M));
  ASSERT_EQ(b.dst.size(), static_cast<size_t>(M));
  ASSERT_EQ(b.by_src.size(), static_cast<size_t>(M));
  EXPECT_EQ(b.dst_ptr[0], 0);
  EXPECT_EQ(b.dst_ptr[N], M);
  EXPECT_EQ(b.src_ptr[0], 0);
  EXPECT_EQ(b.src_ptr[N], M);
  for (int32_t i = 0; i < N; ++i) {
    ASSERT_LE(b.dst_ptr[i], b.dst_ptr[i + 1]);
    for (int32_t e = b.dst_ptr[i]; e < b.dst_ptr[i + 1]; ++e) ASSERT_EQ(b.dst[e], i);
  }
  std::vector<char> seen(M, 0);
  for (int32_t s = 0; s < N; ++s) {
    ASSERT_LE(b.src_ptr[s], b.src_ptr[s + 1]);
    for (int32_t p = b.src_ptr[s]; p < b.src_ptr[s + 1]; ++p) {
      const int32_t e = b.by_src[p];
      ASSERT_TRUE(e >= 0 && e < M);
      EXPECT_EQ(b.src[e], s);
      EXPECT_FALSE(seen[e]) << "by_src repeats edge " << e;
      seen[e] = 1;
      if (p > b.src_ptr[s]) {
        EXPECT_LT(b.by_src[p - 1], e) << "by_src not increasing within a source";
      }
    }
  }
}

TEST(FullGraphCollate, CompleteGraphOfEveryMemberWithZeroEdgeFeatures) {
  for (bool labelled : {false, true}) {
    const std::vector<int32_t> sizes = {5, 1, 4, 6, 2, 3};
    const GraphDataset d = random_dataset(17, sizes, labelled);
    // A permuted selection, as a shuffled training batch is.
    const std::vector<int32_t> idx = {3, 1, 0, 5, 2, 4};
    GraphBatch sparse, full;
    collate(d, idx.data(), static_cast<int32_t>(idx.size()), &sparse);
    collate(d, idx.data(), static_cast<int32_t>(idx.size()), &full, true);

    // Nodes, node features, PE, targets and labels: those of the sparse batch.
    EXPECT_EQ(full.num_graphs, sparse.num_graphs);
    EXPECT_EQ(full.num_nodes, sparse.num_nodes);
    EXPECT_EQ(full.pe_dim, sparse.pe_dim);
    EXPECT_EQ(full.node_cols, sparse.node_cols);
    EXPECT_EQ(full.edge_cols, sparse.edge_cols);
    EXPECT_EQ(full.node_cont, sparse.node_cont);
    EXPECT_EQ(full.edge_cont, sparse.edge_cont);
    EXPECT_EQ(full.num_targets, sparse.num_targets);
    EXPECT_EQ(full.graph_ptr, sparse.graph_ptr);
    EXPECT_EQ(full.node_graph, sparse.node_graph);
    EXPECT_EQ(full.node_type, sparse.node_type);
    EXPECT_TRUE(same_bits(full.node_cont_x, sparse.node_cont_x));
    EXPECT_TRUE(same_bits(full.pe, sparse.pe));
    EXPECT_TRUE(same_bits(full.y, sparse.y));
    EXPECT_EQ(full.node_label, sparse.node_label);
    EXPECT_EQ(full.node_label.size(), labelled ? static_cast<size_t>(full.num_nodes) : 0u);

    // Edges: every ordered pair (i, j), i != j, of each graph exactly once.
    int32_t want_m = 0;
    for (int32_t b : idx) want_m += sizes[b] * (sizes[b] - 1);
    ASSERT_EQ(full.num_edges, want_m);
    std::set<std::pair<int32_t, int32_t>> pairs;
    for (int32_t e = 0; e < full.num_edges; ++e) {
      const int32_t s = full.src[e], t = full.dst[e];
      EXPECT_NE(s, t) << "self-loop";
      EXPECT_EQ(full.node_graph[s], full.node_graph[t]) << "edge across graphs";
      EXPECT_TRUE(pairs.insert({s, t}).second) << "repeated pair " << s << "->" << t;
    }
    EXPECT_EQ(pairs.size(), static_cast<size_t>(want_m));
    // In-edges of each node come by increasing source (a deterministic order).
    for (int32_t e = 1; e < full.num_edges; ++e)
      if (full.dst[e] == full.dst[e - 1]) {
        EXPECT_LT(full.src[e - 1], full.src[e]);
      }
    ASSERT_EQ(full.edge_type.size(), static_cast<size_t>(want_m) * 2);
    ASSERT_EQ(full.edge_cont_x.size(), static_cast<size_t>(want_m) * 2);
    for (int32_t v : full.edge_type) EXPECT_EQ(v, 0);
    for (float v : full.edge_cont_x) EXPECT_EQ(v, 0.0f);
    expect_csr_invariants(full);
    expect_csr_invariants(sparse);

    // The CSR is exactly what build_csr makes of the complete edge list.
    std::vector<int32_t> src, dst;
    for (int32_t g = 0; g < full.num_graphs; ++g)
      for (int32_t i = full.graph_ptr[g]; i < full.graph_ptr[g + 1]; ++i)
        for (int32_t j = full.graph_ptr[g]; j < full.graph_ptr[g + 1]; ++j)
          if (i != j) src.push_back(i), dst.push_back(j);
    GraphBatch ref = full;
    build_csr(full.num_nodes, src, dst, std::vector<int32_t>(src.size() * 2, 0),
              std::vector<float>(src.size() * 2, 0.0f), &ref);
    EXPECT_EQ(full.dst_ptr, ref.dst_ptr);
    EXPECT_EQ(full.src, ref.src);
    EXPECT_EQ(full.dst, ref.dst);
    EXPECT_EQ(full.src_ptr, ref.src_ptr);
    EXPECT_EQ(full.by_src, ref.by_src);

    // Reusing the storage: full, then sparse again gives the sparse batch.
    GraphBatch reuse = full;
    collate(d, idx.data(), static_cast<int32_t>(idx.size()), &reuse);
    EXPECT_EQ(reuse.src, sparse.src);
    EXPECT_EQ(reuse.dst_ptr, sparse.dst_ptr);
    EXPECT_EQ(reuse.by_src, sparse.by_src);
    EXPECT_EQ(reuse.edge_type, sparse.edge_type);
    EXPECT_TRUE(same_bits(reuse.edge_cont_x, sparse.edge_cont_x));
    collate(d, idx.data(), static_cast<int32_t>(idx.size()), &reuse, true);
    EXPECT_EQ(reuse.src, full.src);
    EXPECT_EQ(reuse.by_src, full.by_src);
    EXPECT_EQ(reuse.edge_type, full.edge_type);
  }
}

ModelSpec tiny_spec(bool edge_features) {
  ModelSpec s;
  s.layers = 2;
  s.dim = 16;
  s.heads = 2;
  s.node_vocab = {5, 2};
  s.edge_vocab = {3, 4};
  s.node_cont = 2;
  s.edge_cont = 2;
  s.pe_dim = 3;
  s.edge_features = edge_features;
  s.num_outputs = 2;
  return s;
}

std::vector<float> run(GraphTransformer& m, const GraphBatch& b) {
  static Arena arena;  // one arena for all calls (a fresh one is slow to set up)
  arena.reset();
  const float* out = m.forward(b, false, arena);
  return std::vector<float>(out, out + static_cast<size_t>(b.num_graphs) * m.spec().num_outputs);
}

TEST(FullGraphCollate, OneNodeGraphHasNoEdgesAndActsLikeANodeWithoutInEdges) {
  const GraphDataset d = random_dataset(5, {1}, false);
  const int32_t idx = 0;
  GraphBatch sparse, full;
  collate(d, &idx, 1, &sparse);
  collate(d, &idx, 1, &full, true);
  EXPECT_EQ(full.num_nodes, 1);
  EXPECT_EQ(full.num_edges, 0);
  EXPECT_EQ(full.dst_ptr, (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(full.src_ptr, (std::vector<int32_t>{0, 0}));
  expect_csr_invariants(full);
  // A one-node graph's sparse batch has no edges either: the same output.
  for (bool edge : {true, false}) {
    GraphTransformer m(tiny_spec(edge));
    m.init_weights(3);
    const std::vector<float> a = run(m, sparse), b = run(m, full);
    EXPECT_TRUE(same_bits(a, b));
    for (float v : b) EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(FullGraphModel, ForwardOnTheCompleteGraphDiffersFromTheSparseOne) {
  const GraphDataset d = random_dataset(23, {5, 4, 6, 3}, false);
  const std::vector<int32_t> idx = iota_n(4);
  GraphBatch sparse, full;
  collate(d, idx.data(), 4, &sparse);
  collate(d, idx.data(), 4, &full, true);
  for (bool edge : {true, false}) {
    GraphTransformer m(tiny_spec(edge));
    m.init_weights(3);
    const std::vector<float> a = run(m, sparse), b = run(m, full);
    for (float v : b) EXPECT_TRUE(std::isfinite(v));
    EXPECT_FALSE(same_bits(a, b)) << "full-graph attention had no effect";
  }
}

// ---- model_spec and the trainer -------------------------------------------------

// ZINC-shaped random data (28 atom types, 4 bond types, PE of 8).
DataSplits tiny_zinc_splits() { return gradtest::random_zinc_splits(1, 8, 0.3); }

// PATTERN-shaped random data (3 node features, no edge features, 2 classes).
DataSplits tiny_pattern_splits() { return gradtest::random_pattern_splits(6, 4, 8, 9, false); }

Config tiny_config(const std::string& dataset, bool full_graph) {
  Config c = gradtest::tiny_trainer_config();
  c.dataset = dataset;
  c.net.pos_enc_dim = dataset == "ZINC" ? 8 : 2;
  c.net.full_graph = full_graph;
  return c;
}

TEST(FullGraphModel, ModelSpecCarriesTheSwitch) {
  for (const char* ds : {"ZINC", "SBM_PATTERN"}) {
    const DataInfo info = benchmark_info(ds);
    EXPECT_TRUE(model_spec(tiny_config(ds, true), info).full_graph) << ds;
    EXPECT_FALSE(model_spec(tiny_config(ds, false), info).full_graph) << ds;
  }
}

TEST(FullGraphTrainer, TrainsWithFiniteLossAndEvaluatesOnTheCompleteGraph) {
  for (const char* ds : {"ZINC", "SBM_PATTERN"}) {
    SCOPED_TRACE(ds);
    const DataSplits data =
        std::string(ds) == "ZINC" ? tiny_zinc_splits() : tiny_pattern_splits();
    Trainer full(tiny_config(ds, true), data), sparse(tiny_config(ds, false), data);
    ASSERT_TRUE(full.model().spec().full_graph);
    // Same seed, same weights: only the graph differs.
    ASSERT_TRUE(same_bits(full.model().params().values(), sparse.model().params().values()));
    std::vector<float> out_full, out_sparse;
    full.evaluate(data.val, &out_full);
    sparse.evaluate(data.val, &out_sparse);
    EXPECT_FALSE(same_bits(out_full, out_sparse)) << "evaluate ignored full_graph";

    // evaluate() is the model's forward over full-graph batches.
    {
      const std::vector<int32_t> idx = iota_n(4);
      GraphBatch b;
      collate(data.val, idx.data(), 4, &b, true);
      Arena arena;
      const float* out = full.model().forward(b, false, arena);
      const int64_t rows = full.task().node_level() ? b.num_nodes : b.num_graphs;
      const std::vector<float> first(out, out + rows * full.task().num_outputs());
      ASSERT_GE(out_full.size(), first.size());
      EXPECT_TRUE(same_bits(first, std::vector<float>(out_full.begin(), out_full.begin() + first.size())));
    }

    // Two optimisation steps on full-graph batches: finite losses, weights move.
    const std::vector<float> before = full.model().params().values();
    const std::vector<int32_t> idx = iota_n(4);
    for (int step = 0; step < 2; ++step) {
      GraphBatch b;
      collate(data.train, idx.data() + step * 2, 2, &b, true);
      const float loss = full.train_step(b);
      EXPECT_TRUE(std::isfinite(loss)) << "step " << step;
    }
    EXPECT_FALSE(same_bits(before, full.model().params().values()));
    // And a whole epoch through train_epoch.
    const EvalResult r = full.train_epoch(false);
    EXPECT_TRUE(std::isfinite(r.loss));
    const EvalResult r_sparse = sparse.train_epoch(false);
    EXPECT_NE(r.loss, r_sparse.loss);
  }
}

}  // namespace
}  // namespace gt
