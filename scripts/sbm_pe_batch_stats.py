#!/usr/bin/python3
"""What BatchNorm's batch statistics see of the Laplacian PE, per sign convention.

gt stores each eigenvector with a canonical sign (largest-magnitude entry
positive); the official data keep the eigensolver's arbitrary sign per graph.
Training flips one sign per column per batch (SPEC §4) on top of either, so
with canonical signs the graphs of a batch share one orientation and with
arbitrary signs they do not. This script reads a split from gt's cache
(data/cache/sbm_<kind>_seed<S>_<split>_pe<k>.gtg), forms consecutive batches
of --batch graphs, and prints per PE column, for canonical signs and for an
independent random sign per graph and column (config "pe_sign": "random"):
the mean |batch mean| and mean |batch skewness| of the column over the
batch's nodes, in units of the column's per-node standard deviation. An
orientation shared by the batch shows as batch moments that the per-batch
flip turns into +-: what BatchNorm subtracts in training but not at
evaluation (running statistics average the flips away).

Needs Debian's python3-numpy. usage: scripts/sbm_pe_batch_stats.py FILE.gtg [--batch B]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gtg_cache import open_cache_from_args  # noqa: E402  (the cache reader)


def batch_moments(graphs, k, batch, rng):
    """|mean| and |skewness| per column over each batch's nodes, averaged over batches."""
    means, skews = [], []
    for b in range(0, len(graphs) - batch + 1, batch):
        pe = np.concatenate([g[3] * (rng.choice([-1.0, 1.0], size=k) if rng else 1.0)
                             for g in graphs[b:b + batch]])
        sd = pe.std(0)
        means.append(np.abs(pe.mean(0)) / sd)
        skews.append(np.abs(((pe - pe.mean(0)) ** 3).mean(0)) / sd ** 3)
    return np.mean(means, 0), np.mean(skews, 0)


def main():
    a, graphs, k = open_cache_from_args(__doc__, "batch", 32)
    canon = batch_moments(graphs, k, a.batch, None)
    rand = batch_moments(graphs, k, a.batch, np.random.default_rng(0))
    print(f"{len(graphs)} graphs, batches of {a.batch}; per PE column, in per-node s.d.:")
    print("column | |batch mean| canonical | random | |batch skewness| canonical | random")
    for c in range(k):
        print(f"{c + 1:6d} | {canon[0][c]:.4f} | {rand[0][c]:.4f} | {canon[1][c]:.3f} | {rand[1][c]:.3f}")


if __name__ == "__main__":
    main()
