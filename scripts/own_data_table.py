#!/usr/bin/env python3
"""Prints the README's table of gt on users' data formats (OGB, TU) from the
committed run logs in results/own_data/:
  <name>_s<seed>/results.json       one training run per seed (OGB scaffold split)
  <name>_s<seed>/cv.json            a k-fold cross-validation (TU), folds in fold_<k>/
and the published baselines in results/own_data/baselines.json.
Standard library only.

usage: scripts/own_data_table.py [RESULTS_DIR]
"""
import glob
import json
import os
import statistics
import sys

NAMES = {"ogbg_molesol": "ogbg-molesol", "ogbg_molbace": "ogbg-molbace", "MUTAG": "MUTAG",
         "ENZYMES": "ENZYMES"}
METRIC = {"rmse": "RMSE ↓", "rocauc": "ROC-AUC ↑", "acc": "accuracy % ↑", "mae": "MAE ↓"}


def fmt(values, digits, sample=True):
    """mean ± s.d.: sample s.d. over seeds (as the paper), population s.d. over folds (np.std,
    as the TU literature)."""
    mean = statistics.mean(values)
    sd = (statistics.stdev(values) if sample else statistics.pstdev(values)) if len(values) > 1 else 0.0
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def data_name(dataset):
    base = os.path.basename(os.path.normpath(dataset))
    return NAMES.get(base, base)


def model_of(cfg):
    """The model column: layers, width and the regularisation that differs between rows."""
    net = cfg["net_params"]
    text = f"GT L={net['L']} d={net['hidden_dim']}"
    if net.get("dropout", 0) > 0:
        text += f", dropout {net['dropout']}"
    return text


def seed_runs(root):
    """OGB runs: (data set, model) -> list of results.json, one per seed."""
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "*", "results.json"))):
        with open(path) as f:
            r = json.load(f)
        out.setdefault((data_name(r["dataset"]), model_of(r["config"])), []).append(r)
    return out


def cv_runs(root):
    """TU runs: (data set, model) -> cv.json (the model from fold 0's config)."""
    out = {}
    for path in sorted(glob.glob(os.path.join(root, "*", "cv.json"))):
        with open(path) as f:
            cv = json.load(f)
        with open(os.path.join(os.path.dirname(path), "fold_0", "config.json")) as f:
            model = model_of(json.load(f))
        out[(data_name(cv["dataset"]), model)] = cv
    return out


def baselines_cell(baselines, name):
    rows = baselines.get(name, [])
    cells = [f"{b['model']} {b['value']}" for b in rows if b["value"] != "—"]
    return "; ".join(cells) if cells else "— (see below)"


def main(argv):
    root = argv[0] if argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                             "results", "own_data")
    with open(os.path.join(root, "baselines.json")) as f:
        baselines = json.load(f)
    print("| data set | model | protocol | metric | gt, last epoch | gt, best-val epoch | runs | epochs | "
          "s/epoch | published GCN / GIN |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (name, model), runs in sorted(seed_runs(root).items()):
        m = runs[0]["metric"]
        d = 4 if m == "rocauc" else 3
        last = [r["test_" + m] for r in runs]
        best = [r["test_" + m + "_at_best_val"] for r in runs]
        seeds = ",".join(str(r["seed"]) for r in runs)
        epochs = statistics.mean(r["epochs"] for r in runs)
        spe = statistics.mean(r["seconds_per_epoch"] for r in runs)
        print(f"| {name} | {model} | scaffold split, {len(runs)} seeds | {METRIC.get(m, m)} | {fmt(last, d)} | "
              f"{fmt(best, d)} | seeds {seeds} | {epochs:.0f} | {spe:.2f} | {baselines_cell(baselines, name)} |")
    for (name, model), cv in sorted(cv_runs(root).items()):
        m = cv["metric"]
        folds = cv["per_fold"]
        last = [f["test_" + m] for f in folds]
        best = [f["test_" + m + "_at_best_val"] for f in folds]
        epochs = statistics.mean(f["epochs"] for f in folds)
        print(f"| {name} | {model} | {cv['folds']}-fold CV (stratified, fold seed {cv['fold_seed']}) | "
              f"{METRIC.get(m, m)} | {fmt(last, 1, False)} | {fmt(best, 1, False)} | seed {cv['seed']}, "
              f"{len(folds)} folds | {epochs:.0f} | — | {baselines_cell(baselines, name)} |")
    print()
    print("± is the sample standard deviation over seeds (OGB) or the population one over folds "
          "(TU, as np.std in that literature). \"Best-val epoch\" is OGB's "
          "convention (test metric at the epoch of the best validation metric); \"last epoch\" is "
          "the paper's. Baseline sources and protocols:")
    print()
    for name in sorted(baselines):
        if name.startswith("_"):
            continue
        for b in baselines[name]:
            proto = f" ({b['protocol']})" if b["protocol"] else ""
            print(f"- {name}, {b['model']} {b['value']}{proto}: {b['source']}; verified: {b['verified']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
