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

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as sla

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gtg_cache import open_cache_from_args  # noqa: E402  (the cache reader)


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
