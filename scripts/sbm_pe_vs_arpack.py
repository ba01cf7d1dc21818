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
import os
import sys

# One BLAS thread, set before numpy loads OpenBLAS: its pool's idle workers spin on
# sched_yield, and beside training runs that occupy the cores they starve this script
# (measured: 2% of a core instead of ~70%). Its matrices are small; one thread is enough.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gtg_cache import open_cache_from_args  # noqa: E402  (the cache reader)
from sbm_pe_arpack_cache import normalised_laplacian, official_eigs  # noqa: E402


def main():
    a, graphs, k = open_cache_from_args(__doc__, "graphs", 100)
    cos, resid, val_err = [], [], []
    for n, src, dst, pe in graphs[:a.graphs]:
        L = normalised_laplacian(n, src, dst)
        val, off = official_eigs(L, k)
        off = off / np.linalg.norm(off, axis=0, keepdims=True)
        exact = pe / np.linalg.norm(pe, axis=0, keepdims=True)
        cos.append(np.abs(np.sum(off * exact, axis=0)))
        resid.append(np.linalg.norm(L @ off - off * val, axis=0))
        val_err.append(np.abs(val - np.linalg.eigvalsh(L.toarray())[1:k + 1]))
    cos = np.array(cos)
    print(f"{a.file}: {len(cos)} graphs, {k} PE columns (medians over graphs, and the tail of"
          " abs(cos): a median can hide a fraction of graphs whose column is another vector)")
    print("| column | abs(cos) official vs gt | 10% quantile | graphs < 0.9 | graphs < 0.5 "
          "| residual of official vector | eigenvalue error |")
    print("|---|---|---|---|---|---|---|")
    for c in range(k):
        x = cos[:, c]
        print("| %d | %.4f | %.4f | %.1f%% | %.1f%% | %.2e | %.2e |" % (
            c + 1, np.median(x), np.quantile(x, 0.1), 100 * np.mean(x < 0.9),
            100 * np.mean(x < 0.5), np.median([r[c] for r in resid]),
            np.median([e[c] for e in val_err])))


if __name__ == "__main__":
    main()
