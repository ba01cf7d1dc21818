#!/usr/bin/env python3
"""Print training curves of several runs side by side, as a markdown table, from their logs.

Why: docs/reproduction.md compares runs epoch by epoch (gt's seeds against the independent
PyTorch training, a run against its diagnostic variants). This prints those tables from the
committed metrics.jsonl files instead of copying numbers by hand. Reads gt's logs and the
PyTorch trainers' (scripts/torch_train_sbm*.py) alike: one JSON object per line with
"epoch" and the metric fields.

usage: scripts/curves_table.py LABEL=PATH [LABEL=PATH ...] --epochs 1,5,10,40
           [--field test_acc] [--digits 2]

Each run is one row: the field at each asked epoch ("-" where its log does not reach it),
then its last logged epoch and value, then its validation peak (the epoch of highest
val_acc, or lowest val_loss where there is no val_acc) with the field there.
"""
import argparse
import json
import sys


def read_log(path):
    """{epoch: row} of a metrics.jsonl; exits with the file and line on a malformed line."""
    rows = {}
    try:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    rows[int(row["epoch"])] = row
                except (ValueError, KeyError, TypeError) as e:
                    sys.exit(f"{path}:{n}: not a metrics row with an epoch ({e})")
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}")
    if not rows:
        sys.exit(f"{path}: no epochs logged")
    return rows


def value(row, field, digits):
    if field not in row:
        return "-"
    return f"{float(row[field]):.{digits}f}"


def peak_epoch(rows):
    """The epoch of best validation: highest val_acc, else lowest val_loss (first on ties)."""
    if all("val_acc" in r for r in rows.values()):
        return max(sorted(rows), key=lambda e: rows[e]["val_acc"])
    if all("val_loss" in r for r in rows.values()):
        return min(sorted(rows), key=lambda e: rows[e]["val_loss"])
    return None


def table(runs, epochs, field, digits):
    """runs: [(label, {epoch: row})] -> markdown lines."""
    head = ["run"] + [f"epoch {e}" for e in epochs] + ["last epoch", "val peak (epoch)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, rows in runs:
        cells = [label] + [value(rows[e], field, digits) if e in rows else "-" for e in epochs]
        last = max(rows)
        cells.append(f"{value(rows[last], field, digits)} ({last})")
        peak = peak_epoch(rows)
        cells.append("-" if peak is None else f"{value(rows[peak], field, digits)} ({peak})")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", metavar="LABEL=PATH", help="a label and a metrics.jsonl")
    ap.add_argument("--epochs", required=True, help="comma-separated epochs, e.g. 1,5,10,40")
    ap.add_argument("--field", default="test_acc", help="metric to show (default test_acc)")
    ap.add_argument("--digits", type=int, default=2)
    a = ap.parse_args(argv)
    try:
        epochs = [int(e) for e in a.epochs.split(",") if e.strip()]
    except ValueError:
        ap.error(f"--epochs: not a list of integers: {a.epochs!r}")
    runs = []
    for spec in a.runs:
        label, sep, path = spec.partition("=")
        if not sep or not label or not path:
            ap.error(f"{spec!r}: expected LABEL=PATH")
        runs.append((label, read_log(path)))
    print("\n".join(table(runs, epochs, a.field, a.digits)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
