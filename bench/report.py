#!/usr/bin/env python3
"""Formats one model's gt-vs-PyTorch measurements (bench/run.sh; standard library only).

    bench/report.py --model zinc --gt GT.json... --pytorch PT.json... [--note TEXT]

Each input file holds the JSON line of one run: `gt bench --dump FILE` (its last line) or
`bench/pytorch_step.py --dump FILE`, all on the same parity dump. Prints a markdown table
(one row per run) and then one JSON line (schema below) for tracking. Exit code 1 if the
runs did not time the same batch.

Columns (stable; new ones are only ever appended):
  engine, config         gt: GEMM back-end and threads; PyTorch: threads and OpenBLAS core type
  ms/step                median (p10-p90) of the timed training steps
  vs PyTorch best        PyTorch's fastest median / this row's median (> 1: faster)
  GEMM GFLOP/s           effective: GEMM FLOPs of a step (counted by gt's sgemm on this batch,
                         the same matrix products for both engines) / median step time
  GEMM peak              GFLOP/s of one large square GEMM by that engine (gt: ops::sgemm,
                         PyTorch: torch.mm) at the same threads, measured in the same run
  % of peak              effective / peak
  peak RSS MiB           maximum resident memory of the process
  inference              eval-mode forward throughput: graphs/s (graph tasks) or nodes/s
                         (node tasks)

JSON line: {"bench": "gt_vs_pytorch", "schema": 1, "model", "dataset", "date", "cpu",
"cores", "loadavg", "graphs", "nodes", "edges", "params", "steps", "warmup",
"gemm_gflop_per_step", "infer_unit", "gt_best": ROW, "pytorch_best": ROW, "speedup",
"rows": [ROW...]} with ROW = {"engine", "config", "threads", "openblas_coretype",
"ms_median", "ms_p10", "ms_p90", "ms_min", "ms_max", "effective_gflops",
"gemm_peak_gflops", "peak_fraction", "peak_rss_mib", "infer_per_s"}.
"""

import argparse
import datetime
import json
import os
import sys


def last_json(path):
    with open(path) as f:
        lines = [ln for ln in f.read().splitlines() if ln.strip().startswith("{")]
    if not lines:
        sys.exit(f"{path}: no JSON line")
    return json.loads(lines[-1])


def gt_row(r, infer_key):
    return {
        "engine": "gt", "config": "%s GEMM, %d thread%s" % (r["gemm"], r["threads"], "s" * (r["threads"] > 1)),
        "threads": r["threads"], "openblas_coretype": None,
        "ms_median": r["ms_median"], "ms_p10": r["ms_p10"], "ms_p90": r["ms_p90"],
        "ms_min": r["ms_min"], "ms_max": r["ms_max"],
        "effective_gflops": r["effective_gflops"], "gemm_peak_gflops": r["gemm_peak_gflops"],
        "peak_rss_mib": r["peak_rss_mib"], "infer_per_s": r["infer_" + infer_key + "_per_s"],
        "gemm_floor_ms": r.get("gemm_floor_ms"),  # absent from outputs of gt before 2026-11-28
    }


def pytorch_row(r, infer_key, gflop_per_step):
    core = r["openblas_coretype"]
    label = "OpenBLAS as detected" if core == "detected" else "OPENBLAS_CORETYPE=" + core
    if r.get("openblas_core") and r["openblas_core"] != core:  # the kernels OpenBLAS chose
        label += " (%s)" % r["openblas_core"]
    elif "openblas_core" in r and not r["openblas_core"]:   # torch loaded no OpenBLAS
        label = "reference BLAS (no OpenBLAS loaded)"
    return {
        "engine": "PyTorch " + r["torch"],
        "config": "%d thread%s, %s" % (r["threads"], "s" * (r["threads"] > 1), label),
        "threads": r["threads"], "openblas_coretype": core,
        "ms_median": r["median_ms"], "ms_p10": r["p10_ms"], "ms_p90": r["p90_ms"],
        "ms_min": r["min_ms"], "ms_max": r["max_ms"],
        "effective_gflops": gflop_per_step / (r["median_ms"] / 1e3),
        "gemm_peak_gflops": r["gemm_peak_gflops"],
        "peak_rss_mib": r["peak_rss_mib"], "infer_per_s": r["infer_" + infer_key + "_per_s"],
    }


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    return cpu, os.cpu_count(), round(os.getloadavg()[0], 2)


def check_same_batch(gts, pts):
    shapes = {(round(g["mean_nodes"]), round(g["mean_edges"]), g["batch_size"], g["params"]) for g in gts}
    shapes |= {(p["nodes"], p["edges"], p["graphs"], p["params"]) for p in pts}
    if len(shapes) != 1:
        sys.exit("the runs did not time the same batch and model: (nodes, edges, graphs, params) = %s"
                 % sorted(shapes))


def table(rows, infer_unit, pt_best_ms):
    out = ["| engine | config | ms/step median (p10-p90) | vs PyTorch best | GEMM GFLOP/s | "
           "GEMM peak GFLOP/s | %% of peak | peak RSS MiB | inference %s/s |" % infer_unit,
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append("| %s | %s | %.1f (%.1f-%.1f) | %.2fx | %.1f | %.1f | %.1f%% | %.0f | %.0f |" % (
            r["engine"], r["config"], r["ms_median"], r["ms_p10"], r["ms_p90"],
            pt_best_ms / r["ms_median"], r["effective_gflops"], r["gemm_peak_gflops"],
            100.0 * r["peak_fraction"], r["peak_rss_mib"], r["infer_per_s"]))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--gt", nargs="+", required=True)
    ap.add_argument("--pytorch", nargs="+", required=True)
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    gts, pts = [last_json(p) for p in a.gt], [last_json(p) for p in a.pytorch]
    check_same_batch(gts, pts)
    g0 = gts[0]
    infer_key = "graphs" if g0["dataset"] == "ZINC" else "nodes"
    gflop = g0["gemm_gflop_per_step"]
    rows = [gt_row(r, infer_key) for r in gts] + [pytorch_row(r, infer_key, gflop) for r in pts]
    for r in rows:
        r["peak_fraction"] = r["effective_gflops"] / r["gemm_peak_gflops"]
    gt_best = min((r for r in rows if r["engine"] == "gt"), key=lambda r: r["ms_median"])
    pt_best = min((r for r in rows if r["engine"] != "gt"), key=lambda r: r["ms_median"])
    cpu, cores, load = machine()
    print("### %s: %d graphs, %d nodes, %d edges per batch (%s); %d parameters" % (
        a.model, g0["batch_size"], round(g0["mean_nodes"]), round(g0["mean_edges"]),
        g0["dataset"], g0["params"]))
    print("\n%d timed steps after %d warm-up; GEMM work %.3f GFLOP per step (only GEMM FLOPs "
          "are counted). %s, %d cores, load average %.2f at the end.%s\n" % (
              g0["steps"], g0["warmup"], gflop, cpu, cores, load, (" " + a.note) if a.note else ""))
    print(table(rows, infer_key, pt_best["ms_median"]))
    print("\ngt best: %s, %.1f ms/step; PyTorch best: %s, %.1f ms/step; speed-up %.2fx\n" % (
        gt_best["config"], gt_best["ms_median"], pt_best["config"], pt_best["ms_median"],
        pt_best["ms_median"] / gt_best["ms_median"]))
    floors = ["%.1f ms at %d thread%s" % (r["gemm_floor_ms"], r["threads"], "s" * (r["threads"] > 1))
              for r in rows if r["engine"] == "gt" and r.get("gemm_floor_ms")]
    if floors:
        print("gt's GEMMs alone (the step's sgemm calls replayed one by one in cache, best of the "
              "peak's repetitions): %s.\n" % ", ".join(floors))
    print(json.dumps({
        "bench": "gt_vs_pytorch", "schema": 1, "model": a.model, "dataset": g0["dataset"],
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpu": cpu, "cores": cores, "loadavg": load,
        "graphs": g0["batch_size"], "nodes": round(g0["mean_nodes"]), "edges": round(g0["mean_edges"]),
        "params": g0["params"], "steps": g0["steps"], "warmup": g0["warmup"],
        "gemm_gflop_per_step": gflop, "infer_unit": infer_key + "/s",
        "gt_best": gt_best, "pytorch_best": pt_best,
        "speedup": pt_best["ms_median"] / gt_best["ms_median"], "rows": rows,
    }))


if __name__ == "__main__":
    main()
