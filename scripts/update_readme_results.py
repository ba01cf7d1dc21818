#!/usr/bin/env python3
"""Regenerates the README's results section from the committed logs
(scripts/results_table.py) between the results-table markers.
With --check, exits 1 if the README differs from what the logs say."""
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BEGIN, END = "<!-- results-table:begin -->", "<!-- results-table:end -->"


def main():
    table = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "results_table.py")],
                           check=True, capture_output=True, text=True).stdout
    path = os.path.join(ROOT, "README.md")
    with open(path) as f:
        text = f.read()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + BEGIN + "\n" + table + END + tail
    if "--check" in sys.argv:
        if new != text:
            print("README results section differs from scripts/results_table.py output; "
                  "run scripts/update_readme_results.py")
            return 1
        print("README results section matches the committed logs")
        return 0
    with open(path, "w") as f:
        f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
