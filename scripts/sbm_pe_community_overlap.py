#!/usr/bin/python3
"""How much of CLUSTER's community structure the Laplacian encodings carry.

For each graph of a split from gt's cache (data/cache/sbm_cluster_seed<S>_<split>_pe<k>.gtg),
the community indicators, weighted by sqrt(degree) and made orthogonal to the trivial
eigenvector sqrt(degree) (the space the normalised Laplacian's community eigenvectors
approximate), span a (C - 1)-dimensional subspace Q. The script prints the mean share of Q
that lies in the span of the first 5 and of all k encoding columns,
||P_pe^T Q||_F^2 / (C - 1), against 5 / (n - 1), the share of a random 5-dimensional
subspace. A share near 1 means the encodings give each node its community.

Needs Debian's python3-numpy. usage: scripts/sbm_pe_community_overlap.py FILE.gtg [--graphs N]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gtg_cache import open_cache_from_args  # noqa: E402  (the cache reader)


def share(basis, q):
    """Share of the orthonormal columns q that lies in the span of basis's columns."""
    p, _ = np.linalg.qr(basis.astype(float))
    return float(np.sum((p.T @ q) ** 2) / q.shape[1])


def main():
    a, graphs, k = open_cache_from_args(__doc__, "graphs", 1000, with_labels=True)
    first5, all_k, random5 = [], [], []
    for n, src, dst, pe, label in graphs[:a.graphs]:
        adjacency = np.zeros((n, n))
        adjacency[dst, src] = 1.0
        root_degree = np.sqrt(adjacency.sum(1).clip(1))
        classes = int(label.max()) + 1
        indicators = np.stack([(label == c) * root_degree for c in range(classes)], 1)
        trivial = root_degree / np.linalg.norm(root_degree)
        indicators -= np.outer(trivial, trivial @ indicators)
        q, _ = np.linalg.qr(indicators)
        q = q[:, :classes - 1]  # the indicators minus the trivial direction have rank C - 1
        first5.append(share(pe[:, :5], q))
        all_k.append(share(pe, q))
        random5.append(5 / (n - 1))
    print(f"{len(first5)} graphs: community subspace in the span of PE columns 1-5: "
          f"{np.mean(first5):.3f}; columns 1-{k}: {np.mean(all_k):.3f}; "
          f"a random 5-dimensional subspace: {np.mean(random5):.3f}")


if __name__ == "__main__":
    main()
