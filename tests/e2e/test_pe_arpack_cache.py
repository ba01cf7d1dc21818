#!/usr/bin/python3
"""scripts/sbm_pe_arpack_cache.py: a copy of a gt SBM cache with the official solver's
encodings (docs/reproduction.md, PATTERN), on a tiny PATTERN draw that gt generates:

  1. only the PE block and the checksum change; every other byte is the original's;
  2. each new column is an eigenvector of the graph's normalised Laplacian to the official
     tolerance, its eigenvalue by the k+1 smallest, and some columns differ from gt's
     exact ones (the point of the copy); --canonical-signs gives gt's sign convention;
  3. gt loads the copy as it is (its checksum is right: gt would otherwise say "rebuilding"
     and overwrite it with exact encodings), and scores a checkpoint on it;
  4. output = input, a file that is not a cache and a cache without encodings are errors.

Needs Debian's python3-scipy and python3-numpy (/usr/bin/python3).
usage: test_pe_arpack_cache.py --gt PATH --workdir DIR
"""
import os
import shutil
import subprocess
import sys

# One BLAS thread: eigh on 100-node matrices gains nothing from more, and on a busy
# machine OpenBLAS's spinning threads slowed this test ~15x (measured).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check, parse_args, tiny_sbm_draw  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from gtg_cache import read_gtg_arrays  # noqa: E402

SCRIPT = os.path.join(ROOT, "scripts", "sbm_pe_arpack_cache.py")
PY = "/usr/bin/python3"


def run_script(*args):
    return subprocess.run([PY, SCRIPT, *args], capture_output=True, text=True)


def laplacian(n, src, dst):
    A = np.zeros((n, n))
    A[dst, src] = 1.0
    d = A.sum(1).clip(1) ** -0.5
    return np.eye(n) - d[:, None] * A * d[None, :]


def check_columns(arr, orig, canonical):
    """(all columns eigenvectors to tolerance with eigenvalues among the k+1 smallest,
    some column differs from the original's, signs canonical where asked)."""
    k = arr["pe_dim"]
    eigen_ok, differs, signs_ok = True, False, True
    n0 = e0 = 0
    for n, m in zip(arr["nodes"].tolist(), arr["edges"].tolist()):
        L = laplacian(n, arr["src"][e0:e0 + m], arr["dst"][e0:e0 + m])
        w = np.linalg.eigvalsh(L)
        v = arr["pe"][n0:n0 + n].astype(np.float64)
        old = orig["pe"][n0:n0 + n].astype(np.float64)
        for c in range(k):
            x = v[:, c] / np.linalg.norm(v[:, c])
            lam = x @ L @ x
            # ARPACK's stop rule at tol 1e-2: residual <= 1e-2 |eigenvalue| (slack for the
            # float32 copy); unconverged, the vector mixes neighbouring eigenvectors, so its
            # Rayleigh quotient may pass the (k+1)-th eigenvalue by about that much.
            resid = np.linalg.norm(L @ x - lam * x)
            eigen_ok &= bool(resid <= 1.2e-2 * abs(lam) and lam <= w[k] + 2e-2)
            cos = abs(x @ old[:, c]) / np.linalg.norm(old[:, c])
            differs |= bool(cos < 0.99)
            if canonical:
                signs_ok &= bool(v[np.argmax(np.abs(v[:, c])), c] > 0)
        n0, e0 = n0 + n, e0 + m
    return eigen_ok, differs, signs_ok


def main():
    a = parse_args()
    ok = True
    _, _, prefix = tiny_sbm_draw(a.gt, a.workdir, "pattern", epochs=1)
    src = prefix + "_test_pe2_n40.gtg"
    ok &= check("gt wrote the cache", os.path.exists(src))
    checkpoint = os.path.join(a.workdir, "gt_run", "checkpoint.safetensors")

    for canonical in (False, True):
        label = "canonical signs" if canonical else "ARPACK's signs"
        out_dir = os.path.join(a.workdir, "arpack_canonical" if canonical else "arpack")
        dst = os.path.join(out_dir, "cache", os.path.basename(src))
        os.makedirs(os.path.dirname(dst))
        r = run_script(src, dst, *(["--canonical-signs"] if canonical else []))
        ok &= check(f"{label}: script ran", r.returncode == 0, r.stderr.strip()[-300:])
        if r.returncode != 0:
            continue
        before, after = open(src, "rb").read(), open(dst, "rb").read()
        orig, arr = read_gtg_arrays(src), read_gtg_arrays(dst)
        lo = orig["pe_offset"]
        hi = lo + orig["pe"].nbytes
        same_rest = (len(before) == len(after) and before[:lo] == after[:lo]
                     and before[hi:-8] == after[hi:-8])
        ok &= check(f"{label}: only the PE block and the checksum change",
                    same_rest and before[lo:hi] != after[lo:hi])
        eigen_ok, differs, signs_ok = check_columns(arr, orig, canonical)
        ok &= check(f"{label}: every column an eigenvector of L to the official tolerance",
                    eigen_ok)
        ok &= check(f"{label}: some columns differ from gt's exact vectors", differs)
        if canonical:
            ok &= check(f"{label}: largest entry of every column positive", signs_ok)

        r = subprocess.run([a.gt, "eval", "--checkpoint", checkpoint, "--data-dir", out_dir,
                            "--threads", "2"], capture_output=True, text=True)
        untouched = open(dst, "rb").read() == after
        ok &= check(f"{label}: gt loads the copy as it is and scores it",
                    r.returncode == 0 and "test acc" in r.stdout and "rebuilding" not in
                    r.stderr and untouched, (r.stdout + r.stderr).strip()[-300:])

    r = run_script(src, src)
    ok &= check("output = input refused", r.returncode != 0 and "differ" in r.stderr)
    bad = os.path.join(a.workdir, "not_a_cache.gtg")
    with open(bad, "wb") as f:
        f.write(b"hello, world" * 10)
    r = run_script(bad, bad + ".out")
    ok &= check("a file that is not a cache: error naming it",
                r.returncode != 0 and "not_a_cache.gtg" in r.stderr and "not a gt graph cache"
                in r.stderr, r.stderr.strip()[-200:])
    nope = os.path.join(a.workdir, "nope")
    shutil.copy(src, nope + ".gtg")
    with open(nope + ".gtg", "r+b") as f:  # pe_dim (header offset 24) set to 0
        f.seek(24)
        f.write((0).to_bytes(4, "little"))
    r = run_script(nope + ".gtg", nope + ".out")
    ok &= check("a cache without encodings: error",
                r.returncode != 0 and "no positional encodings" in r.stderr, r.stderr[-200:])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
