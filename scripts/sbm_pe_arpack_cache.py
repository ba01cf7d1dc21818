#!/usr/bin/python3
"""Write a copy of a gt SBM cache whose Laplacian encodings come from the official solver.

The official benchmarking code computes the SBM encodings with
scipy.sparse.linalg.eigs(L, k+1, which='SR', tol=1e-2) and keeps np.real of columns 1..k as
returned: ARPACK's arbitrary sign per graph and, at that tolerance, not fully converged
vectors (scripts/sbm_pe_vs_arpack.py measures how far they are from gt's exact ones). This
script puts those vectors in place of gt's in a copy of a cache file, so that a trained
checkpoint can be scored on them: put the copy under DIR/cache/ with the original's name and
run `gt eval --data-dir DIR`. Everything else in the file is copied byte for byte; the
checksum gt verifies on load is recomputed.

Needs Debian's python3-scipy (apt-get install python3-scipy); not a gt dependency.
usage: scripts/sbm_pe_arpack_cache.py IN.gtg OUT.gtg [--canonical-signs] [--report]
"""
import argparse
import os
import struct
import sys

# One BLAS thread, set before numpy loads OpenBLAS: its pool's idle workers spin on
# sched_yield, and beside training runs that occupy the cores they starve this script
# (measured: 2% of a core instead of ~70%). Its matrices are small; one thread is enough.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import scipy.sparse.linalg as sla  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gtg_cache import parse_gtg_arrays  # noqa: E402
from sbm_pack import gt_sign  # noqa: E402

FNV_OFFSET = 14695981039346656037
FNV_PRIME = 1099511628211
MASK = (1 << 64) - 1


def checksum64(b):
    """src/data/graph_cache.cpp's checksum64: FNV-1a over little-endian 8-byte words, then
    over the remaining bytes."""
    state = FNV_OFFSET
    words = len(b) // 8
    for w in np.frombuffer(b, dtype="<u8", count=words).tolist():
        state = ((state ^ w) * FNV_PRIME) & MASK
    for byte in b[8 * words:]:
        state = ((state ^ byte) * FNV_PRIME) & MASK
    return state


def normalised_laplacian(n, src, dst):
    """L = I - D^-1/2 A D^-1/2 (degrees clipped to >= 1), sparse, as the official code builds it."""
    A = sp.coo_matrix((np.ones(len(src)), (dst, src)), shape=(n, n)).tocsr()
    d = sp.diags(np.asarray(A.sum(1)).ravel().clip(1) ** -0.5)
    return sp.eye(n) - d @ A @ d


def official_eigs(L, k, v0=None, tol=1e-2):
    """The official call: eigs' k+1 smallest-real-part pairs at tol 1e-2, eigenvalue-sorted;
    returns (eigenvalues 1..k, np.real of eigenvectors 1..k)."""
    # No v0 in the official code: ARPACK draws its start vector from its own generator,
    # whose state carries over from call to call within a process. (The test of gt's
    # "pe_solver": "arpack" passes gt's start vectors.)
    val, vec = sla.eigs(L, k=k + 1, which="SR", tol=tol, v0=v0)
    order = val.argsort()
    return np.real(val[order])[1:k + 1], np.real(vec[:, order])[:, 1:k + 1]


def official_pe(n, src, dst, k):
    """The encodings the official code stores for one graph."""
    return official_eigs(normalised_laplacian(n, src, dst), k)[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--canonical-signs", action="store_true",
                    help="flip each column to gt's sign convention (default: ARPACK's signs)")
    ap.add_argument("--report", action="store_true",
                    help="print the median |cos| per column against the file's encodings")
    a = ap.parse_args()
    if os.path.abspath(a.input) == os.path.abspath(a.output):
        sys.exit("output must differ from input (the original cache stays as it is)")
    try:
        data = bytearray(open(a.input, "rb").read())
    except OSError as e:
        sys.exit(f"{a.input}: {e.strerror}")
    arr = parse_gtg_arrays(data, a.input)  # views into data; the PE is copied out below
    k = arr["pe_dim"]
    if k <= 0:
        sys.exit(f"{a.input}: no positional encodings in this cache")
    pe = np.array(arr["pe"], dtype=np.float64)
    new = np.empty_like(pe)
    cos = []
    n0 = e0 = 0
    for n, m in zip(arr["nodes"].tolist(), arr["edges"].tolist()):
        v = official_pe(n, arr["src"][e0:e0 + m], arr["dst"][e0:e0 + m], k)
        if a.canonical_signs:
            v = np.stack([gt_sign(v[:, c]) for c in range(k)], axis=1)
        new[n0:n0 + n] = v
        old = pe[n0:n0 + n]
        cos.append(np.abs(np.sum(v * old, axis=0)) /
                   (np.linalg.norm(v, axis=0) * np.linalg.norm(old, axis=0) + 1e-30))
        n0, e0 = n0 + n, e0 + m
    off = arr["pe_offset"]
    block = new.astype("<f4").tobytes()
    data[off:off + len(block)] = block
    data[-8:] = struct.pack("<Q", checksum64(memoryview(data)[:-8]))
    tmp = a.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, a.output)
    print(f"{a.output}: {len(cos)} graphs, {k} PE columns from eigs(tol=1e-2)"
          + (", gt's sign convention" if a.canonical_signs else ", ARPACK's signs"))
    if a.report:
        med = np.median(np.array(cos), axis=0)
        print("median |cos| against the input's encodings per column: "
              + " ".join("%.4f" % c for c in med))


if __name__ == "__main__":
    main()
