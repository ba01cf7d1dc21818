#!/usr/bin/env python3
"""Regenerates the README's generated sections from committed logs:
  results-table   `gt report results` over results/<run>/ (training runs); the gt
                  binary is $GT_BIN, else build/gt; without either,
                  scripts/results_table.py (the same table, said on stderr)
  bench-tables    the reports bench/run.sh wrote into results/bench/ (performance)
  own-data-table  scripts/own_data_table.py over results/own_data/ (OGB and TU runs)
each between its begin/end markers. With --check, exits 1 if the README
differs from what the logs say."""
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BENCH_DIR = os.path.join(ROOT, "results", "bench")
BENCH_MODELS = ("zinc", "pattern", "cluster")


def gt_binary():
    """$GT_BIN if set, else build/gt under the repository root; None if neither exists."""
    env = os.environ.get("GT_BIN")
    if env:
        if os.path.isfile(env) and os.access(env, os.X_OK):
            return env
        print("update_readme_results.py: $GT_BIN=%s is not an executable file" % env, file=sys.stderr)
    path = os.path.join(ROOT, "build", "gt")
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return None


def results_table():
    gt = gt_binary()
    if gt:
        p = subprocess.run([gt, "report", os.path.join(ROOT, "results")],
                           capture_output=True, text=True)
        if p.returncode == 0:
            return p.stdout
        if 'unknown command "report"' not in p.stderr:
            sys.stderr.write(p.stderr)
            raise SystemExit("update_readme_results.py: %s report failed (exit %d)" % (gt, p.returncode))
        print("update_readme_results.py: %s has no report command (an old build); "
              "using scripts/results_table.py for the results table" % gt, file=sys.stderr)
    else:
        print("update_readme_results.py: no gt binary ($GT_BIN or build/gt); "
              "using scripts/results_table.py for the results table", file=sys.stderr)
    return subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "results_table.py")],
                          check=True, capture_output=True, text=True).stdout


def bench_tables():
    """The markdown reports of the committed benchmark run, in model order."""
    parts = []
    for model in BENCH_MODELS:
        path = os.path.join(BENCH_DIR, model + ".md")
        if os.path.exists(path):
            with open(path) as f:
                # report.py's output: tables and a summary line; the tracking JSON line stays in the file.
                lines = [l for l in f.read().splitlines() if not l.startswith("{")]
            parts.append("\n".join(lines).strip() + "\n")
    if not parts:
        return "(no benchmark committed under results/bench/)\n"
    return "\n".join(parts)


def data_parallel_table():
    """bench/data_parallel.py's committed output."""
    path = os.path.join(BENCH_DIR, "data_parallel.md")
    if not os.path.exists(path):
        return "(no data-parallel benchmark committed under results/bench/)\n"
    with open(path) as f:
        return f.read().strip() + "\n"


def own_data_table():
    return subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "own_data_table.py")],
                          check=True, capture_output=True, text=True).stdout


SECTIONS = (("results-table", results_table), ("bench-tables", bench_tables),
            ("own-data-table", own_data_table), ("data-parallel-table", data_parallel_table))


def render(text):
    for name, make in SECTIONS:
        begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
        if begin not in text:
            continue
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + begin + "\n" + make() + end + tail
    return text


def main():
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        text = f.read()
    new = render(text)
    if "--check" in sys.argv:
        if new != text:
            print("README generated sections differ from the committed logs; "
                  "run scripts/update_readme_results.py")
            return 1
        print("README generated sections match the committed logs")
        return 0
    with open(path, "w") as f:
        f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
