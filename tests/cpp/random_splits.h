// Tiny random train/val/test splits shaped like a benchmark (ZINC: 28 atom
// types, 4 bond types, PE of 8), for tests that drive a Trainer without
// reading data. Header-only, shared by the test suites.
#pragma once
#include "gradcheck_util.h"
#include "train/datasets.h"

namespace gt::gradtest {

// Ten graphs per split of min_nodes + [0, span) nodes, edge probability p.
inline DataSplits random_zinc_splits(int32_t min_nodes, int32_t span, double p, uint64_t seed = 8) {
  DataSplits s;
  s.info = benchmark_info("ZINC");
  BatchOptions opt;
  opt.pe_dim = 8;
  opt.node_vocab = {28};
  opt.edge_vocab = {4};
  Rng rng(seed);
  for (GraphDataset* d : {&s.train, &s.val, &s.test}) {
    d->pe_dim = 8;
    d->node_vocab = {28};
    d->edge_vocab = {4};
    for (int g = 0; g < 10; ++g)
      d->graphs.push_back(
          random_graph(rng, min_nodes + static_cast<int32_t>(rng.below(span)), p, false, opt));
  }
  return s;
}

}  // namespace gt::gradtest
