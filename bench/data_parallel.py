#!/usr/bin/env python3
"""Data-parallel scaling of `gt train` on ZINC (standard library only).

    bench/data_parallel.py [--gt build/gt] [--mpirun mpiexec] [--graphs 2560] [--repeats 3]

Trains two epochs of the paper's ZINC model (configs/zinc_sparse_bn_lappe.json,
batch 128) on the first --graphs training graphs and times the second (the
first one warms up: page faults, oneDNN's kernels for each new shape), --repeats
times for each of
  1 process  x 1 thread,  1 process x 2 threads,  2 ranks (mpirun) x 1 thread,
and prints a markdown table: median ms per training step (metrics.jsonl's
train_seconds / steps: the steps alone, no evaluation), the time spent in
collectives (comm_seconds, waiting for the other rank included), speed-up
over 1 x 1 and scaling efficiency = speed-up / cores. Run it on a quiet
machine; the launcher flags root and oversubscription need are set through
OpenMPI's environment variables.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def epoch(gt, mpirun, config, ranks, threads, workdir, tag):
    out = os.path.join(workdir, tag)
    cmd = [gt, "train", "--config", config, "--out", out, "--epochs", "2", "--threads", str(threads)]
    if ranks > 1:
        cmd = [mpirun, "-np", str(ranks)] + cmd
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    with open(os.path.join(out, "metrics.jsonl")) as f:
        row = [json.loads(line) for line in f][1]  # the second epoch: the first one warms up
    return row["train_seconds"], row.get("comm_seconds", 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gt", default=os.path.join(ROOT, "build", "gt"))
    ap.add_argument("--mpirun", default="mpiexec")
    ap.add_argument("--graphs", type=int, default=2560)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    with open(os.path.join(ROOT, "configs", "zinc_sparse_bn_lappe.json")) as f:
        cfg = json.load(f)
    cfg["max_num_graphs"] = a.graphs
    steps = math.ceil(a.graphs / cfg["params"]["batch_size"])
    cells = [("1 process x 1 thread", 1, 1), ("1 process x 2 threads", 1, 2), ("2 ranks x 1 thread", 2, 1)]
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "zinc.json")
        with open(config, "w") as f:
            json.dump(cfg, f)
        results = {c[0]: [] for c in cells}
        for r in range(a.repeats):  # interleaved, so drifts in machine load hit every cell alike
            for name, ranks, threads in cells:
                results[name].append(epoch(a.gt, a.mpirun, config, ranks, threads, work, "%s-%d" % (ranks * 10 + threads, r)))
    base = statistics.median(t for t, _ in results[cells[0][0]]) / steps * 1000
    print("ZINC, %d graphs (%d steps of %d), median of %d second epochs each\n" % (a.graphs, steps, cfg["params"]["batch_size"], a.repeats))
    print("| run | ms/step | of which in collectives | speed-up vs 1x1 | scaling efficiency |")
    print("|---|---|---|---|---|")
    for name, ranks, threads in cells:
        ms = statistics.median(t for t, _ in results[name]) / steps * 1000
        comm = statistics.median(c for _, c in results[name]) / steps * 1000
        cores = ranks * threads
        print("| %s | %.1f | %s | %.2f | %.0f%% |" % (name, ms, "%.1f ms" % comm if ranks > 1 else "-", base / ms,
                                                   100 * base / ms / cores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
