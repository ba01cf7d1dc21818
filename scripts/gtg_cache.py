"""Reader of gt's binary graph cache (.gtg, src/data/graph_cache.cpp's layout) for the
analysis scripts. numpy only, so that every script that reads a cache needs nothing more.

read_gtg_arrays(path) returns the flat arrays of the whole split; read_gtg(path) splits them
into one (n, src, dst, pe[, labels]) tuple per graph (edges local to the graph).
"""
import argparse
import struct
import sys

import numpy as np


def read_gtg_arrays(path):
    """The split's flat arrays: nodes[G], edges[G] (per-graph counts), node_type[N, cols],
    src[M], dst[M] (graph-local node ids), pe[N, k], labels[N] or None; plus pe_dim and
    pe_offset (where pe starts in the file)."""
    try:
        b = open(path, "rb").read()
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}")
    return parse_gtg_arrays(b, path)


def parse_gtg_arrays(b, path):
    """read_gtg_arrays of a file's bytes b (views into b; path names it in errors)."""
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

    out = {"pe_dim": pe_dim}
    out["nodes"], out["edges"] = arr("<i4", G), arr("<i4", G)
    arr("<f4", G * targets)
    out["node_type"] = arr("<i4", N * node_cols).reshape(N, node_cols)
    arr("<f4", N * node_cont)
    out["src"], out["dst"] = arr("<i4", M), arr("<i4", M)
    arr("<i4", M * edge_cols), arr("<f4", M * edge_cont)
    out["pe_offset"] = off  # byte offset of the PE block (scripts that rewrite it)
    out["pe"] = arr("<f4", N * pe_dim).reshape(N, pe_dim)
    out["labels"] = arr("<i4", N) if has_labels else None
    return out


def read_gtg(path, with_labels=False):
    """The graphs of a gt graph cache: (n, src, dst, pe) per graph, plus the per-node labels
    with with_labels (node-classification caches)."""
    a = read_gtg_arrays(path)
    if with_labels and a["labels"] is None:
        sys.exit(f"{path}: no per-node labels in this cache")
    graphs, n0, e0 = [], 0, 0
    for n, m in zip(a["nodes"].tolist(), a["edges"].tolist()):
        graph = (n, a["src"][e0:e0 + m], a["dst"][e0:e0 + m], a["pe"][n0:n0 + n])
        graphs.append(graph + (a["labels"][n0:n0 + n],) if with_labels else graph)
        n0, e0 = n0 + n, e0 + m
    return graphs, a["pe_dim"]


def open_cache_from_args(doc, option, default, with_labels=False):
    """The command line of the scripts over a gt graph cache: FILE.gtg and one integer
    option; returns (args, graphs, k)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--" + option, type=int, default=default)
    a = ap.parse_args()
    graphs, k = read_gtg(a.file, with_labels)
    return a, graphs, k
