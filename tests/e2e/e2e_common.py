"""What the end-to-end tests share: their command line and their PASS/FAIL lines."""
import argparse
import os
import shutil


def parse_args(*required, flags=()):
    """Parses --gt, --workdir and the other `required` options (names without dashes) plus
    the boolean `flags`; empties the work directory so that every run starts afresh."""
    ap = argparse.ArgumentParser()
    for name in ("gt",) + required + ("workdir",):
        ap.add_argument("--" + name, required=True)
    for name in flags:
        ap.add_argument("--" + name, action="store_true")
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    return a


def check(name, ok, detail=""):
    """Prints one PASS/FAIL line and returns ok."""
    print(("PASS" if ok else "FAIL") + "  " + name + ("  " + detail if detail else ""))
    return ok
