// SBM graph generation for PATTERN and CLUSTER (SPEC §7). The order of the
// random draws below is part of the data set's definition: changing it
// changes every graph, so bump kSbmGeneratorVersion when it changes.
#include "data/sbm.h"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <utility>

#include "core/error.h"
#include "core/rng.h"

namespace gt {

namespace {

// ---- parameters (SPEC §7) -----------------------------------------------------

constexpr int32_t kSizeMin = 5, kSizeCount = 30;  // community sizes uniform in {5..34}
constexpr int32_t kClusterCommunities = 6;
constexpr double kClusterP = 0.55, kClusterQ = 0.25;
constexpr int32_t kPatternCommunities = 5;
constexpr double kPatternP = 0.5, kPatternQ = 0.35;
constexpr double kPatternInternalP = 0.5;  // Erdos-Renyi edges inside a pattern
constexpr double kPatternCrossP = 0.5;     // each (pattern node, SBM node) pair
constexpr int32_t kPatternFeatures = 3;    // features uniform in {0, 1, 2}
constexpr int32_t kPatternInstances = 100;

// Random streams under one seed: graphs of split s use stream s (0 train,
// 1 val, 2 test); the pattern instances and the split orders have their own.
constexpr uint64_t kStreamPatternInstance = 3;
constexpr uint64_t kStreamSplitOrder = 4;  // + split index

int split_index(const std::string& split) {
  if (split == "train") return 0;
  if (split == "val") return 1;
  if (split == "test") return 2;
  fail("unknown SBM split \"" + split + "\" (expected train, val or test)");
}

// PATTERN graphs per instance in each split (100 train, 20 val, 20 test).
int32_t pattern_graphs_per_instance(int split) { return split == 0 ? 100 : 20; }

// ---- random keys ----------------------------------------------------------------

uint64_t splitmix_finalize(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Folds v into the key h; each field is mixed before the xor so that keys
// differing in any field are unrelated (no (h ^ v) cancellation).
uint64_t combine(uint64_t h, uint64_t v) {
  return splitmix_finalize(h ^ splitmix_finalize(v + 0x9e3779b97f4a7c15ULL));
}

// An independent generator for item `index` of `stream` under (seed, kind).
Rng keyed_rng(uint64_t seed, SbmKind kind, uint64_t stream, uint64_t index) {
  uint64_t h = combine(0x5342'4d47'454e'0001ULL, seed);  // "SBMGEN" salt
  h = combine(h, kind == SbmKind::Pattern ? 1 : 2);
  h = combine(h, stream);
  return Rng(combine(h, index));
}

// Bernoulli(p) with one 64-bit draw and one comparison: P(u < p * 2^64) is
// exactly the double p (p has a 53-bit mantissa, so p * 2^64 is an integer).
class Coin {
 public:
  explicit Coin(double p) : threshold_(static_cast<uint64_t>(p * 0x1p64)) {}
  bool flip(Rng& rng) const { return rng.next_u64() < threshold_; }

 private:
  uint64_t threshold_;
};

int32_t draw_size(Rng& rng) { return kSizeMin + static_cast<int32_t>(rng.below(kSizeCount)); }

// ---- assembling one graph -------------------------------------------------------

// A graph in generation order (nodes grouped by community) whose adjacency is
// written straight into the permuted labelling: new_id[old] is the node's
// final index, drawn before any edge so edges need no second pass.
struct Draft {
  int32_t n = 0;
  std::vector<int32_t> new_id;            // [n] old -> new index
  std::vector<int32_t> feature, label;    // [n] by old index
  std::vector<uint8_t>* adj = nullptr;    // [n * n] by new index (thread-local scratch)
  int32_t directed_edges = 0;

  void begin(int32_t num_nodes, Rng& rng, std::vector<uint8_t>* scratch) {
    n = num_nodes;
    // SPEC: "random node permutation" - a uniform one (Fisher-Yates).
    new_id.resize(n);
    std::iota(new_id.begin(), new_id.end(), 0);
    rng.shuffle(new_id.data(), new_id.size());
    feature.assign(n, 0);
    label.assign(n, 0);
    adj = scratch;
    adj->assign(static_cast<size_t>(n) * n, 0);
    directed_edges = 0;
  }
  // Each unordered pair is linked at most once (every pair is drawn once).
  void link(int32_t a, int32_t b) {
    const size_t u = new_id[a], v = new_id[b];
    (*adj)[u * n + v] = 1;
    (*adj)[v * n + u] = 1;
    directed_edges += 2;
  }
  // Writes the final graph: nodes by new index, edges sorted by (src, dst).
  void finish(Graph* g) const {
    g->num_nodes = n;
    g->node_type.assign(n, 0);
    g->node_label.assign(n, 0);
    for (int32_t old = 0; old < n; ++old) {
      g->node_type[new_id[old]] = feature[old];
      g->node_label[new_id[old]] = label[old];
    }
    // Exact sizes up front (a split holds ~0.5-1 GB of edges: no regrowth),
    // plus one slot so the scan can store unconditionally: at ~30-50% density
    // a branch per matrix entry would mispredict constantly.
    g->src.resize(directed_edges + 1);
    g->dst.resize(directed_edges + 1);
    const uint8_t* a = adj->data();
    int32_t* src = g->src.data();
    int32_t* dst = g->dst.data();
    int32_t e = 0;
    for (int32_t u = 0; u < n; ++u) {
      const uint8_t* row = a + static_cast<size_t>(u) * n;
      for (int32_t v = 0; v < n; ++v) {
        src[e] = u;
        dst[e] = v;
        e += row[v];
      }
    }
    // e == directed_edges: each link() sets at most the 2 entries it counts,
    // so the scan never writes past the spare slot.
    g->src.resize(e);
    g->dst.resize(e);
    g->edge_type.assign(e, 0);
    g->pe.clear();
    g->y = {0.0f};  // node-level data: the graph target is unused
  }
};

// Draws the edges of an SBM over nodes [0, n) with community[i] per node:
// every unordered pair once, in (i < j) order, probability p within and q
// between communities.
void draw_sbm_edges(const std::vector<int32_t>& community, double p, double q, Rng& rng,
                    Draft* d) {
  const Coin within(p), between(q);
  const int32_t n = static_cast<int32_t>(community.size());
  for (int32_t i = 0; i < n; ++i)
    for (int32_t j = i + 1; j < n; ++j)
      if ((community[i] == community[j] ? within : between).flip(rng)) d->link(i, j);
}

// Community sizes, then each node's community in generation order.
std::vector<int32_t> draw_communities(int32_t count, Rng& rng) {
  std::vector<int32_t> community;
  for (int32_t c = 0; c < count; ++c) community.insert(community.end(), draw_size(rng), c);
  return community;
}

// ---- CLUSTER ----------------------------------------------------------------------

// Draw order: 6 community sizes; one seed node per community; the node
// permutation; the pairs (i < j).
void generate_cluster_graph(Rng& rng, Graph* g) {
  thread_local std::vector<uint8_t> scratch;
  const std::vector<int32_t> community = draw_communities(kClusterCommunities, rng);
  const int32_t n = static_cast<int32_t>(community.size());
  std::vector<int32_t> seed_node(kClusterCommunities);
  for (int32_t c = 0, first = 0; c < kClusterCommunities; ++c) {
    const int32_t size = static_cast<int32_t>(std::count(community.begin(), community.end(), c));
    seed_node[c] = first + static_cast<int32_t>(rng.below(size));
    first += size;
  }
  Draft d;
  d.begin(n, rng, &scratch);
  d.label = community;
  for (int32_t c = 0; c < kClusterCommunities; ++c) d.feature[seed_node[c]] = c + 1;
  draw_sbm_edges(community, kClusterP, kClusterQ, rng, &d);
  d.finish(g);
}

// ---- PATTERN ----------------------------------------------------------------------

// A pattern: n0 nodes, features, and internal edges, fixed for all graphs of
// the instance. Draw order: n0; n0 features; the pairs (i < j).
struct PatternInstance {
  int32_t n0 = 0;
  std::vector<int32_t> feature;                  // [n0]
  std::vector<std::pair<int32_t, int32_t>> edges;  // i < j
};

PatternInstance make_pattern_instance(uint64_t seed, int32_t index) {
  Rng rng = keyed_rng(seed, SbmKind::Pattern, kStreamPatternInstance, index);
  PatternInstance p;
  p.n0 = draw_size(rng);
  p.feature.resize(p.n0);
  for (int32_t& f : p.feature) f = static_cast<int32_t>(rng.below(kPatternFeatures));
  const Coin coin(kPatternInternalP);
  for (int32_t i = 0; i < p.n0; ++i)
    for (int32_t j = i + 1; j < p.n0; ++j)
      if (coin.flip(rng)) p.edges.push_back({i, j});
  return p;
}

// SBM nodes are [0, N), pattern nodes [N, N + n0). Draw order: 5 community
// sizes; the node permutation; N SBM features; the SBM pairs (i < j); the
// cross pairs (SBM node major, pattern node minor).
void generate_pattern_graph(const PatternInstance& pattern, Rng& rng, Graph* g) {
  thread_local std::vector<uint8_t> scratch;
  const std::vector<int32_t> community = draw_communities(kPatternCommunities, rng);
  const int32_t sbm_n = static_cast<int32_t>(community.size());
  Draft d;
  d.begin(sbm_n + pattern.n0, rng, &scratch);
  for (int32_t i = 0; i < sbm_n; ++i) d.feature[i] = static_cast<int32_t>(rng.below(kPatternFeatures));
  for (int32_t a = 0; a < pattern.n0; ++a) {
    d.feature[sbm_n + a] = pattern.feature[a];
    d.label[sbm_n + a] = 1;
  }
  draw_sbm_edges(community, kPatternP, kPatternQ, rng, &d);
  const Coin cross(kPatternCrossP);
  for (int32_t i = 0; i < sbm_n; ++i)
    for (int32_t a = 0; a < pattern.n0; ++a)
      if (cross.flip(rng)) d.link(i, sbm_n + a);
  for (const auto& [a, b] : pattern.edges) d.link(sbm_n + a, sbm_n + b);
  d.finish(g);
}

// Canonical index of each graph position of a PATTERN split: canonical
// c = instance * per_instance + k. A seeded shuffle decides the positions.
std::vector<int32_t> pattern_split_order(uint64_t seed, int split) {
  std::vector<int32_t> order(static_cast<size_t>(kPatternInstances) *
                             pattern_graphs_per_instance(split));
  std::iota(order.begin(), order.end(), 0);
  Rng rng = keyed_rng(seed, SbmKind::Pattern, kStreamSplitOrder + split, 0);
  rng.shuffle(order.data(), order.size());
  return order;
}

}  // namespace

// ---- public API -------------------------------------------------------------------

const char* sbm_kind_name(SbmKind kind) { return kind == SbmKind::Pattern ? "PATTERN" : "CLUSTER"; }

SbmKind parse_sbm_kind(const std::string& text) {
  std::string t(text);
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "pattern" || t == "sbm_pattern") return SbmKind::Pattern;
  if (t == "cluster" || t == "sbm_cluster") return SbmKind::Cluster;
  fail("unknown SBM data set \"" + text + "\" (expected pattern or cluster)");
}

int32_t sbm_num_classes(SbmKind kind) { return kind == SbmKind::Pattern ? 2 : kClusterCommunities; }

int32_t sbm_num_node_types(SbmKind kind) {
  return kind == SbmKind::Pattern ? kPatternFeatures : kClusterCommunities + 1;
}

int sbm_default_pe_dim(SbmKind kind) { return kind == SbmKind::Pattern ? 2 : 10; }

int32_t sbm_split_size(SbmKind kind, const std::string& split) {
  const int s = split_index(split);
  if (kind == SbmKind::Pattern) return kPatternInstances * pattern_graphs_per_instance(s);
  return s == 0 ? 10000 : 1000;
}

GraphDataset generate_sbm_split(SbmKind kind, uint64_t seed, const std::string& split,
                                int32_t count) {
  const int s = split_index(split);
  const int32_t full = sbm_split_size(kind, split);
  if (count < 0) count = full;
  if (count > full)
    fail("SBM " + std::string(sbm_kind_name(kind)) + " " + split + " has " + std::to_string(full) +
         " graphs; " + std::to_string(count) + " requested");
  GraphDataset data;
  data.name = std::string("SBM_") + sbm_kind_name(kind) + "/" + split;
  data.node_vocab = {sbm_num_node_types(kind)};
  data.edge_vocab = {1};
  data.graphs.resize(count);
  if (kind == SbmKind::Cluster) {
#pragma omp parallel for schedule(static)
    for (int32_t i = 0; i < count; ++i) {
      Rng rng = keyed_rng(seed, kind, s, i);
      generate_cluster_graph(rng, &data.graphs[i]);
    }
    return data;
  }
  // 100 instances x ~200 pairs: cheaper to build them all than to find the used ones.
  std::vector<PatternInstance> instances(kPatternInstances);
  for (int32_t k = 0; k < kPatternInstances; ++k) instances[k] = make_pattern_instance(seed, k);
  const std::vector<int32_t> order = pattern_split_order(seed, s);
  const int32_t per = pattern_graphs_per_instance(s);
#pragma omp parallel for schedule(static)
  for (int32_t i = 0; i < count; ++i) {
    Rng rng = keyed_rng(seed, kind, s, order[i]);  // keyed by canonical index
    generate_pattern_graph(instances[order[i] / per], rng, &data.graphs[i]);
  }
  return data;
}

std::vector<int32_t> sbm_pattern_canonical_order(uint64_t seed, const std::string& split) {
  return pattern_split_order(seed, split_index(split));
}

SbmSplits generate_sbm(SbmKind kind, uint64_t seed) {
  SbmSplits out;
  out.kind = kind;
  out.train = generate_sbm_split(kind, seed, "train");
  out.val = generate_sbm_split(kind, seed, "val");
  out.test = generate_sbm_split(kind, seed, "test");
  return out;
}

}  // namespace gt
