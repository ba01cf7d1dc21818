#!/usr/bin/env python3
"""End-to-end tests of `gt predict` and `gt train --cv` (standard library only).

  1. SMILES CSV (needs RDKit): train on a CSV whose split column holds
     ogbg-molesol's scaffold split, then `gt predict` on a held-back CSV of the
     test rows (no split column) reproduces `gt eval --split test`'s RMSE from
     the same checkpoint, and the predictions CSV re-scores to the same RMSE;
  2. TU: a 3-fold cross-validation of MUTAG writes every fold and cv.json whose
     mean is the mean of the folds; `gt predict` on the MUTAG folder writes one
     row per graph with classes in the file's labels (-1/1) and probabilities
     summing to 1, and its accuracy matches the predictions CSV;
  3. errors: a missing input names the path; a TU model given a SMILES CSV fails
     with a clear message.

usage: test_predict.py --gt PATH --data DIR --workdir DIR [--rdkit]
"""
import csv
import gzip
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check, parse_args  # noqa: E402

TARGET = "measured log solubility in mols per litre"


def run(cmd, expect_ok=True):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if expect_ok and p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p


def write_config(path, dataset, out, extra):
    cfg = {"dataset": dataset, "out_dir": out,
           "params": {"epochs": 3, "batch_size": 64, "seed": 1},
           "net_params": {"L": 2, "n_heads": 4, "hidden_dim": 32, "out_dim": 32, "pos_enc_dim": 4}}
    cfg.update(extra)
    with open(path, "w") as f:
        json.dump(cfg, f)


def split_indices(ogb_dir, name):
    with gzip.open(os.path.join(ogb_dir, "split", "scaffold", name + ".csv.gz"), "rt") as f:
        return [int(line) for line in f if line.strip()]


def smiles_case(gt, data, work):
    ogb_dir = os.path.join(data, "ogb", "ogbg_molesol")
    with gzip.open(os.path.join(ogb_dir, "mapping", "mol.csv.gz"), "rt") as f:
        rows = list(csv.DictReader(f))
    split = {}
    for name, tag in (("train", "train"), ("valid", "valid"), ("test", "test")):
        for i in split_indices(ogb_dir, name):
            split[i] = tag
    all_csv = os.path.join(work, "esol_all.csv")
    held_csv = os.path.join(work, "esol_heldback.csv")
    with open(all_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["smiles", TARGET, "split"])
        for i, r in enumerate(rows):
            w.writerow([r["smiles"].strip(), r[TARGET], split[i]])
    test_rows = [rows[i] for i in sorted(i for i, t in split.items() if t == "test")]
    with open(held_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["smiles", TARGET])
        for r in test_rows:
            w.writerow([r["smiles"].strip(), r[TARGET]])
    out = os.path.join(work, "esol_run")
    cfg = os.path.join(work, "esol.json")
    write_config(cfg, all_csv, out, {"data": {"split_column": "split", "targets": [TARGET]},
                                     "task": {"loss": "mse", "metric": "rmse"}})
    # Graph caches under the work directory: the repository's data/cache may hold
    # one written by an older build, and the test must not write into the source tree.
    cache = ["--data-dir", os.path.join(work, "data")]
    run([gt, "train", "--config", cfg, "--out", out, "--threads", "2", *cache])
    ckpt = os.path.join(out, "checkpoint.safetensors")
    ev = run([gt, "eval", "--checkpoint", ckpt, "--split", "test", "--threads", "2", *cache]).stdout
    eval_rmse = float(re.search(r"test rmse: ([0-9.]+)", ev).group(1))
    preds = os.path.join(work, "esol_predictions.csv")
    pr = run([gt, "predict", "--checkpoint", ckpt, "--input", held_csv, "--out", preds, "--threads", "2"]).stdout
    pred_rmse = float(re.search(r"rmse: ([0-9.]+)", pr).group(1))
    ok = check("predict on held-back SMILES reproduces gt eval's test RMSE",
               abs(pred_rmse - eval_rmse) <= 1e-4 + 1e-9,  # both printed to 4 decimals
               f"eval {eval_rmse}, predict {pred_rmse}")
    with open(preds) as f:
        out_rows = list(csv.DictReader(f))
    ok &= check("one prediction row per held-back molecule, ids are the SMILES",
                len(out_rows) == len(test_rows) and
                all(a["id"] == b["smiles"].strip() for a, b in zip(out_rows, test_rows)))
    se = [(float(a[TARGET]) - float(b[TARGET])) ** 2 for a, b in zip(out_rows, test_rows)]
    csv_rmse = math.sqrt(sum(se) / len(se))
    ok &= check("the predictions CSV re-scores to the reported RMSE", abs(csv_rmse - pred_rmse) <= 1e-4,
                f"csv {csv_rmse}, reported {pred_rmse}")
    unlabelled = os.path.join(work, "esol_unlabelled.csv")
    with open(unlabelled, "w") as f:
        f.write("smiles\nCCO\nc1ccccc1O\n")
    pr = run([gt, "predict", "--checkpoint", ckpt, "--input", unlabelled, "--out", preds]).stdout
    with open(preds) as f:
        got = list(csv.DictReader(f))
    ok &= check("unlabelled SMILES get predictions and no metric",
                len(got) == 2 and "rmse" not in pr and all(math.isfinite(float(r[TARGET])) for r in got))
    return ok


def tu_case(gt, data, work):
    out = os.path.join(work, "mutag_cv")
    cfg = os.path.join(work, "mutag.json")
    mutag = os.path.join(data, "tu", "MUTAG")
    write_config(cfg, mutag, out, {"data": {"folds": 3}})
    run([gt, "train", "--config", cfg, "--cv", "--threads", "2", "--data-dir", os.path.join(work, "data")])
    with open(os.path.join(out, "cv.json")) as f:
        cv = json.load(f)
    accs = [f["test_acc"] for f in cv["per_fold"]]
    ok = check("cross-validation ran every fold",
               len(accs) == 3 and all(os.path.exists(os.path.join(out, f"fold_{k}", "results.json"))
                                      for k in range(3)))
    ok &= check("cv.json mean is the mean of the folds", abs(cv["test_acc_mean"] - sum(accs) / 3) < 1e-9)
    preds = os.path.join(work, "mutag_predictions.csv")
    pr = run([gt, "predict", "--checkpoint", os.path.join(out, "fold_0", "checkpoint.safetensors"),
              "--input", mutag, "--out", preds]).stdout
    with open(preds) as f:
        rows = list(csv.DictReader(f))
    ok &= check("one row per MUTAG graph, classes in the file's labels, probabilities sum to 1",
                len(rows) == 188 and {r["class"] for r in rows} <= {"-1", "1"} and
                all(abs(float(r["p_-1"]) + float(r["p_1"]) - 1) < 1e-6 for r in rows))
    with open(os.path.join(mutag, "MUTAG_graph_labels.txt")) as f:
        labels = [line.strip() for line in f if line.strip()]
    acc = 100.0 * sum(r["class"] == l for r, l in zip(rows, labels)) / len(labels)
    reported = float(re.search(r"acc: ([0-9.]+)", pr).group(1))
    ok &= check("predict's accuracy matches its CSV", abs(acc - reported) < 1e-3, f"{acc} vs {reported}")
    return ok, os.path.join(out, "fold_0", "checkpoint.safetensors")


def error_cases(gt, work, tu_ckpt, rdkit):
    p = run([gt, "predict", "--checkpoint", tu_ckpt, "--input", os.path.join(work, "nope")], expect_ok=False)
    ok = check("a missing input is an error naming it", p.returncode != 0 and "nope" in p.stderr, p.stderr.strip())
    if rdkit:
        p = run([gt, "predict", "--checkpoint", tu_ckpt, "--input", os.path.join(work, "esol_heldback.csv"),
                 "--format", "smiles_csv"], expect_ok=False)
        ok &= check("a TU model refuses SMILES", p.returncode != 0 and "SMILES" in p.stderr, p.stderr.strip())
    return ok


def main():
    a = parse_args("data", flags=("rdkit",))
    ok = True
    if a.rdkit:
        ok &= smiles_case(a.gt, a.data, a.workdir)
    else:
        print("SKIP  SMILES case: gt was built without RDKit")
    tu_ok, ckpt = tu_case(a.gt, a.data, a.workdir)
    ok &= tu_ok
    ok &= error_cases(a.gt, a.workdir, ckpt, a.rdkit)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
