// PATTERN and CLUSTER (SPEC §7): node-classification data sets of stochastic
// block model graphs, regenerated from the benchmark's distribution because
// the original files are not reachable offline.
//
// Determinism: every graph draws from its own Rng, keyed by (seed, kind,
// split, graph index) through splitmix64, so graphs are generated in parallel
// and the result is bitwise identical for any thread count, and the first n
// graphs of a split do not depend on how many are generated.
//
// Graphs: node_type = the node feature (CLUSTER 7 values, PATTERN 3),
// node_label = the class (CLUSTER 6, PATTERN 2), both directions of every
// undirected edge, sorted by (src, dst), no self-loops, edge_type 0
// (edge_vocab {1}), y = {0} (unused: the labels are per node), no PE unless
// computed afterwards.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace gt {

enum class SbmKind { Pattern, Cluster };

// Bump whenever the graphs generated for a given seed change (draw order,
// parameters, layout): it is part of the cache key, so old caches are rebuilt.
constexpr uint32_t kSbmGeneratorVersion = 1;

struct SbmSplits {
  SbmKind kind = SbmKind::Pattern;
  GraphDataset train, val, test;
};

// "PATTERN" / "CLUSTER" (data-set names are "SBM_" + this + "/" + split).
const char* sbm_kind_name(SbmKind kind);
// Parses "pattern" / "cluster" (any case; also "SBM_PATTERN", "SBM_CLUSTER").
// gt::Error naming the text otherwise.
SbmKind parse_sbm_kind(const std::string& text);
int32_t sbm_num_classes(SbmKind kind);     // PATTERN 2, CLUSTER 6
int32_t sbm_num_node_types(SbmKind kind);  // PATTERN 3, CLUSTER 7
int sbm_default_pe_dim(SbmKind kind);      // SPEC §4: PATTERN 2, CLUSTER 10
// Graphs in a full split ("train", "val", "test"): PATTERN 10,000 / 2,000 /
// 2,000, CLUSTER 10,000 / 1,000 / 1,000. gt::Error for another split name.
int32_t sbm_split_size(SbmKind kind, const std::string& split);

// The first count graphs of a split (count < 0: the whole split), without PE.
// Order within a split: CLUSTER graphs are i.i.d., kept in index order.
// PATTERN graphs come in 100 groups sharing a pattern instance; a seeded
// shuffle of the whole split mixes them, so every prefix (a mini-batch, a
// test's first n graphs) draws from many instances (the instance of each
// position: sbm_pattern_canonical_order).
GraphDataset generate_sbm_split(SbmKind kind, uint64_t seed, const std::string& split,
                                int32_t count = -1);

// PATTERN: the canonical index (instance * graphs per instance + k) of the
// graph at each position of a full split as generate_sbm_split orders it;
// the graph's pattern instance (0..99) is the index divided by the split's
// graphs per instance (sbm_split_size / 100).
// Sorting positions by it gives the official generator's order, which writes
// each instance's graphs consecutively (benchmarking-gnns
// generate_SBM_PATTERN: 100 train, 20 val, 20 test graphs per instance).
std::vector<int32_t> sbm_pattern_canonical_order(uint64_t seed, const std::string& split);

// All three full splits (no PE).
SbmSplits generate_sbm(SbmKind kind, uint64_t seed);

// ---- statistics (sbm_cache.cpp) ----------------------------------------------

struct SbmSplitStats {
  std::string name;
  int64_t graphs = 0;
  double mean_nodes = 0, mean_edges = 0;  // edges: directed (2 per undirected edge)
  int32_t min_nodes = 0, max_nodes = 0;
  std::vector<double> class_fraction;  // [num_classes] fraction of all nodes of the split
};
SbmSplitStats sbm_split_stats(const GraphDataset& data, int32_t num_classes);
// One line per split: graphs, nodes mean [min, max], directed edges, class balance.
void print_sbm_stats(const SbmSplits& splits, FILE* out);

// ---- cache and export (sbm_cache.cpp) ------------------------------------------

// <dir>/sbm_<pattern|cluster>_seed<seed>_<split>_pe<k>.gtg; limit > 0 adds
// "_n<limit>" before the extension.
std::string sbm_cache_path(const std::string& dir, SbmKind kind, uint64_t seed,
                           const std::string& split, int pe_dim, int32_t limit = 0);
// Cache key of one split: kind, seed, split, pe_dim, limit, kSbmGeneratorVersion
// and (pe_dim > 0) the eigen-solver.
uint64_t sbm_source_hash(SbmKind kind, uint64_t seed, const std::string& split, int pe_dim,
                         int32_t limit = 0);

// The three splits with Laplacian PE of dimension pe_dim (0: none). Each split
// is read from its cache file in cache_dir when that is valid (right key,
// intact, labels present and in range); otherwise it is generated, its PE
// computed and the cache (re)written (a failed write only warns). An empty
// cache_dir disables caching. limit > 0 keeps only the first limit graphs of
// each split (quick runs, tests; a separate cache file).
SbmSplits load_or_generate_sbm(SbmKind kind, uint64_t seed, int pe_dim, const std::string& cache_dir,
                               int32_t limit = 0);

// `gt data sbm`: generates the three splits, computes the PE (pe_dim > 0),
// writes them to out_dir (created if missing) under sbm_cache_path's names
// and key, so the directory is also a ready cache for load_or_generate_sbm,
// and prints the files, timings and statistics to log. Throws gt::Error when
// a file cannot be written.
void write_sbm_dataset(SbmKind kind, uint64_t seed, int pe_dim, const std::string& out_dir,
                       FILE* log);

}  // namespace gt
