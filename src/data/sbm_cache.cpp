// SBM data sets on disk: statistics, the binary cache (data/graph_cache.h)
// and the `gt data sbm` export. Generation itself is in sbm.cpp.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "core/error.h"
#include "core/file_io.h"
#include "data/graph_cache.h"
#include "data/sbm.h"
#include "graph/eigen.h"
#include "graph/laplacian_pe.h"

namespace gt {

namespace {

const char* const kSplits[3] = {"train", "val", "test"};

GraphDataset* split_of(SbmSplits* s, int i) { return i == 0 ? &s->train : i == 1 ? &s->val : &s->test; }
const GraphDataset& split_of(const SbmSplits& s, int i) {
  return i == 0 ? s.train : i == 1 ? s.val : s.test;
}

std::string lower_kind(SbmKind kind) { return kind == SbmKind::Pattern ? "pattern" : "cluster"; }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Why a cached split cannot be used as this SBM split, or "". The graph cache
// already checked the structure (sizes, edge endpoints, checksum); this checks
// what only the SBM reader knows: vocabulary, size, labels.
std::string check_loaded(const GraphDataset& d, SbmKind kind, const std::string& split, int pe_dim,
                         int32_t expected_graphs) {
  const std::string name = std::string("SBM_") + sbm_kind_name(kind) + "/" + split;
  if (d.name != name) return "holds \"" + d.name + "\", not " + name;
  if (d.pe_dim != pe_dim || d.node_vocab != std::vector<int32_t>{sbm_num_node_types(kind)} ||
      d.edge_vocab != std::vector<int32_t>{1})
    return "wrong PE dimension or vocabulary";
  if (static_cast<int32_t>(d.graphs.size()) != expected_graphs)
    return std::to_string(d.graphs.size()) + " graphs, expected " + std::to_string(expected_graphs);
  const int32_t classes = sbm_num_classes(kind);
  for (const Graph& g : d.graphs) {
    if (g.node_label.size() != static_cast<size_t>(g.num_nodes))
      return "no per-node labels (written by a graph cache without node_label support)";
    for (int32_t c : g.node_label)
      if (c < 0 || c >= classes) return "node label out of range";
  }
  return "";
}

// Generates one split with its PE, timing both parts.
GraphDataset build_split(SbmKind kind, uint64_t seed, const std::string& split, int pe_dim,
                         int32_t limit, double* gen_s, double* pe_s) {
  auto t0 = std::chrono::steady_clock::now();
  GraphDataset d = generate_sbm_split(kind, seed, split, limit > 0 ? limit : -1);
  if (gen_s) *gen_s = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  compute_laplacian_pe(&d, pe_dim);
  if (pe_s) *pe_s = seconds_since(t0);
  return d;
}

int32_t limited_size(SbmKind kind, const std::string& split, int32_t limit) {
  const int32_t full = sbm_split_size(kind, split);
  return limit > 0 ? std::min(limit, full) : full;
}

}  // namespace

SbmSplitStats sbm_split_stats(const GraphDataset& data, int32_t num_classes) {
  SbmSplitStats s;
  s.name = data.name;
  s.graphs = static_cast<int64_t>(data.graphs.size());
  s.class_fraction.assign(num_classes, 0.0);
  if (data.graphs.empty()) return s;
  int64_t nodes = 0, edges = 0, labelled = 0;
  std::vector<int64_t> per_class(num_classes, 0);
  s.min_nodes = s.max_nodes = data.graphs[0].num_nodes;
  for (const Graph& g : data.graphs) {
    nodes += g.num_nodes;
    edges += g.num_edges();
    s.min_nodes = std::min(s.min_nodes, g.num_nodes);
    s.max_nodes = std::max(s.max_nodes, g.num_nodes);
    for (int32_t c : g.node_label)
      if (c >= 0 && c < num_classes) ++per_class[c], ++labelled;
  }
  s.mean_nodes = static_cast<double>(nodes) / s.graphs;
  s.mean_edges = static_cast<double>(edges) / s.graphs;
  for (int32_t c = 0; c < num_classes; ++c)
    s.class_fraction[c] = labelled > 0 ? static_cast<double>(per_class[c]) / labelled : 0.0;
  return s;
}

void print_sbm_stats(const SbmSplits& splits, FILE* out) {
  const int32_t classes = sbm_num_classes(splits.kind);
  for (int i = 0; i < 3; ++i) {
    const SbmSplitStats s = sbm_split_stats(split_of(splits, i), classes);
    std::fprintf(out, "%-18s %6lld graphs  nodes %.2f [%d, %d]  directed edges %.1f  classes", s.name.c_str(),
                 static_cast<long long>(s.graphs), s.mean_nodes, s.min_nodes, s.max_nodes,
                 s.mean_edges);
    for (double f : s.class_fraction) std::fprintf(out, " %.4f", f);
    std::fprintf(out, "\n");
  }
}

std::string sbm_cache_path(const std::string& dir, SbmKind kind, uint64_t seed,
                           const std::string& split, int pe_dim, int32_t limit) {
  std::string path = dir + "/sbm_" + lower_kind(kind) + "_seed" + std::to_string(seed) + "_" + split +
                     "_pe" + std::to_string(pe_dim);
  if (limit > 0) path += "_n" + std::to_string(limit);
  return path + ".gtg";
}

uint64_t sbm_source_hash(SbmKind kind, uint64_t seed, const std::string& split, int pe_dim,
                         int32_t limit) {
  const std::string tag = std::string("SBM ") + sbm_kind_name(kind) + " " + split;
  uint64_t h = fnv1a64(tag.data(), tag.size());
  h = fnv1a64(&seed, sizeof seed, h);
  const int32_t k = pe_dim;
  h = fnv1a64(&k, sizeof k, h);
  h = fnv1a64(&limit, sizeof limit, h);
  h = fnv1a64(&kSbmGeneratorVersion, sizeof kSbmGeneratorVersion, h);
  if (pe_dim > 0) {  // degenerate eigenspaces come out in a solver-specific basis
    const std::string solver = symmetric_eigen_solver_name();
    h = fnv1a64(solver.data(), solver.size(), h);
  }
  return h;
}

SbmSplits load_or_generate_sbm(SbmKind kind, uint64_t seed, int pe_dim, const std::string& cache_dir,
                               int32_t limit) {
  if (pe_dim < 0) fail("Laplacian PE dimension must be >= 0, got " + std::to_string(pe_dim));
  if (!cache_dir.empty()) make_dirs(cache_dir);
  SbmSplits out;
  out.kind = kind;
  for (int i = 0; i < 3; ++i) {
    const std::string split = kSplits[i];
    GraphDataset* d = split_of(&out, i);
    const int32_t expected = limited_size(kind, split, limit);
    std::string path;
    if (!cache_dir.empty()) {
      path = sbm_cache_path(cache_dir, kind, seed, split, pe_dim, limit);
      const uint64_t hash = sbm_source_hash(kind, seed, split, pe_dim, limit);
      if (load_graph_cache(path, hash, d)) {
        const std::string why = check_loaded(*d, kind, split, pe_dim, expected);
        if (why.empty()) continue;
        std::cerr << "gt: graph cache " << path << ": " << why << "; rebuilding it\n";
      }
    }
    *d = build_split(kind, seed, split, pe_dim, limit, nullptr, nullptr);
    if (path.empty()) continue;
    try {
      save_graph_cache(path, *d, sbm_source_hash(kind, seed, split, pe_dim, limit));
    } catch (const Error& e) {  // the cache only saves time; the data is still good
      std::cerr << "gt: warning: could not write the graph cache: " << e.what() << "\n";
    }
  }
  return out;
}

void write_sbm_dataset(SbmKind kind, uint64_t seed, int pe_dim, const std::string& out_dir,
                       FILE* log) {
  if (pe_dim < 0) fail("Laplacian PE dimension must be >= 0, got " + std::to_string(pe_dim));
  make_dirs(out_dir);
  SbmSplits data;
  data.kind = kind;
  for (int i = 0; i < 3; ++i) {
    const std::string split = kSplits[i];
    double gen_s = 0, pe_s = 0;
    GraphDataset* d = split_of(&data, i);
    *d = build_split(kind, seed, split, pe_dim, 0, &gen_s, &pe_s);
    const std::string path = sbm_cache_path(out_dir, kind, seed, split, pe_dim);
    save_graph_cache(path, *d, sbm_source_hash(kind, seed, split, pe_dim));
    std::fprintf(log, "%s: %zu graphs (generated in %.2f s, PE k=%d in %.2f s)\n", path.c_str(),
                 d->graphs.size(), gen_s, pe_dim, pe_s);
  }
  print_sbm_stats(data, log);
}

}  // namespace gt
