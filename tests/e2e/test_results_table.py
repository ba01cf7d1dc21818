#!/usr/bin/env python3
"""The results table has two implementations: `gt report` (src/train/report.cpp) and its
standard-library fallback scripts/results_table.py, used by update_readme_results.py on a
machine without a built gt. They must print the same table (ctest: results_table_agree):

  1. on the committed runs under results/;
  2. on made-up run directories that exercise every rule: several seeds of one cell
     (sample s.d.), a cell the paper lacks, runs on another SBM data draw or with random
     PE signs or both (each its own row, compared with the same paper cell), PATTERN runs
     of which some also scored the official test order (a row of those beside the cell's), the default
     draw and signs written explicitly (no row of their own), a run in progress, and runs of a non-benchmark data set (skipped).

usage: test_results_table.py --gt PATH --workdir DIR
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import parse_args  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCRIPT = os.path.join(ROOT, "scripts", "results_table.py")


def results(dataset, seed, metric, test, train, epochs, spe, total, full=False, bn=True, pe=True,
            data_seed=None, pe_sign=None, official=None):
    r = {"dataset": dataset, "seed": seed, "epochs": epochs, "metric": metric,
         "train_" + metric: train, "val_" + metric: 0.5, "test_" + metric: test,
         "total_seconds": total, "seconds_per_epoch": spe,
         "config": {"dataset": dataset, "net_params": {"full_graph": full, "batch_norm": bn,
                                                       "layer_norm": not bn, "lap_pos_enc": pe}}}
    if data_seed is not None:
        r["data_seed"] = data_seed
    if pe_sign is not None:
        r["config"]["pe_sign"] = pe_sign
    if official is not None:
        r["test_acc_official_order"] = official
    return r


def write_runs(root):
    runs = {
        "cluster_s41": results("SBM_CLUSTER", 41, "acc", 71.39, 85.30, 125, 190.0, 23750.0,
                               data_seed=1),
        "cluster_s95": results("SBM_CLUSTER", 95, "acc", 71.72, 85.41, 125, 205.0, 25625.0,
                               data_seed=1, pe_sign="canonical"),
        "cluster_signs_s41": results("SBM_CLUSTER", 41, "acc", 72.6, 85.0, 120, 66.0, 7920.0,
                                     data_seed=1, pe_sign="random"),
        "pattern_draw3_signs_s41": results("SBM_PATTERN", 41, "acc", 84.9, 86.0, 140, 90.0,
                                           12600.0, data_seed=3, pe_sign="random"),
        "cluster_draw2_s41": results("SBM_CLUSTER", 41, "acc", 72.9, 85.0, 130, 66.0, 8580.0,
                                     data_seed=2),
        "pattern_draw3_s41": results("SBM_PATTERN", 41, "acc", 85.1, 86.0, 140, 90.0, 12600.0,
                                     data_seed=3),
        "pattern_s41": results("SBM_PATTERN", 41, "acc", 85.85, 86.9, 143, 290.0, 41470.0),
        "pattern_s95": results("SBM_PATTERN", 95, "acc", 85.6, 86.7, 140, 200.0, 28000.0,
                               official=85.2),
        "pattern_s12": results("SBM_PATTERN", 12, "acc", 85.7, 86.8, 150, 100.0, 15000.0,
                               official=85.3),
        "zinc_s41": results("ZINC", 41, "mae", 0.247, 0.07, 270, 17.0, 4590.0),
        "zinc_s95": results("ZINC", 95, "mae", 0.239, 0.06, 349, 16.0, 5584.0),
        "zinc_full_ln_nope": results("ZINC", 7, "mae", 0.5, 0.4, 10, 1.0, 10.0, full=True,
                                     bn=False, pe=False),
        "tu_run": results("data/tu/MUTAG", 41, "acc", 90.0, 95.0, 10, 1.0, 10.0),
    }
    for name, r in runs.items():
        os.makedirs(os.path.join(root, name))
        with open(os.path.join(root, name, "results.json"), "w") as f:
            json.dump(r, f)
    live = os.path.join(root, "zinc_live")
    os.makedirs(live)
    with open(os.path.join(live, "metrics.jsonl"), "w") as f:
        f.write('{"epoch":1,"lr":0.0007,"train_mae":0.7,"val_mae":0.6,"test_mae":0.65,"seconds":10}\n')
        f.write('{"epoch":2,"lr":0.00035,"train_mae":0.6,"val_mae":0.5,"test_mae":0.55,"seconds":20}\n')
    tu_live = os.path.join(root, "tu_live")
    os.makedirs(tu_live)
    with open(os.path.join(tu_live, "metrics.jsonl"), "w") as f:
        f.write('{"epoch":1,"lr":0.001,"train_acc":60,"val_acc":60,"test_acc":60,"seconds":1}\n')
    with open(os.path.join(tu_live, "config.json"), "w") as f:
        json.dump({"dataset": "data/tu/MUTAG"}, f)
    os.makedirs(os.path.join(root, "empty"))


def tables(gt, directory):
    a = subprocess.run([gt, "report", directory], capture_output=True, text=True)
    b = subprocess.run([sys.executable, SCRIPT, directory], capture_output=True, text=True)
    if a.returncode != 0 or b.returncode != 0:
        sys.stderr.write(a.stderr + b.stderr)
        raise SystemExit("FAIL  gt report or results_table.py failed on " + directory)
    return a.stdout, b.stdout


def main():
    a = parse_args()
    write_runs(a.workdir)
    failures = 0
    for name, directory in (("committed results/", os.path.join(ROOT, "results")),
                            ("made-up runs", a.workdir)):
        cpp, py = tables(a.gt, directory)
        same = cpp == py
        print(("PASS" if same else "FAIL") + "  the two tables agree on " + name)
        if not same:
            failures += 1
            print("--- gt report\n" + cpp + "--- scripts/results_table.py\n" + py)
    # cpp: gt report's table of the made-up runs (the loop's last directory).
    # The draw and sign rows: their own, next to the same paper cell; the defaults have none.
    expected = ["| SBM_CLUSTER | sparse | BN | LapPE | 41,95 |",
                "| SBM_CLUSTER (draw 2) | sparse | BN | LapPE | 41 | 72.900 | 85.000 | "
                "73.169 ± 0.622 | -0.4 |",
                "| SBM_PATTERN (draw 3) | sparse | BN | LapPE | 41 | 85.100 | 86.000 | "
                "84.808 ± 0.068 | +4.3 |",
                "| SBM_CLUSTER (random PE signs) | sparse | BN | LapPE | 41 | 72.600 | 85.000 | "
                "73.169 ± 0.622 | -0.9 |",
                "| SBM_PATTERN (draw 3, random PE signs) | sparse | BN | LapPE | 41 | 84.900 | "
                "86.000 | 84.808 ± 0.068 | +1.4 |",
                # Every run's own test accuracy; then the runs that also scored the official
                # test order: their mean 85.25 +- 0.071, train 86.75, 145 epochs, 150 s, 5.97 h.
                "| SBM_PATTERN | sparse | BN | LapPE | 12,41,95 | 85.717 ± 0.126 | 86.800 | "
                "84.808 ± 0.068 | +13.4 |",
                "| SBM_PATTERN (official test order) | sparse | BN | LapPE | 12,95 | 85.250 ± 0.071 | "
                "86.750 | 84.808 ± 0.068 | +6.5 | 145 | 150.0 (309.95) | 5.97 (12.67) |"]
    for line in expected:
        ok = line in cpp
        print(("PASS" if ok else "FAIL") + "  row " + line)
        failures += 0 if ok else 1
    ok = "MUTAG" not in cpp and "zinc_live" in cpp
    print(("PASS" if ok else "FAIL") + "  non-benchmark runs skipped, the run in progress listed")
    failures += 0 if ok else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
