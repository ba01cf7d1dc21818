#!/usr/bin/env python3
"""Prints the README's results table from the committed run logs.

Reads results/<run>/results.json (written by `gt train`) for every run
directory given (default: all of results/), groups runs by their config cell,
and prints a markdown table next to the paper's numbers (SPEC §6).
Standard library only.

usage: scripts/results_table.py [RUN_DIR ...]
"""
import glob
import json
import os
import statistics
import sys

# SPEC §6: (mean, s.d.) over 4 seeds, GTX 1080Ti.
PAPER = {
    ("ZINC", "sparse", "BN", "LapPE"): (0.226, 0.014),
    ("ZINC", "sparse", "BN", "no PE"): (0.264, 0.008),
    ("ZINC", "sparse", "LN", "LapPE"): (0.284, 0.012),
    ("ZINC", "full", "BN", "LapPE"): (0.598, 0.049),
    ("SBM_PATTERN", "sparse", "BN", "LapPE"): (84.808, 0.068),
    ("SBM_PATTERN", "sparse", "BN", "no PE"): (83.949, 0.303),
    ("SBM_PATTERN", "sparse", "LN", "LapPE"): (71.005, 11.831),
    ("SBM_PATTERN", "full", "BN", "LapPE"): (54.941, 3.739),
    ("SBM_CLUSTER", "sparse", "BN", "LapPE"): (73.169, 0.622),
    ("SBM_CLUSTER", "sparse", "BN", "no PE"): (72.139, 0.405),
    ("SBM_CLUSTER", "sparse", "LN", "LapPE"): (70.649, 0.250),
    ("SBM_CLUSTER", "full", "BN", "LapPE"): (27.121, 8.471),
}


def metric_of(row):
    """"mae" (ZINC) or "acc" (SBM): results.json names it; metrics.jsonl rows show it."""
    if "metric" in row:
        return row["metric"]
    return "acc" if "test_acc" in row else "mae"


def cell_of(cfg):
    net = cfg["net_params"]
    return (cfg["dataset"], "full" if net["full_graph"] else "sparse",
            "BN" if net["batch_norm"] else "LN", "LapPE" if net["lap_pos_enc"] else "no PE")


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results")
    dirs = argv or sorted(glob.glob(os.path.join(root, "*")))
    cells = {}
    running = []
    for d in dirs:
        path = os.path.join(d, "results.json")
        if not os.path.exists(path):
            log = os.path.join(d, "metrics.jsonl")
            if os.path.exists(log):
                running.append(d)
            continue
        with open(path) as f:
            r = json.load(f)
        cells.setdefault(cell_of(r["config"]), []).append(r)
    print("| data set | attention | norm | PE | seeds | test metric (gt) | paper | epochs | s/epoch | hours |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for cell in sorted(cells):
        runs = cells[cell]
        maes = [r["test_" + metric_of(r)] for r in runs]
        mean = statistics.mean(maes)
        sd = " ± %.3f" % statistics.stdev(maes) if len(maes) > 1 else ""
        paper = PAPER.get(cell)
        paper_s = "%.3f ± %.3f" % paper if paper else "—"
        seeds = ",".join(str(r["seed"]) for r in runs)
        epochs = statistics.mean(r["epochs"] for r in runs)
        spe = statistics.mean(r["seconds_per_epoch"] for r in runs)
        hours = statistics.mean(r["total_seconds"] for r in runs) / 3600
        print("| %s | %s | %s | %s | %s | %.3f%s | %s | %.0f | %.1f | %.2f |"
              % (*cell, seeds, mean, sd, paper_s, epochs, spe, hours))
    if running:
        print()
        print("Runs in progress (continued with `gt train --resume`); latest epoch of each:")
        print()
        print("| run | epochs so far | lr | val metric | test metric | s/epoch |")
        print("|---|---|---|---|---|---|")
        for d in running:
            with open(os.path.join(d, "metrics.jsonl")) as f:
                rows = [json.loads(line) for line in f if line.strip()]
            if not rows:
                continue
            last = rows[-1]
            spe = statistics.mean(r["seconds"] for r in rows)
            m = metric_of(last)
            print("| %s | %d | %.2e | %s %.4f | %s %.4f | %.1f |" % (
                os.path.basename(os.path.normpath(d)), last["epoch"], last["lr"],
                m, last["val_" + m], m, last["test_" + m], spe))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
