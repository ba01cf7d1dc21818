#!/usr/bin/python3
"""Compare gt's Laplacian PE of a generated SBM split with the official code's solver.

The official benchmarking code computes the SBM positional encodings with
scipy.sparse.linalg.eigs(L, k+1, which='SR', tol=1e-2) (a loose-tolerance
ARPACK run), gt with an exact symmetric solver (SPEC §4). This script reads a
split from gt's cache (data/cache/sbm_<kind>_seed<S>_<split>_pe<k>.gtg),
recomputes each graph's PE the official way and prints, per PE column, how
close the two are: |cos| between the columns (signs are arbitrary), the
residual ||L v - lambda v|| of the official vector and its eigenvalue error.

Needs Debian's python3-scipy (apt-get install python3-scipy); not a gt dependency.
usage: scripts/sbm_pe_vs_arpack.py FILE.gtg [--graphs N]
"""
import argparse
import struct
import sys

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as sla


def read_gtg(path, with_labels=False):
    """The graphs of a gt graph cache (src/data/graph_cache.cpp's layout): (n, src, dst, pe)
    per graph, plus the per-node labels with with_labels (node-classification caches)."""
    b = open(path, "rb").read()
    if b[:8] != b"GTGRAPH\0":
        sys.exit(f"{path}: not a gt graph cache")
    (_ver, has_labels, _hash, pe_dim, node_cols, edge_cols, node_cont, edge_cont, targets,
     name_len, meta_len, G, N, M) = struct.unpack_from("<IIQiiiiiiiiqqq", b, 8)
    off = 80 + name_len + meta_len + 4 * node_cols + 4 * edge_cols

    def arr(dtype, n):
        nonlocal off
        a = np.frombuffer(b, dtype=dtype, count=n, offset=off)
        off += a.nbytes
        return a

    nodes, edges = arr("<i4", G), arr("<i4", G)
    arr("<f4", G * targets), arr("<i4", N * node_cols), arr("<f4", N * node_cont)
    src, dst = arr("<i4", M), arr("<i4", M)
    arr("<i4", M * edge_cols), arr("<f4", M * edge_cont)
    pe = arr("<f4", N * pe_dim).reshape(N, pe_dim)
    labels = arr("<i4", N) if has_labels else None
    if with_labels and labels is None:
        sys.exit(f"{path}: no per-node labels in this cache")
    graphs, n0, e0 = [], 0, 0
    for g in range(G):
        n, m = int(nodes[g]), int(edges[g])
        graph = (n, src[e0:e0 + m], dst[e0:e0 + m], pe[n0:n0 + n])
        graphs.append(graph + (labels[n0:n0 + n],) if with_labels else graph)
        n0, e0 = n0 + n, e0 + m
    return graphs, pe_dim


def open_cache_from_args(doc, option, default, with_labels=False):
    """The command line of the scripts over a gt graph cache: FILE.gtg and one integer
    option; returns (args, graphs, k)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--" + option, type=int, default=default)
    a = ap.parse_args()
    graphs, k = read_gtg(a.file, with_labels)
    return a, graphs, k


def main():
    a, graphs, k = open_cache_from_args(__doc__, "graphs", 100)
    np.random.seed(0)  # ARPACK's start vector
    cos, resid, val_err = [], [], []
    for n, src, dst, pe in graphs[:a.graphs]:
        A = sp.coo_matrix((np.ones(len(src)), (dst, src)), shape=(n, n)).tocsr()
        d = sp.diags(np.asarray(A.sum(1)).ravel().clip(1) ** -0.5)
        L = sp.eye(n) - d @ A @ d
        val, vec = sla.eigs(L, k=k + 1, which="SR", tol=1e-2)  # the official call
        vec = vec[:, val.argsort()]
        val = np.sort(val.real)[1:k + 1]
        off = np.real(vec[:, 1:k + 1])
        off /= np.linalg.norm(off, axis=0, keepdims=True)
        exact = pe / np.linalg.norm(pe, axis=0, keepdims=True)
        cos.append(np.abs(np.sum(off * exact, axis=0)))
        resid.append(np.linalg.norm(L @ off - off * val, axis=0))
        val_err.append(np.abs(val - np.linalg.eigvalsh(L.toarray())[1:k + 1]))
    print(f"{a.file}: {len(cos)} graphs, {k} PE columns (median over graphs)")
    print("| column | abs(cos) official vs gt | residual of official vector | eigenvalue error |")
    print("|---|---|---|---|")
    for c in range(k):
        print("| %d | %.4f | %.2e | %.2e |" % (c + 1, np.median([x[c] for x in cos]),
                                            np.median([x[c] for x in resid]),
                                            np.median([x[c] for x in val_err])))


if __name__ == "__main__":
    main()
