#!/usr/bin/env python3
"""End-to-end tests of `gt train` (standard library only).

  1. the training loss falls over a short run;
  2. the same seed and thread count give identical metrics.jsonl;
  3. a run killed with SIGKILL mid-way and continued with --resume ends with
     the same metrics and final numbers as an uninterrupted run.

usage: test_training.py --gt PATH --config FILE --workdir DIR
"""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check, parse_args  # noqa: E402

TIME_KEYS = {"seconds", "train_seconds"}


def metrics(run_dir):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [{k: v for k, v in r.items() if k not in TIME_KEYS} for r in rows]


def results(run_dir):
    with open(os.path.join(run_dir, "results.json")) as f:
        r = json.load(f)
    return {k: r[k] for k in ("epochs", "train_mae", "val_mae", "test_mae")}


def train(gt, config, out, *extra):
    cmd = [gt, "train", "--config", config, "--out", out, "--threads", "2", *extra]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def killed_and_resumed(gt, config, out, kill_after_epochs, epochs):
    """Starts a run, SIGKILLs it once `kill_after_epochs` epochs are logged, resumes it."""
    os.makedirs(out, exist_ok=True)
    cmd = [gt, "train", "--config", config, "--out", out, "--threads", "2", "--epochs", str(epochs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = os.path.join(out, "metrics.jsonl")
    deadline = time.time() + 600
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(log) and len(open(log).readlines()) >= kill_after_epochs:
            break
        time.sleep(0.01)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    train(gt, config, out, "--epochs", str(epochs), "--resume")
    return killed


def main():
    a = parse_args("config")
    passed = failed = 0

    def tally(ok):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)

    run1, run2, run3 = (os.path.join(a.workdir, n) for n in ("run1", "run2", "killed"))
    train(a.gt, a.config, run1, "--epochs", "6")
    m1 = metrics(run1)
    losses = [r["train_loss"] for r in m1]
    tally(check("training loss falls", len(losses) == 6 and losses[-1] < 0.9 * losses[0],
                "train loss by epoch: " + ", ".join("%.4f" % x for x in losses)))
    train(a.gt, a.config, run2, "--epochs", "6")
    tally(check("same seed, same threads: identical metrics.jsonl", metrics(run2) == m1))
    tally(check("same seed, same threads: identical results.json", results(run2) == results(run1)))
    killed = killed_and_resumed(a.gt, a.config, run3, kill_after_epochs=3, epochs=6)
    tally(check("run was killed mid-way", killed))
    tally(check("killed + resumed == uninterrupted (metrics.jsonl)", metrics(run3) == m1))
    tally(check("killed + resumed == uninterrupted (results.json)", results(run3) == results(run1),
                json.dumps(results(run3))))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
