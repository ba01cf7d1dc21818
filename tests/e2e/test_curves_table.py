#!/usr/bin/env python3
"""scripts/curves_table.py, the training-curve tables of docs/reproduction.md:

  1. on two hand-written logs (one with val_acc, one with val_loss only, of different
     lengths): every cell is the logged value at that epoch, "-" past a log's end, the last
     epoch and the validation peak (highest val_acc, else lowest val_loss) are the right rows;
  2. on a committed run (results/cluster_sparse_bn_lappe_s41): the cells equal the log's
     values read directly;
  3. a malformed line is an error naming the file and line; a missing file names the file;
     a run without LABEL=PATH is a usage error.

usage: test_curves_table.py --workdir DIR
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "curves_table.py")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def write_log(path, rows, compact=False):
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":") if compact else None) + "\n")


def cells(stdout, label):
    """The cells of the row whose first cell is label."""
    for line in stdout.splitlines():
        parts = [c.strip() for c in line.strip().strip("|").split("|")]
        if parts and parts[0] == label:
            return parts[1:]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    ok = True

    acc = os.path.join(a.workdir, "acc.jsonl")      # peak val_acc at epoch 2
    write_log(acc, [{"epoch": 1, "val_acc": 50.0, "test_acc": 40.123},
                    {"epoch": 2, "val_acc": 70.0, "test_acc": 60.456},
                    {"epoch": 3, "val_acc": 65.0, "test_acc": 61.0}], compact=True)
    loss = os.path.join(a.workdir, "loss.jsonl")    # no val_acc: lowest val_loss at epoch 1
    write_log(loss, [{"epoch": 1, "val_loss": 0.2, "test_acc": 10.0},
                     {"epoch": 2, "val_loss": 0.3, "test_acc": 20.0}])
    r = run(f"A={acc}", f"L={loss}", "--epochs", "1,3")
    ok &= check("table printed", r.returncode == 0, r.stderr.strip())
    head = r.stdout.splitlines()[0:1]
    ok &= check("header", head == ["| run | epoch 1 | epoch 3 | last epoch | val peak (epoch) |"],
                str(head))
    ok &= check("run with val_acc: values, last epoch, peak by val_acc",
                cells(r.stdout, "A") == ["40.12", "61.00", "61.00 (3)", "60.46 (2)"],
                str(cells(r.stdout, "A")))
    ok &= check("run with val_loss only: '-' past its end, peak by lowest val_loss",
                cells(r.stdout, "L") == ["10.00", "-", "20.00 (2)", "10.00 (1)"],
                str(cells(r.stdout, "L")))
    r = run(f"A={acc}", "--epochs", "2", "--field", "val_acc", "--digits", "1")
    ok &= check("--field and --digits", cells(r.stdout, "A") == ["70.0", "65.0 (3)", "70.0 (2)"],
                str(cells(r.stdout, "A")))

    real = os.path.join(ROOT, "results", "cluster_sparse_bn_lappe_s41", "metrics.jsonl")
    with open(real) as f:
        rows = {json.loads(x)["epoch"]: json.loads(x) for x in f if x.strip()}
    peak = max(sorted(rows), key=lambda e: rows[e]["val_acc"])
    last = max(rows)
    want = [f"{rows[10]['test_acc']:.2f}", f"{rows[40]['test_acc']:.2f}",
            f"{rows[last]['test_acc']:.2f} ({last})", f"{rows[peak]['test_acc']:.2f} ({peak})"]
    r = run(f"s41={real}", "--epochs", "10,40")
    ok &= check("committed CLUSTER s41 log: cells equal the log", cells(r.stdout, "s41") == want,
                f"{cells(r.stdout, 's41')} vs {want}")

    bad = os.path.join(a.workdir, "bad.jsonl")
    with open(bad, "w") as f:
        f.write('{"epoch": 1, "test_acc": 1.0}\n{"test_acc": 2.0}\n')
    r = run(f"B={bad}", "--epochs", "1")
    ok &= check("a row without an epoch: error naming file:line",
                r.returncode != 0 and f"{bad}:2:" in r.stderr, r.stderr.strip())
    r = run(f"M={os.path.join(a.workdir, 'missing.jsonl')}", "--epochs", "1")
    ok &= check("a missing log: error naming the file",
                r.returncode != 0 and "missing.jsonl" in r.stderr, r.stderr.strip())
    r = run(acc, "--epochs", "1")
    ok &= check("a run without LABEL=: usage error", r.returncode == 2 and "LABEL=PATH" in r.stderr,
                r.stderr.strip())
    print("all passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
