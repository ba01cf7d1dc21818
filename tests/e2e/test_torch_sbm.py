#!/usr/bin/python3
"""The PyTorch SBM trainer (scripts/torch_train_sbm.py), the independent pipeline that checks
gt's CLUSTER result (docs/reproduction.md):

  1. its self-test: dense attention equals the parity oracle's sparse form (outputs and
     gradients, clipped scores included), and the official per-batch accuracy;
  2. on a tiny CLUSTER draw that gt generates and caches: three epochs give finite losses
     and accuracies in [0, 100]; a run stopped after one epoch and started again continues
     to the same metrics.jsonl as the uninterrupted run; a finished run (final.json) is not
     continued; params.max_time stops a run and --max-time 0 lifts it; another seed gives
     other numbers;
  3. a missing cache file, or a config without a training parameter, is an error naming
     the file (and the key).

Needs Debian's python3-torch (/usr/bin/python3). usage: test_torch_sbm.py --gt PATH --workdir DIR
"""
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check, parse_args, tiny_sbm_draw  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "torch_train_sbm.py")
PY = "/usr/bin/python3"


def rows(run_dir):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        return [{k: v for k, v in json.loads(line).items() if k != "seconds"}
                for line in f if line.strip()]


def final_row(run_dir):
    """run_dir/final.json (the protocol's end), or {} where the run has not ended."""
    path = os.path.join(run_dir, "final.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def torch_train(config, data, out, *extra):
    cmd = [PY, SCRIPT, "--config", config, "--data", data, "--out", out, *extra]
    return subprocess.run(cmd, capture_output=True, text=True)


def main():
    a = parse_args()
    ok = True

    r = subprocess.run([PY, SCRIPT, "--selftest"], capture_output=True, text=True)
    ok &= check("selftest", r.returncode == 0, (r.stdout + r.stderr).strip().replace("\n", "; "))

    # A tiny draw: the paper's CLUSTER config on 40 graphs per split, 3 epochs.
    config, cfg_path, prefix = tiny_sbm_draw(a.gt, a.workdir, "cluster")
    data_dir = os.path.dirname(os.path.dirname(prefix))
    ok &= check("gt wrote the cache", os.path.exists(prefix + "_train_pe10_n40.gtg"))

    whole, part, other = (os.path.join(a.workdir, d) for d in ("whole", "part", "other"))
    r = torch_train(cfg_path, prefix, whole)
    ok &= check("uninterrupted run", r.returncode == 0, r.stderr.strip()[-300:])
    ref = rows(whole) if r.returncode == 0 else []
    ok &= check("three epochs logged", [x["epoch"] for x in ref] == [1, 2, 3])
    finite = all(math.isfinite(x[k]) for x in ref for k in ("train_loss", "val_loss", "test_loss"))
    in_range = all(0 <= x[k] <= 100 for x in ref
                   for k in ("train_acc", "val_acc", "test_acc", "test_acc_zero_pe"))
    ok &= check("finite losses, accuracies in [0, 100]", finite and in_range and bool(ref))

    r1 = torch_train(cfg_path, prefix, part, "--max-epochs", "1")
    r2 = torch_train(cfg_path, prefix, part)
    resumed = r1.returncode == 0 and r2.returncode == 0 and "resuming after epoch 1" in r2.stdout
    ok &= check("stopped after epoch 1 and resumed", resumed, (r1.stderr + r2.stderr).strip()[-300:])
    ok &= check("resumed run equals the uninterrupted one", resumed and rows(part) == ref)

    done = final_row(whole).get("epoch") == 3
    r = torch_train(cfg_path, prefix, whole)
    ok &= check("a finished run records its end and is not continued",
                done and "finished already" in r.stdout and rows(whole) == ref)

    # params.max_time (hours of epochs) ends a run with stop_reason max_time; --max-time
    # overrides it (0: no limit), so the same config then runs its three epochs.
    short = os.path.join(a.workdir, "short_time.json")
    with open(short, "w") as f:
        json.dump(dict(config, params=dict(config["params"], max_time=1e-9)), f)
    timed, unlimited = (os.path.join(a.workdir, d) for d in ("timed", "unlimited"))
    r = torch_train(short, prefix, timed)
    ok &= check("params.max_time stops after epoch 1 (stop_reason max_time)",
                r.returncode == 0 and final_row(timed).get("stop_reason") == "max_time"
                and len(rows(timed)) == 1,
                r.stderr.strip()[-300:])
    r = torch_train(short, prefix, unlimited, "--max-time", "0")
    ok &= check("--max-time 0 lifts the limit: the uninterrupted run's three epochs",
                r.returncode == 0 and rows(unlimited) == ref, r.stderr.strip()[-300:])

    r = torch_train(cfg_path, prefix, other, "--seed", "95")
    ok &= check("another seed, other numbers", r.returncode == 0 and rows(other) != ref)

    r = torch_train(cfg_path, os.path.join(data_dir, "cache", "no_such"), other + "_missing")
    ok &= check("missing cache: error naming the file",
                r.returncode != 0 and "no_such_train_pe10_n40.gtg" in r.stderr, r.stderr.strip())
    broken = os.path.join(a.workdir, "no_lr.json")
    with open(broken, "w") as f:
        json.dump(dict(config, params={k: v for k, v in config["params"].items() if k != "init_lr"}), f)
    r = torch_train(broken, prefix, other + "_no_lr")
    ok &= check("config without params.init_lr: error naming the file and key",
                r.returncode != 0 and "no_lr.json" in r.stderr and "init_lr" in r.stderr,
                r.stderr.strip())
    print("all passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
