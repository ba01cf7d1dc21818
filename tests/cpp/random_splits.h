// Tiny random train/val/test splits shaped like a benchmark (ZINC: 28 atom
// types, 4 bond types, PE of 8), for tests that drive a Trainer without
// reading data. Header-only, shared by the test suites.
#pragma once
#include "gradcheck_util.h"
#include "train/datasets.h"

namespace gt::gradtest {

// Empty train/val/test splits of a benchmark's shape, and the BatchOptions
// that make random graphs of that shape.
inline DataSplits empty_splits(const char* benchmark, const BatchOptions& opt) {
  DataSplits s;
  s.info = benchmark_info(benchmark);
  for (GraphDataset* d : {&s.train, &s.val, &s.test}) *d = empty_dataset(opt);
  return s;
}

// A small trainer config (2 layers, d = 16, 2 heads, batch 4, lr 1e-3,
// seed 5) for tests that train a few steps; the paper's values otherwise.
inline Config tiny_trainer_config() {
  Config c;
  c.params.seed = 5;
  c.params.batch_size = 4;
  c.params.init_lr = 1e-3;
  c.net.L = 2;
  c.net.hidden_dim = c.net.out_dim = 16;
  c.net.n_heads = 2;
  return c;
}

// Ten graphs per split of min_nodes + [0, span) nodes, edge probability p.
inline DataSplits random_zinc_splits(int32_t min_nodes, int32_t span, double p, uint64_t seed = 8) {
  BatchOptions opt;
  opt.pe_dim = 8;
  opt.node_vocab = {28};
  opt.edge_vocab = {4};
  DataSplits s = empty_splits("ZINC", opt);
  Rng rng(seed);
  for (GraphDataset* d : {&s.train, &s.val, &s.test}) {
    for (int g = 0; g < 10; ++g)
      d->graphs.push_back(
          random_graph(rng, min_nodes + static_cast<int32_t>(rng.below(span)), p, false, opt));
  }
  return s;
}

// PATTERN-shaped random splits (3 node features, no edge features, PE of 2,
// 2 classes): `graphs` graphs per split of min_nodes + [0, span) nodes, edge
// probability 0.3. Node labels: every third node 1, or uniform random.
inline DataSplits random_pattern_splits(int graphs, int32_t min_nodes, int32_t span, uint64_t seed,
                                        bool random_labels) {
  BatchOptions opt;
  opt.pe_dim = 2;
  opt.node_vocab = {3};
  opt.edge_vocab = {1};
  opt.num_targets = 0;
  DataSplits s = empty_splits("SBM_PATTERN", opt);
  Rng rng(seed);
  for (GraphDataset* d : {&s.train, &s.val, &s.test}) {
    for (int g = 0; g < graphs; ++g) {
      Graph gr = random_graph(rng, min_nodes + static_cast<int32_t>(rng.below(span)), 0.3, false, opt);
      for (int32_t i = 0; i < gr.num_nodes; ++i)
        gr.node_label.push_back(random_labels ? static_cast<int32_t>(rng.below(2)) : (i % 3 == 0 ? 1 : 0));
      d->graphs.push_back(std::move(gr));
    }
  }
  return s;
}

}  // namespace gt::gradtest
