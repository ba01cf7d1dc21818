// SBM data sets (PATTERN, CLUSTER; SPEC §7): the structure of every graph,
// statistics against expectations derived from the SPEC's parameters (not
// from a run of the generator), determinism (seed, thread count, prefixes),
// and the cache (byte-identical files, corruption detected and rebuilt).
//
// Statistical checks are z-tests: |observed - expected| <= 5 standard errors.
// The generator is seeded, so each check is deterministic; 5 s.e. means a
// correct generator would fail one with probability ~6e-7 per seed, while a
// wrong parameter (say q = 0.30 instead of 0.25) misses by dozens of s.e.
#include <gtest/gtest.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "data/sbm.h"

namespace {

using gt::Graph;
using gt::GraphDataset;
using gt::SbmKind;

// ---- expectations from SPEC §7 --------------------------------------------------
// A community (or pattern) size s is uniform on the 30 values {5..34}:
//   E[s] = 19.5, Var[s] = (30^2 - 1) / 12 = 74.917, E[s^2] = Var + E^2 = 455.17,
//   E[pairs inside] = E[s (s - 1) / 2] = (455.17 - 19.5) / 2 = 217.83,
//   E[pairs between two communities] = E[s]^2 = 380.25 (sizes independent).
constexpr double kMeanSize = 19.5;
constexpr double kVarSize = (30.0 * 30.0 - 1.0) / 12.0;
constexpr double kMeanInsidePairs = (kVarSize + kMeanSize * kMeanSize - kMeanSize) / 2.0;
constexpr double kMeanBetweenPairs = kMeanSize * kMeanSize;

// CLUSTER: 6 communities, p = 0.55, q = 0.25.
//   E[nodes] = 6 * 19.5 = 117
//   E[directed edges] = 2 * (0.55 * 6 * 217.83 + 0.25 * C(6,2) * 380.25)
//                     = 2 * (718.85 + 1425.94) = 4289.6       (SPEC: ~4,300)
constexpr double kClusterNodes = 6 * kMeanSize;
constexpr double kClusterEdges = 2 * (0.55 * 6 * kMeanInsidePairs + 0.25 * 15 * kMeanBetweenPairs);

// PATTERN: SBM of 5 communities (p = 0.5, q = 0.35) plus a pattern of n0
// nodes (Erdos-Renyi 0.5 inside, each pattern-SBM pair 0.5):
//   E[SBM nodes] = 97.5,  E[nodes] = 97.5 + E[n0] = 117
//   E[SBM edges] = 0.5 * 5 * 217.83 + 0.35 * 10 * 380.25 = 544.58 + 1330.88 = 1875.46
//   E[edges | n0] = 2 * (1875.46 + 0.5 * n0 (n0 - 1) / 2 + 0.5 * n0 * 97.5)
//   unconditionally 2 * (1875.46 + 108.92 + 950.63) = 5870.0
//   positive fraction ~ E[n0] / E[nodes] = 19.5 / 117 = 0.167
// The SPEC's "~119 nodes, ~6,100 edges, ~18% positive" are the realised
// values of the original files: only 100 pattern sizes are drawn, so their
// mean has s.d. sqrt(74.9 / 100) = 0.87; the original's 118.9 nodes mean
// n0 ~ 21.4 (+2.2 s.d.), and with n0 = 21.4 the formulas give 21.4 / 118.9
// = 0.18 positive and 2 * (1875.5 + 127.9 + 1043.3) ~ 6,090 edges. So the
// SPEC's figures agree with its parameters; a new seed draws new sizes.
constexpr double kPatternSbmNodes = 5 * kMeanSize;
constexpr double kPatternSbmEdges = 0.5 * 5 * kMeanInsidePairs + 0.35 * 10 * kMeanBetweenPairs;
double pattern_edges_given_n0(double n0) {
  return 2 * (kPatternSbmEdges + 0.5 * n0 * (n0 - 1) / 2 + 0.5 * n0 * kPatternSbmNodes);
}

// E[SBM undirected edges | total size N] for k communities of i.i.d. sizes
// U{5..34}: the pairs inside communities are sum_c s_c (s_c - 1) / 2, with
// E[s_c^2 | N] from counting the k-tuples of sizes that sum to N. Conditioning
// on N removes most of the size-driven variance, so a test of p and q gets
// sharp even where communities are not visible (PATTERN's SBM part).
double sbm_edges_given_total(int k, int total, double p, double q) {
  std::vector<std::vector<double>> ways(k + 1, std::vector<double>(34 * k + 1, 0.0));
  ways[0][0] = 1;
  for (int j = 1; j <= k; ++j)
    for (int t = 0; t <= 34 * j; ++t)
      for (int s = 5; s <= 34 && s <= t; ++s) ways[j][t] += ways[j - 1][t - s];
  double second_moment = 0;  // E[s_1^2 | N]
  for (int s = 5; s <= 34 && s <= total; ++s) second_moment += double(s) * s * ways[k - 1][total - s];
  second_moment /= ways[k][total];
  const double inside = k * (second_moment - double(total) / k) / 2;
  const double all = double(total) * (total - 1) / 2;
  return p * inside + q * (all - inside);
}

// ---- helpers ---------------------------------------------------------------------

// z-test of a sample mean (standard error from the sample itself).
void expect_mean(const std::vector<double>& x, double expected, const std::string& what) {
  double mean = 0, var = 0;
  for (double v : x) mean += v;
  mean /= x.size();
  for (double v : x) var += (v - mean) * (v - mean);
  const double se = std::sqrt(var / (x.size() - 1) / x.size());
  EXPECT_LE(std::fabs(mean - expected), 5 * se)
      << what << ": mean " << mean << ", expected " << expected << " (s.e. " << se << ")";
}

// z-test of a Bernoulli rate: hits out of trials independent draws.
void expect_rate(double hits, double trials, double p, const std::string& what) {
  const double se = std::sqrt(p * (1 - p) / trials);
  EXPECT_LE(std::fabs(hits / trials - p), 5 * se)
      << what << ": rate " << hits / trials << ", expected " << p << " (s.e. " << se << ")";
}

// Dense adjacency of g (checks as it goes: endpoints in range, no self-loops,
// edges strictly sorted by (src, dst), hence no duplicates).
std::vector<uint8_t> adjacency(const Graph& g) {
  const int n = g.num_nodes;
  std::vector<uint8_t> a(static_cast<size_t>(n) * n, 0);
  for (int e = 0; e < g.num_edges(); ++e) {
    const int u = g.src[e], v = g.dst[e];
    EXPECT_TRUE(u >= 0 && u < n && v >= 0 && v < n) << "edge " << e << " out of range";
    if (!(u >= 0 && u < n && v >= 0 && v < n)) return a;
    EXPECT_NE(u, v) << "self-loop at node " << u;
    if (e > 0) {
      EXPECT_TRUE(g.src[e - 1] < u || (g.src[e - 1] == u && g.dst[e - 1] < v)) << "edge order";
    }
    a[static_cast<size_t>(u) * n + v] = 1;
  }
  return a;
}

// Properties every graph of either kind must have.
void check_common(const GraphDataset& d, SbmKind kind, const std::string& split) {
  EXPECT_EQ(d.name, std::string("SBM_") + gt::sbm_kind_name(kind) + "/" + split);
  EXPECT_EQ(d.node_vocab, std::vector<int32_t>{kind == SbmKind::Pattern ? 3 : 7});
  EXPECT_EQ(d.edge_vocab, std::vector<int32_t>{1});
  EXPECT_EQ(d.pe_dim, 0);
  const int classes = kind == SbmKind::Pattern ? 2 : 6;
  for (const Graph& g : d.graphs) {
    ASSERT_EQ(g.node_type.size(), static_cast<size_t>(g.num_nodes));
    ASSERT_EQ(g.node_label.size(), static_cast<size_t>(g.num_nodes));
    ASSERT_EQ(g.dst.size(), g.src.size());
    ASSERT_EQ(g.edge_type.size(), g.src.size());
    EXPECT_TRUE(g.pe.empty());
    EXPECT_EQ(g.y, std::vector<float>{0.0f});
    for (int t : g.edge_type) ASSERT_EQ(t, 0);
    for (int i = 0; i < g.num_nodes; ++i) {
      ASSERT_TRUE(g.node_type[i] >= 0 && g.node_type[i] < d.node_vocab[0]);
      ASSERT_TRUE(g.node_label[i] >= 0 && g.node_label[i] < classes);
    }
    const std::vector<uint8_t> a = adjacency(g);
    const int n = g.num_nodes;
    for (int u = 0; u < n; ++u)
      for (int v = u + 1; v < n; ++v)
        ASSERT_EQ(a[static_cast<size_t>(u) * n + v], a[static_cast<size_t>(v) * n + u])
            << "asymmetric edge " << u << "-" << v;
  }
}

bool same_graph(const Graph& a, const Graph& b) {
  return a.num_nodes == b.num_nodes && a.node_type == b.node_type && a.node_label == b.node_label &&
         a.src == b.src && a.dst == b.dst && a.edge_type == b.edge_type && a.pe == b.pe && a.y == b.y;
}

bool same_dataset(const GraphDataset& a, const GraphDataset& b) {
  if (a.name != b.name || a.pe_dim != b.pe_dim || a.node_vocab != b.node_vocab ||
      a.edge_vocab != b.edge_vocab || a.graphs.size() != b.graphs.size())
    return false;
  for (size_t i = 0; i < a.graphs.size(); ++i)
    if (!same_graph(a.graphs[i], b.graphs[i])) return false;
  return true;
}

std::string file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  std::string path;
  explicit TempDir(const std::string& tag) {
    path = (std::filesystem::temp_directory_path() /
            ("gt_test_sbm_" + tag + "_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// ---- CLUSTER ---------------------------------------------------------------------

TEST(Sbm, ClusterStructureAndStatistics) {
  const GraphDataset d = gt::generate_sbm_split(SbmKind::Cluster, 41, "train", 300);
  ASSERT_EQ(d.graphs.size(), 300u);
  check_common(d, SbmKind::Cluster, "train");
  std::vector<double> nodes, edges, community_size, edge_residual;
  double inside_links = 0, inside_pairs = 0, between_links = 0, between_pairs = 0;
  int smallest = 99, largest = 0;
  for (const Graph& g : d.graphs) {
    const int n = g.num_nodes;
    std::vector<int> size(6, 0), seeds(7, 0);
    for (int i = 0; i < n; ++i) {
      ++size[g.node_label[i]];
      ++seeds[g.node_type[i]];
      // The seed node of community c carries feature c + 1.
      if (g.node_type[i] != 0) {
        EXPECT_EQ(g.node_type[i], g.node_label[i] + 1);
      }
    }
    for (int c = 1; c <= 6; ++c) EXPECT_EQ(seeds[c], 1) << "one seed node per community";
    for (int c = 0; c < 6; ++c) {
      EXPECT_TRUE(size[c] >= 5 && size[c] <= 34) << size[c];
      smallest = std::min(smallest, size[c]);
      largest = std::max(largest, size[c]);
      community_size.push_back(size[c]);
    }
    nodes.push_back(n);
    edges.push_back(g.num_edges());
    // Also validates sbm_edges_given_total, which the PATTERN test relies on.
    edge_residual.push_back(g.num_edges() - 2 * sbm_edges_given_total(6, n, 0.55, 0.25));
    for (int e = 0; e < g.num_edges(); ++e) {
      if (g.src[e] > g.dst[e]) continue;  // count each undirected edge once
      (g.node_label[g.src[e]] == g.node_label[g.dst[e]] ? inside_links : between_links) += 1;
    }
    for (int c = 0; c < 6; ++c) {
      inside_pairs += size[c] * (size[c] - 1) / 2.0;
      for (int c2 = c + 1; c2 < 6; ++c2) between_pairs += size[c] * size[c2];
    }
  }
  // 1,800 sizes: both ends of {5..34} must occur (an off-by-one would miss one).
  EXPECT_EQ(smallest, 5);
  EXPECT_EQ(largest, 34);
  expect_mean(community_size, kMeanSize, "CLUSTER community size");
  expect_mean(nodes, kClusterNodes, "CLUSTER nodes");
  expect_mean(edges, kClusterEdges, "CLUSTER directed edges");
  expect_mean(edge_residual, 0.0, "CLUSTER directed edges minus E[edges | nodes]");
  expect_rate(inside_links, inside_pairs, 0.55, "CLUSTER p (within)");
  expect_rate(between_links, between_pairs, 0.25, "CLUSTER q (between)");
}

// ---- PATTERN ---------------------------------------------------------------------

// What identifies a pattern instance inside a graph whatever the node
// permutation: its size, sorted features, and sorted internal degrees.
struct PatternSignature {
  std::vector<int> features, degrees;
  bool operator==(const PatternSignature& o) const { return features == o.features && degrees == o.degrees; }
};

PatternSignature signature(const Graph& g) {
  PatternSignature s;
  std::vector<int> degree(g.num_nodes, 0);
  for (int e = 0; e < g.num_edges(); ++e)
    if (g.node_label[g.src[e]] == 1 && g.node_label[g.dst[e]] == 1) ++degree[g.src[e]];
  for (int i = 0; i < g.num_nodes; ++i)
    if (g.node_label[i] == 1) {
      s.features.push_back(g.node_type[i]);
      s.degrees.push_back(degree[i]);
    }
  std::sort(s.features.begin(), s.features.end());
  std::sort(s.degrees.begin(), s.degrees.end());
  return s;
}

// The pattern instance of each of a PATTERN split's first `count` graphs, from
// the canonical order (the tests below check it against the graphs' patterns).
std::vector<int32_t> pattern_instances(uint64_t seed, const char* split, int32_t count) {
  const std::vector<int32_t> order = gt::sbm_pattern_canonical_order(seed, split);
  const int32_t per = gt::sbm_split_size(SbmKind::Pattern, split) / 100;
  std::vector<int32_t> instance(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) instance[i] = order.at(i) / per;
  return instance;
}

TEST(Sbm, PatternStructureAndStatistics) {
  const GraphDataset d = gt::generate_sbm_split(SbmKind::Pattern, 41, "train", 400);
  const std::vector<int32_t> instance = pattern_instances(41, "train", 400);
  ASSERT_EQ(d.graphs.size(), 400u);
  ASSERT_EQ(instance.size(), 400u);
  check_common(d, SbmKind::Pattern, "train");
  std::map<int, PatternSignature> patterns;  // instance -> signature
  std::vector<double> sbm_nodes, edge_residual, sbm_edges, sbm_edge_residual;
  double cross_links = 0, cross_pairs = 0, positives = 0, all_nodes = 0, n0_sum = 0;
  std::vector<double> feature_count(3, 0);
  for (size_t k = 0; k < d.graphs.size(); ++k) {
    const Graph& g = d.graphs[k];
    const PatternSignature sig = signature(g);
    const int n0 = static_cast<int>(sig.features.size()), sbm_n = g.num_nodes - n0;
    EXPECT_TRUE(n0 >= 5 && n0 <= 34) << n0;
    EXPECT_TRUE(sbm_n >= 25 && sbm_n <= 170) << sbm_n;
    // Every graph of an instance holds the same pattern.
    auto [it, fresh] = patterns.emplace(instance[k], sig);
    if (!fresh) {
      EXPECT_TRUE(it->second == sig) << "instance " << instance[k] << " changed";
    }
    sbm_nodes.push_back(sbm_n);
    edge_residual.push_back(g.num_edges() - pattern_edges_given_n0(n0));
    int sbm_e = 0;
    for (int e = 0; e < g.num_edges(); ++e) {
      const int a = g.node_label[g.src[e]], b = g.node_label[g.dst[e]];
      sbm_e += a == 0 && b == 0;
      cross_links += a == 1 && b == 0;  // one direction of each cross edge
    }
    sbm_edges.push_back(sbm_e);
    sbm_edge_residual.push_back(sbm_e - 2 * sbm_edges_given_total(5, sbm_n, 0.5, 0.35));
    cross_pairs += double(n0) * sbm_n;
    for (int i = 0; i < g.num_nodes; ++i)
      if (g.node_label[i] == 0) ++feature_count[g.node_type[i]];
    positives += n0;
    all_nodes += g.num_nodes;
    n0_sum += n0;
  }
  // The shuffled split order spreads a 400-graph prefix over most instances.
  EXPECT_GE(patterns.size(), 90u);
  double instance_pairs = 0, instance_links = 0;
  std::vector<double> sizes;
  for (const auto& [id, sig] : patterns) {
    const double n0 = sig.features.size();
    sizes.push_back(n0);
    instance_pairs += n0 * (n0 - 1) / 2;
    for (int deg : sig.degrees) instance_links += deg / 2.0;
  }
  // Instance sizes: k draws of U{5..34}; known variance, so an exact s.e.
  double mean_n0 = 0;
  for (double s : sizes) mean_n0 += s / sizes.size();
  EXPECT_LE(std::fabs(mean_n0 - kMeanSize), 5 * std::sqrt(kVarSize / sizes.size())) << mean_n0;
  expect_rate(instance_links, instance_pairs, 0.5, "PATTERN internal p");
  expect_rate(cross_links, cross_pairs, 0.5, "PATTERN pattern-SBM p");
  expect_mean(sbm_nodes, kPatternSbmNodes, "PATTERN SBM nodes");
  expect_mean(sbm_edges, 2 * kPatternSbmEdges, "PATTERN SBM directed edges");
  expect_mean(sbm_edge_residual, 0.0, "PATTERN SBM directed edges minus E[edges | SBM size]");
  expect_mean(edge_residual, 0.0, "PATTERN directed edges minus E[edges | n0]");
  const double sbm_total = feature_count[0] + feature_count[1] + feature_count[2];
  for (int f = 0; f < 3; ++f) expect_rate(feature_count[f], sbm_total, 1.0 / 3, "PATTERN SBM feature");
  // Positive fraction: given the realised n0 of these graphs the SBM part is
  // the only randomness: 5 sizes per graph, s.e. of its mean sqrt(5 * 74.9 /
  // 400) = 0.97 nodes, i.e. ~0.0014 in the fraction; 0.007 is 5 s.e.
  const double frac = positives / all_nodes, n0_bar = n0_sum / d.graphs.size();
  EXPECT_NEAR(frac, n0_bar / (n0_bar + kPatternSbmNodes), 0.007);
  // Unconditionally 19.5 / 117 = 0.167, with the instance sizes' spread
  // (s.d. of their mean 0.87 nodes ~ 0.006 in the fraction): 5 s.d. = 0.03.
  EXPECT_NEAR(frac, kMeanSize / (kPatternSbmNodes + kMeanSize), 0.03);
  std::printf("PATTERN prefix: %zu instances, mean n0 %.2f, positive fraction %.4f\n", patterns.size(),
              mean_n0, frac);
}

TEST(Sbm, PatternSplitsShareInstances) {
  const GraphDataset train = gt::generate_sbm_split(SbmKind::Pattern, 7, "train", 300);
  const GraphDataset val = gt::generate_sbm_split(SbmKind::Pattern, 7, "val", 300);
  const std::vector<int32_t> train_instance = pattern_instances(7, "train", 300);
  const std::vector<int32_t> val_instance = pattern_instances(7, "val", 300);
  check_common(val, SbmKind::Pattern, "val");
  std::map<int, PatternSignature> seen;
  for (size_t k = 0; k < train.graphs.size(); ++k) seen.emplace(train_instance[k], signature(train.graphs[k]));
  int matched = 0;
  for (size_t k = 0; k < val.graphs.size(); ++k) {
    auto it = seen.find(val_instance[k]);
    if (it == seen.end()) continue;
    EXPECT_TRUE(it->second == signature(val.graphs[k])) << "val instance " << val_instance[k];
    ++matched;
  }
  EXPECT_GT(matched, 200);
  // Full-split sizes and instance counts: 100 train / 20 val graphs per instance.
  EXPECT_EQ(gt::sbm_split_size(SbmKind::Pattern, "train"), 10000);
  EXPECT_EQ(gt::sbm_split_size(SbmKind::Pattern, "val"), 2000);
  EXPECT_EQ(gt::sbm_split_size(SbmKind::Cluster, "test"), 1000);
}

// The canonical order behind `gt eval --official-order`: a permutation of the
// full split whose position i holds canonical index instance * per + k, for the
// instance whose pattern generate_sbm_split put there; it depends on the seed
// and the split.
TEST(Sbm, PatternCanonicalOrder) {
  for (const char* split : {"train", "val", "test"}) {
    const std::vector<int32_t> order = gt::sbm_pattern_canonical_order(7, split);
    const int32_t n = gt::sbm_split_size(SbmKind::Pattern, split);
    ASSERT_EQ(static_cast<int32_t>(order.size()), n) << split;
    std::vector<int32_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (int32_t i = 0; i < n; ++i) ASSERT_EQ(sorted[i], i) << split << ": not a permutation";
    // The generator's order: graphs it assigns to one instance hold one pattern.
    const GraphDataset d = gt::generate_sbm_split(SbmKind::Pattern, 7, split, 200);
    const std::vector<int32_t> instance = pattern_instances(7, split, 200);
    std::map<int, PatternSignature> seen;
    int repeats = 0;
    for (size_t k = 0; k < d.graphs.size(); ++k) {
      auto [it, fresh] = seen.emplace(instance[k], signature(d.graphs[k]));
      if (fresh) continue;
      ++repeats;
      EXPECT_TRUE(it->second == signature(d.graphs[k])) << split << " position " << k;
    }
    EXPECT_GT(repeats, 50) << split;
    EXPECT_EQ(order, gt::sbm_pattern_canonical_order(7, split));
    EXPECT_NE(order, gt::sbm_pattern_canonical_order(8, split));
  }
  EXPECT_NE(gt::sbm_pattern_canonical_order(7, "val"), gt::sbm_pattern_canonical_order(7, "test"));
}

// ---- determinism -----------------------------------------------------------------

TEST(Sbm, ThreadCountPrefixAndSeed) {
  const int saved = omp_get_max_threads();
  for (SbmKind kind : {SbmKind::Cluster, SbmKind::Pattern}) {
    omp_set_num_threads(1);
    const GraphDataset one = gt::generate_sbm_split(kind, 41, "test", 120);
    omp_set_num_threads(2);
    const GraphDataset two = gt::generate_sbm_split(kind, 41, "test", 120);
    omp_set_num_threads(saved);
    EXPECT_TRUE(same_dataset(one, two)) << gt::sbm_kind_name(kind) << ": thread count changed graphs";
    // The first n graphs do not depend on how many are generated.
    GraphDataset prefix = gt::generate_sbm_split(kind, 41, "test", 40);
    GraphDataset head = one;
    head.graphs.resize(40);
    EXPECT_TRUE(same_dataset(prefix, head)) << gt::sbm_kind_name(kind) << ": prefix differs";
    // Another seed, or another split, gives other graphs.
    const GraphDataset other = gt::generate_sbm_split(kind, 42, "test", 120);
    const GraphDataset val = gt::generate_sbm_split(kind, 41, "val", 120);
    int same_seed = 0, same_split = 0;
    for (int i = 0; i < 120; ++i) {
      same_seed += same_graph(one.graphs[i], other.graphs[i]);
      same_split += same_graph(one.graphs[i], val.graphs[i]);
    }
    EXPECT_EQ(same_seed, 0);
    EXPECT_EQ(same_split, 0);
  }
  EXPECT_THROW(gt::generate_sbm_split(SbmKind::Cluster, 1, "dev", 1), gt::Error);
  EXPECT_THROW(gt::generate_sbm_split(SbmKind::Cluster, 1, "val", 1001), gt::Error);
  EXPECT_EQ(gt::parse_sbm_kind("PATTERN"), SbmKind::Pattern);
  EXPECT_EQ(gt::parse_sbm_kind("sbm_cluster"), SbmKind::Cluster);
  EXPECT_THROW(gt::parse_sbm_kind("zinc"), gt::Error);
}

// ---- cache -----------------------------------------------------------------------

TEST(Sbm, CacheIsByteIdenticalAndSelfHealing) {
  TempDir a("a"), b("b");
  const int pe = 2, limit = 25;
  const gt::SbmSplits first = gt::load_or_generate_sbm(SbmKind::Cluster, 41, pe, a.path, limit);
  const gt::SbmSplits again = gt::load_or_generate_sbm(SbmKind::Cluster, 41, pe, b.path, limit);
  ASSERT_EQ(first.train.graphs.size(), 25u);
  EXPECT_EQ(first.train.pe_dim, pe);
  EXPECT_EQ(first.val.graphs[0].pe.size(), static_cast<size_t>(first.val.graphs[0].num_nodes) * pe);
  std::vector<std::string> files;
  for (const char* split : {"train", "val", "test"}) {
    const std::string pa = gt::sbm_cache_path(a.path, SbmKind::Cluster, 41, split, pe, limit);
    const std::string pb = gt::sbm_cache_path(b.path, SbmKind::Cluster, 41, split, pe, limit);
    ASSERT_TRUE(gt::path_exists(pa)) << pa;
    EXPECT_EQ(file_bytes(pa), file_bytes(pb)) << split << ": same seed, different cache bytes";
    files.push_back(pa);
  }
  // A valid cache is read back silently and equals what was generated.
  testing::internal::CaptureStderr();
  const gt::SbmSplits cached = gt::load_or_generate_sbm(SbmKind::Cluster, 41, pe, a.path, limit);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_TRUE(same_dataset(cached.val, first.val));
  EXPECT_TRUE(same_dataset(cached.test, again.test));
  ASSERT_FALSE(cached.train.graphs[0].node_label.empty()) << "cache lost node_label";

  // Truncate one split and corrupt one byte of another: both are detected,
  // rebuilt, and the rebuilt files are byte-identical to the originals.
  const std::string val_bytes = file_bytes(files[1]), test_bytes = file_bytes(files[2]);
  std::filesystem::resize_file(files[1], val_bytes.size() / 2);
  {
    std::string bad = test_bytes;
    bad[bad.size() / 2] ^= 0x40;
    std::ofstream(files[2], std::ios::binary | std::ios::trunc) << bad;
  }
  testing::internal::CaptureStderr();
  const gt::SbmSplits healed = gt::load_or_generate_sbm(SbmKind::Cluster, 41, pe, a.path, limit);
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("truncated"), std::string::npos) << log;
  EXPECT_NE(log.find("checksum"), std::string::npos) << log;
  EXPECT_TRUE(same_dataset(healed.val, first.val));
  EXPECT_TRUE(same_dataset(healed.test, first.test));
  EXPECT_EQ(file_bytes(files[1]), val_bytes);
  EXPECT_EQ(file_bytes(files[2]), test_bytes);

  // Another seed: another key and other bytes, in its own file.
  gt::load_or_generate_sbm(SbmKind::Cluster, 42, pe, a.path, limit);
  const std::string other = gt::sbm_cache_path(a.path, SbmKind::Cluster, 42, "train", pe, limit);
  EXPECT_NE(file_bytes(other), file_bytes(files[0]));
  EXPECT_NE(gt::sbm_source_hash(SbmKind::Cluster, 41, "train", pe, limit),
            gt::sbm_source_hash(SbmKind::Cluster, 42, "train", pe, limit));
  EXPECT_NE(gt::sbm_source_hash(SbmKind::Cluster, 41, "train", pe, limit),
            gt::sbm_source_hash(SbmKind::Pattern, 41, "train", pe, limit));
  EXPECT_NE(gt::sbm_source_hash(SbmKind::Cluster, 41, "train", 2, limit),
            gt::sbm_source_hash(SbmKind::Cluster, 41, "train", 3, limit));
}

TEST(Sbm, PatternCacheKeepsLabels) {
  TempDir dir("pattern");
  const gt::SbmSplits made = gt::load_or_generate_sbm(SbmKind::Pattern, 5, 0, dir.path, 20);
  const gt::SbmSplits read = gt::load_or_generate_sbm(SbmKind::Pattern, 5, 0, dir.path, 20);
  EXPECT_EQ(read.kind, SbmKind::Pattern);
  EXPECT_TRUE(same_dataset(made.train, read.train));
  EXPECT_TRUE(same_dataset(made.test, read.test));
  const gt::SbmSplitStats s = gt::sbm_split_stats(read.train, 2);
  EXPECT_EQ(s.graphs, 20);
  EXPECT_NEAR(s.class_fraction[0] + s.class_fraction[1], 1.0, 1e-12);
  EXPECT_GT(s.class_fraction[1], 0.0);
}

}  // namespace
