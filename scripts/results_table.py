#!/usr/bin/env python3
"""Prints the README's results table from the committed run logs.

The same table as `gt report DIR...` (src/train/report.cpp), kept here for
machines without a built gt (scripts/update_readme_results.py falls back to it).
Reads <run>/results.json (written by `gt train`) for every run directory given
(default: all of results/; a directory without results.json or metrics.jsonl
is scanned for run directories one level down), groups runs by their config
cell and prints a markdown table next to the paper's numbers (SPEC §6): test
metric mean ± sample s.d. over seeds and (gt - paper) / paper s.d., s/epoch (each
run's median epoch, averaged over seeds) and hours (the paper's in brackets where
SPEC §6 gives them: the best cells). Runs with only metrics.jsonl are listed as in
progress. Only ZINC, SBM_PATTERN and SBM_CLUSTER runs are reported. Standard
library only.

usage: scripts/results_table.py [DIR ...]
"""
import glob
import json
import os
import statistics
import sys

# SPEC §6, one row per Table 1 cell: (test metric mean, s.d.) over 4 seeds on a GTX 1080Ti,
# then (seconds per epoch, total hours), which SPEC gives for each data set's best cell only.
# Kept equal to src/train/report.cpp.
PAPER = {
    ("ZINC", "sparse", "BN", "LapPE"): (0.226, 0.014, 27.78, 2.25),
    ("ZINC", "sparse", "BN", "no PE"): (0.264, 0.008, None, None),
    ("ZINC", "sparse", "LN", "LapPE"): (0.284, 0.012, None, None),
    ("ZINC", "full", "BN", "LapPE"): (0.598, 0.049, None, None),
    ("SBM_PATTERN", "sparse", "BN", "LapPE"): (84.808, 0.068, 309.95, 12.67),
    ("SBM_PATTERN", "sparse", "BN", "no PE"): (83.949, 0.303, None, None),
    ("SBM_PATTERN", "sparse", "LN", "LapPE"): (71.005, 11.831, None, None),
    ("SBM_PATTERN", "full", "BN", "LapPE"): (54.941, 3.739, None, None),
    ("SBM_CLUSTER", "sparse", "BN", "LapPE"): (73.169, 0.622, 201.06, 7.20),
    ("SBM_CLUSTER", "sparse", "BN", "no PE"): (72.139, 0.405, None, None),
    ("SBM_CLUSTER", "sparse", "LN", "LapPE"): (70.649, 0.250, None, None),
    ("SBM_CLUSTER", "full", "BN", "LapPE"): (27.121, 8.471, None, None),
}
DATASETS = {"ZINC", "SBM_PATTERN", "SBM_CLUSTER"}


def metric_of(row):
    """"mae" (ZINC) or "acc" (SBM): results.json names it; metrics.jsonl rows show it."""
    if "metric" in row:
        return row["metric"]
    return "acc" if "test_acc" in row else "mae"


def cell_of(cfg):
    net = cfg["net_params"]
    return (cfg["dataset"], "full" if net["full_graph"] else "sparse",
            "BN" if net["batch_norm"] else "LN", "LapPE" if net["lap_pos_enc"] else "no PE")


SBM_DEFAULT_DRAW = 1  # kSbmDataSeed in src/train/datasets.h


def variant_of(r):
    """What a run changed beyond its cell, each its own row compared with the same paper cell:
    the generated SBM data draw ("data_seed"; the default draw if absent; the paper's seeds all
    share one draw) and the stored sign of the encodings (config "pe_sign", gt's diagnostic)."""
    return (r.get("data_seed", SBM_DEFAULT_DRAW), r["config"].get("pe_sign", "canonical"))


def variant_label(variant):
    """" (draw 2, random PE signs)", or "" for the paper's protocol."""
    draw, pe_sign = variant
    parts = ([] if draw == SBM_DEFAULT_DRAW else ["draw %d" % draw]) + \
        ([] if pe_sign == "canonical" else [pe_sign + " PE signs"])
    return " (%s)" % ", ".join(parts) if parts else ""


def is_run_dir(d):
    return os.path.exists(os.path.join(d, "results.json")) or \
        os.path.exists(os.path.join(d, "metrics.jsonl"))


def expand(dirs):
    """Run directories: each argument, or its immediate subdirectories that are runs."""
    out = []
    for d in dirs:
        if is_run_dir(d):
            out.append(d)
        elif os.path.isdir(d):
            out += sorted(s for s in (os.path.join(d, n) for n in os.listdir(d))
                          if os.path.isdir(s) and is_run_dir(s))
    return out


OFFICIAL_ORDER_KEY = "test_acc_official_order"


def read_log(d):
    """The rows of <d>/metrics.jsonl ([] when there is none)."""
    path = os.path.join(d, "metrics.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def median_epoch_seconds(rows):
    """Median of the per-epoch seconds: a paused or slowed epoch does not move it."""
    return statistics.median(r["seconds"] for r in rows) if rows else 0.0


def epoch_seconds(d, results):
    """A finished run's s/epoch: the median over its log, else results.json's mean."""
    rows = read_log(d)
    return median_epoch_seconds(rows) if rows else results["seconds_per_epoch"]


def table_row(label, cell, runs, test_key):
    """One row: the runs of one cell; the test metric from test_key, else test_<metric>."""
    tests = [r[test_key or "test_" + metric_of(r)] for r in runs]
    trains = [r["train_" + metric_of(r)] for r in runs]
    mean = statistics.mean(tests)
    sd = " ± %.3f" % statistics.stdev(tests) if len(tests) > 1 else ""
    paper = PAPER.get(cell)
    paper_s = "%.3f ± %.3f" % paper[:2] if paper else "—"
    diff = "%+.1f" % ((mean - paper[0]) / paper[1]) if paper else "—"
    seeds = ",".join(str(r["seed"]) for r in runs)
    epochs = statistics.mean(r["epochs"] for r in runs)
    spe = statistics.mean(r["epoch_seconds"] for r in runs)
    hours = statistics.mean(r["total_seconds"] for r in runs) / 3600
    spe_s, hours_s = "%.1f" % spe, "%.2f" % hours
    if paper and paper[2] is not None:
        spe_s += " (%.2f)" % paper[2]
        hours_s += " (%.2f)" % paper[3]
    return ("| %s | %s | %s | %s | %s | %.3f%s | %.3f | %s | %s | %.0f | %s | %s |"
            % (label, *cell[1:], seeds, mean, sd, statistics.mean(trains), paper_s, diff, epochs,
               spe_s, hours_s))


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results")
    dirs = argv or sorted(glob.glob(os.path.join(root, "*")))
    cells = {}
    running = []
    for d in expand(dirs):
        path = os.path.join(d, "results.json")
        if not os.path.exists(path):
            # In progress: config.json (written when a run starts) says which data set.
            cfg = os.path.join(d, "config.json")
            if os.path.exists(cfg):
                with open(cfg) as f:
                    if json.load(f)["dataset"] not in DATASETS:
                        continue
            running.append(d)
            continue
        with open(path) as f:
            r = json.load(f)
        if r["config"]["dataset"] not in DATASETS:
            continue
        r["epoch_seconds"] = epoch_seconds(d, r)
        cells.setdefault((cell_of(r["config"]), variant_of(r)), []).append(r)
    print("| data set | attention | norm | PE | seeds | test metric (gt) | train metric (gt) | paper | "
          "(gt - paper) / paper s.d. | epochs | s/epoch (paper) | hours (paper) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for cell, variant in sorted(cells):
        runs = sorted(cells[(cell, variant)], key=lambda r: r["seed"])
        label = cell[0] + variant_label(variant)
        print(table_row(label, cell, runs, None))
        # PATTERN runs also score their final model with the test split in the
        # official order: the number the paper's protocol reports, as its own row.
        official = [r for r in runs if OFFICIAL_ORDER_KEY in r]
        if official:
            print(table_row(label + " (official test order)", cell, official, OFFICIAL_ORDER_KEY))
    if running:
        print()
        print("Runs in progress (continued with `gt train --resume`); latest epoch of each:")
        print()
        print("| run | epochs so far | lr | val metric | test metric | s/epoch |")
        print("|---|---|---|---|---|---|")
        for d in running:
            rows = read_log(d)
            if not rows:
                continue
            last = rows[-1]
            spe = median_epoch_seconds(rows)
            m = metric_of(last)
            print("| %s | %d | %.2e | %s %.4f | %s %.4f | %.1f |" % (
                os.path.basename(os.path.normpath(d)), last["epoch"], last["lr"],
                m, last["val_" + m], m, last["test_" + m], spe))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
