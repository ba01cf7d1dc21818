#!/usr/bin/env python3
"""Smoke test of the benchmark pipeline (ctest: bench_smoke; no timing assertions).

  1. `gt bench --config` on real training batches prints a JSON line with every field
     (GEMM FLOPs counted, GEMM peak, inference throughput, peak RSS) and sane values;
  2. `gt bench --dump` times a parity dump's batch: its JSON describes that batch;
  3. with --torch-python: bench/pytorch_step.py on the same dump, and bench/report.py
     on both, which must agree that the batch is the same and print the table and JSON.

usage: test_bench.py --gt PATH --tool PATH --config FILE --workdir DIR [--torch-python PY]
"""
import argparse
import json
import math
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
QUICK = ["--steps", "2", "--warmup", "1", "--threads", "1", "--peak-size", "128"]
GT_FIELDS = ["dataset", "source", "batch_size", "mean_nodes", "mean_edges", "params", "threads",
             "gemm", "steps", "warmup", "ms_median", "ms_p10", "ms_p90", "ms_min", "ms_max",
             "flops_counted", "gemm_gflop_per_step", "effective_gflops", "gemm_peak_gflops",
             "gemm_peak_median_gflops", "gemm_peak_size", "peak_fraction", "infer_ms_median",
             "infer_graphs_per_s", "infer_nodes_per_s", "arena_mib", "peak_rss_mib",
             "gemm_floor_ms", "gemm_floor_gflops", "gemm_floor_calls", "gemm_floor_shapes"]
POSITIVE = ["mean_nodes", "mean_edges", "ms_median", "gemm_gflop_per_step", "effective_gflops",
            "gemm_peak_gflops", "peak_fraction", "infer_graphs_per_s", "infer_nodes_per_s",
            "peak_rss_mib", "gemm_floor_ms", "gemm_floor_gflops", "gemm_floor_calls",
            "gemm_floor_shapes"]
failures = []


def check(name, ok, detail=""):
    print(("PASS" if ok else "FAIL") + "  " + name + ("  " + detail if detail else ""))
    if not ok:
        failures.append(name)
    return ok


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("command failed (%d): %s\n%s%s" % (r.returncode, " ".join(cmd), r.stdout, r.stderr))
    return r.stdout


def last_json(text):
    return json.loads([ln for ln in text.splitlines() if ln.startswith("{")][-1])


def check_gt_json(name, j):
    missing = [k for k in GT_FIELDS if k not in j]
    check(name + ": every field present", not missing, "missing %s" % missing if missing else "")
    bad = [k for k in POSITIVE if not (isinstance(j.get(k), (int, float)) and j[k] > 0
                                       and math.isfinite(j[k]))]
    check(name + ": counts, rates and RSS positive", not bad, "bad %s" % bad if bad else "")
    check(name + ": p10 <= median <= p90", j["ms_p10"] <= j["ms_median"] <= j["ms_p90"])
    check(name + ": only GEMM FLOPs counted", j["flops_counted"] == "gemm")
    check(name + ": GEMM floor replays fewer problems than calls",
          j["gemm_floor_shapes"] <= j["gemm_floor_calls"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gt", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--torch-python")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)

    out = run([a.gt, "bench", "--config", a.config] + QUICK)
    j = last_json(out)
    check_gt_json("config mode", j)
    check("config mode: text report names what is counted", "only GEMM FLOPs are counted" in out)

    dump = os.path.join(a.workdir, "bench_smoke.safetensors")
    run([a.tool, "--variant", "zinc_bn_lappe", "--graphs", "4", "--out", dump])
    gt_out = os.path.join(a.workdir, "gt.txt")
    text = run([a.gt, "bench", "--dump", dump] + QUICK)
    open(gt_out, "w").write(text)
    d = last_json(text)
    check_gt_json("dump mode", d)
    check("dump mode: times the dump's 4 graphs", d["batch_size"] == 4 and d["source"].startswith("dump "))
    check("dump mode: the paper's ZINC model", d["params"] == 588929, str(d["params"]))
    # The floor replays the very step that was timed: same GEMM work.
    floor_gflop = d["gemm_floor_gflops"] * d["gemm_floor_ms"] / 1e3
    check("dump mode: GEMM floor covers the step's GEMM work",
          abs(floor_gflop - d["gemm_gflop_per_step"]) <= 1e-6 * d["gemm_gflop_per_step"] + 1e-9,
          "%.9f vs %.9f GFLOP" % (floor_gflop, d["gemm_gflop_per_step"]))

    if a.torch_python:
        pt_out = os.path.join(a.workdir, "pytorch.json")
        text = run([a.torch_python, os.path.join(ROOT, "bench", "pytorch_step.py"), "--dump", dump]
                   + QUICK)
        open(pt_out, "w").write(text)
        p = last_json(text)
        check("pytorch: same batch as gt", (p["graphs"], p["nodes"], p["edges"]) ==
              (d["batch_size"], round(d["mean_nodes"]), round(d["mean_edges"])))
        check("pytorch: inference and RSS fields",
              p["infer_graphs_per_s"] > 0 and p["infer_nodes_per_s"] > 0 and p["peak_rss_mib"] > 0)
        rep = run([sys.executable, os.path.join(ROOT, "bench", "report.py"), "--model", "zinc",
                   "--gt", gt_out, "--pytorch", pt_out])
        r = last_json(rep)
        check("report: table and JSON line", "| engine | config |" in rep and
              r["bench"] == "gt_vs_pytorch" and len(r["rows"]) == 2 and r["speedup"] > 0)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
