#!/usr/bin/env python3
"""PATTERN accuracy per pattern instance, from a predictions CSV.

Input: `gt eval --official-order --predictions FILE` on a PATTERN val or test
split. In the official order each pattern instance's graphs are consecutive
(--per graphs each: 20 in val and test), so graph g belongs to instance
g // per. Prints:
  - the whole-split accuracy (mean of the two classes' recall over all nodes)
    and the batch mean over consecutive batches of --batch graphs (the
    official protocol's number; equals gt eval's when the order is official);
  - recall of pattern nodes and of the other nodes per instance size n0, in
    bins, and the instance-weighted against the node-weighted pattern recall:
    instance-grouped batches weight each instance alike, mixed batches by its
    number of pattern nodes.
Plain Python; no third-party modules.
"""
import argparse
import csv
import sys


def read_rows(path):
    """Per graph: list of (label, predicted)."""
    graphs = {}
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            need = {"graph", "node", "label", "predicted"}
            if not reader.fieldnames or not need <= set(reader.fieldnames):
                sys.exit(f"{path}: not a node-level predictions CSV (needs columns {sorted(need)})")
            for line, row in enumerate(reader, start=2):
                try:
                    g, y, p = int(row["graph"]), int(row["label"]), int(row["predicted"])
                except (TypeError, ValueError):
                    sys.exit(f"{path}:{line}: graph, label and predicted must be integers")
                graphs.setdefault(g, []).append((y, p))
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}")
    if not graphs:
        sys.exit(f"{path}: no rows")
    if sorted(graphs) != list(range(len(graphs))):
        sys.exit(f"{path}: graph numbers are not 0..{len(graphs) - 1}")
    return [graphs[g] for g in range(len(graphs))]


def counts(rows):
    """[hits, total] per class 0 and 1."""
    c = [[0, 0], [0, 0]]
    for y, p in rows:
        if y not in (0, 1):
            raise ValueError(f"label {y} is not 0 or 1 (PATTERN has two classes)")
        c[y][1] += 1
        c[y][0] += int(p == y)
    return c


def balanced(c):
    """The official accuracy of one batch (accuracy_SBM): the recalls of the classes
    present, summed, over the number of classes."""
    present = [h / n for h, n in c if n]
    return 100.0 * sum(present) / len(c)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("predictions", help="CSV from gt eval --official-order --predictions")
    ap.add_argument("--per", type=int, default=20, help="graphs per instance (val/test 20, train 100)")
    ap.add_argument("--batch", type=int, default=26, help="batch size of the batch mean (PATTERN: 26)")
    ap.add_argument("--bins", default="5,10,15,20,25,30,35", help="n0 bin edges")
    a = ap.parse_args(argv)
    graphs = read_rows(a.predictions)
    if len(graphs) % a.per:
        sys.exit(f"{a.predictions}: {len(graphs)} graphs is not a multiple of --per {a.per}")
    try:
        whole = counts([r for g in graphs for r in g])
        batch_means = [balanced(counts([r for g in graphs[i:i + a.batch] for r in g]))
                       for i in range(0, len(graphs), a.batch)]
        instances = []
        for k in range(len(graphs) // a.per):
            members = graphs[k * a.per:(k + 1) * a.per]
            sizes = {sum(y for y, _ in g) for g in members}
            if len(sizes) != 1:
                sys.exit(f"{a.predictions}: instance {k} (graphs {k * a.per}..{(k + 1) * a.per - 1}) has "
                         f"pattern sizes {sorted(sizes)}: not in the official order?")
            instances.append((sizes.pop(), counts([r for g in members for r in g])))
    except ValueError as e:
        sys.exit(f"{a.predictions}: {e}")

    print(f"graphs {len(graphs)}, instances {len(instances)}")
    print(f"whole split: {balanced(whole):.4f}   batch mean ({a.batch} graphs, file order): "
          f"{sum(batch_means) / len(batch_means):.4f}")
    node_weighted = 100.0 * whole[1][0] / whole[1][1]
    instance_weighted = 100.0 * sum(c[1][0] / c[1][1] for _, c in instances) / len(instances)
    print(f"pattern-node recall: node-weighted {node_weighted:.2f}, instance-weighted {instance_weighted:.2f}")
    edges = [int(x) for x in a.bins.split(",")]
    print("\n| n0 | instances | pattern nodes | recall, pattern nodes | recall, other nodes |")
    print("|---|---|---|---|---|")
    for lo, hi in zip(edges, edges[1:]):
        sel = [c for n0, c in instances if lo <= n0 < hi]
        if not sel:
            continue
        pos = [sum(c[1][0] for c in sel), sum(c[1][1] for c in sel)]
        neg = [sum(c[0][0] for c in sel), sum(c[0][1] for c in sel)]
        print(f"| {lo}-{hi - 1} | {len(sel)} | {pos[1]} | {100.0 * pos[0] / pos[1]:.2f} | "
              f"{100.0 * neg[0] / neg[1]:.2f} |")


if __name__ == "__main__":
    main()
