#!/usr/bin/python3
"""Pack a gt SBM cache (the three .gtg splits) into one small .npz, and read it back.

Why: the caches hold every directed edge as two int32 ids (CLUSTER: ~680 MB for the three
splits), too much to carry to another machine (the GPU machine takes at most 64 MiB). An SBM
graph is simple and undirected, so its upper-triangle adjacency bits hold it exactly (~12 MB
for CLUSTER). Laplacian encodings are not packed (40 bytes per node): laplacian_pe() below
recomputes them as gt does (src/graph/laplacian_pe.cpp: normalised Laplacian in float64,
eigenvectors 2..k+1, each flipped so that its largest-magnitude entry is positive, then
float32); --pe-check SPLIT packs that split's gt encodings too, to measure the agreement.

usage: scripts/sbm_pack.py PREFIX OUT.npz [--pe-check test]
       PREFIX: e.g. data/cache/sbm_cluster_seed1_ (files PREFIX{train,val,test}_pe10.gtg)
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gtg_cache import read_gtg_arrays  # noqa: E402

SPLITS = ("train", "val", "test")


def pack_split(path):
    """{nodes, node_type, labels, bits, bit_off} of one .gtg split; the graph must be simple
    and undirected (each edge both ways, no self-loop, no duplicate), else an error."""
    a = read_gtg_arrays(path)
    if a["labels"] is None:
        sys.exit(f"{path}: no per-node labels; not an SBM cache")
    nodes, edges = a["nodes"].astype(np.int64), a["edges"].astype(np.int64)
    e_off = np.concatenate([[0], np.cumsum(edges)])
    chunks, bit_off = [], [0]
    for g, n in enumerate(nodes.tolist()):
        s, d = a["src"][e_off[g]:e_off[g + 1]], a["dst"][e_off[g]:e_off[g + 1]]
        adj = np.zeros((n, n), dtype=np.int32)
        np.add.at(adj, (d, s), 1)
        if adj.max(initial=0) > 1 or np.trace(adj) or not np.array_equal(adj, adj.T):
            sys.exit(f"{path}: graph {g} is not simple and undirected; cannot pack it")
        bits = np.packbits(adj[np.triu_indices(n, 1)].astype(np.uint8))
        chunks.append(bits)
        bit_off.append(bit_off[-1] + len(bits))
    return {"nodes": nodes.astype(np.int32), "node_type": a["node_type"][:, 0].astype(np.uint8),
            "labels": a["labels"].astype(np.uint8), "bits": np.concatenate(chunks),
            "bit_off": np.asarray(bit_off, dtype=np.int64), "pe_dim": a["pe_dim"], "pe": a["pe"]}


def unpack_adjacency(bits, n):
    """The n x n 0/1 adjacency (uint8) of one packed graph."""
    adj = np.zeros((n, n), dtype=np.uint8)
    iu = np.triu_indices(n, 1)
    adj[iu] = np.unpackbits(bits, count=len(iu[0]))
    return adj | adj.T


def gt_sign(v):
    """v flipped to gt's sign convention: its largest-magnitude entry (the first one within
    1e-12 of the largest, as src/graph/laplacian_pe.cpp breaks ties) positive."""
    big = np.abs(v).max()
    first = int(np.argmax(np.abs(v) >= big - 1e-12))
    return -v if v[first] < 0 else v


def laplacian_pe(adj, k):
    """gt's Laplacian encodings of one graph: [n, k] float32 (zero columns past n - 1)."""
    n = adj.shape[0]
    out = np.zeros((n, k), dtype=np.float32)
    if n <= 1 or k == 0:
        return out
    a = adj.astype(np.float64)
    inv = 1.0 / np.sqrt(np.maximum(a.sum(1), 1.0))
    lap = np.eye(n) - a * inv[:, None] * inv[None, :]
    _, vec = np.linalg.eigh(lap)
    for c in range(min(k, n - 1)):
        out[:, c] = gt_sign(vec[:, c + 1]).astype(np.float32)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prefix")
    ap.add_argument("out")
    ap.add_argument("--pe-check", choices=SPLITS, action="append", default=[])
    a = ap.parse_args()
    arrays, k = {}, None
    for split in SPLITS:
        folder = os.path.dirname(a.prefix) or "."
        try:
            matches = [f for f in sorted(os.listdir(folder)) if f.endswith(".gtg") and
                       os.path.join(folder, f).startswith(a.prefix + split)]
        except OSError as e:
            sys.exit(f"{folder}: {e.strerror}")
        if len(matches) != 1:
            sys.exit(f"{a.prefix}{split}*.gtg: expected one cache file, found {len(matches)}")
        p = pack_split(os.path.join(folder, matches[0]))
        k = p["pe_dim"]
        for key in ("nodes", "node_type", "labels", "bits", "bit_off"):
            arrays[f"{split}_{key}"] = p[key]
        if split in a.pe_check:
            arrays[f"{split}_pe"] = np.ascontiguousarray(p["pe"])
        print(f"{split}: {len(p['nodes'])} graphs, {len(p['bits'])} adjacency bytes")
    arrays["pe_dim"] = np.int32(k)
    np.savez_compressed(a.out, **arrays)
    print(f"wrote {a.out}: {os.path.getsize(a.out) / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
