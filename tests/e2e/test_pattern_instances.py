#!/usr/bin/env python3
"""scripts/pattern_instances.py, PATTERN accuracy per pattern instance:

  1. on a hand-written predictions CSV (two instances of two graphs each, batches of
     three graphs): the whole-split accuracy, the batch mean, the node- and
     instance-weighted pattern recall and the per-size rows equal values computed by hand;
  2. an instance whose graphs have different pattern sizes (the split is not in the
     official order), a CSV without the node columns, a non-integer label and a missing
     file are errors naming the file (and line).

usage: test_pattern_instances.py --workdir DIR
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "pattern_instances.py")

# (label, predicted) per node of each graph. Instance 0 (graphs 0, 1) has a
# one-node pattern, instance 1 (graphs 2, 3) a two-node one.
GRAPHS = [
    [(1, 1), (0, 0), (0, 1)],
    [(1, 0), (0, 0), (0, 0)],
    [(1, 1), (1, 1), (0, 0)],
    [(1, 1), (1, 0), (0, 1)],
]


def write_csv(path, graphs, header="graph,node,label,predicted,output_0,output_1"):
    with open(path, "w") as f:
        f.write(header + "\n")
        for g, nodes in enumerate(graphs):
            for i, (y, p) in enumerate(nodes):
                f.write(f"{g},{i},{y},{p},0.5,-0.5\n")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    ok = True

    good = os.path.join(a.workdir, "good.csv")
    write_csv(good, GRAPHS)
    r = run(good, "--per", "2", "--batch", "3", "--bins", "1,2,3")
    out = r.stdout
    ok &= check("runs on a valid CSV", r.returncode == 0, r.stderr.strip())
    # Whole split: pattern nodes 4 of 6 found, other nodes 4 of 6: 66.6667.
    ok &= check("whole-split accuracy by hand", "whole split: 66.6667" in out, out)
    # Batches (g0-g2): recall 3/4 and 4/5 -> 77.5; (g3): 1/2 and 0/1 -> 25; mean 51.25.
    ok &= check("batch mean by hand", "batch mean (3 graphs, file order): 51.2500" in out, out)
    ok &= check("pattern recall weightings", "node-weighted 66.67, instance-weighted 62.50" in out, out)
    ok &= check("row of the one-node pattern", "| 1-1 | 1 | 2 | 50.00 | 75.00 |" in out, out)
    ok &= check("row of the two-node pattern", "| 2-2 | 1 | 4 | 75.00 | 50.00 |" in out, out)

    mixed = os.path.join(a.workdir, "mixed.csv")
    write_csv(mixed, [GRAPHS[0], GRAPHS[2], GRAPHS[1], GRAPHS[3]])
    r = run(mixed, "--per", "2", "--batch", "3")
    ok &= check("instances with mixed pattern sizes are an error",
                r.returncode != 0 and "instance 0" in r.stderr and "official order" in r.stderr, r.stderr)

    graph_level = os.path.join(a.workdir, "graph_level.csv")
    with open(graph_level, "w") as f:
        f.write("graph,target_0,output_0\n0,1.5,1.2\n")
    r = run(graph_level)
    ok &= check("a graph-level CSV is an error naming the file",
                r.returncode != 0 and "graph_level.csv" in r.stderr and "node-level" in r.stderr, r.stderr)

    bad = os.path.join(a.workdir, "bad.csv")
    write_csv(bad, GRAPHS)
    with open(bad) as f:
        lines = f.read().splitlines()
    lines[3] = "0,2,x,0,0.5,-0.5"
    with open(bad, "w") as f:
        f.write("\n".join(lines) + "\n")
    r = run(bad, "--per", "2")
    ok &= check("a non-integer label names file and line", r.returncode != 0 and "bad.csv:4" in r.stderr,
                r.stderr)

    r = run(os.path.join(a.workdir, "missing.csv"))
    ok &= check("a missing file is named", r.returncode != 0 and "missing.csv" in r.stderr, r.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
