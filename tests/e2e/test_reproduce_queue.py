#!/usr/bin/env python3
"""scripts/reproduce_paper.sh, the resumable queue behind the README's results table, with a
stand-in for gt (a shell script that logs its arguments and writes results.json):

  1. a run whose results.json is committed under results/ is done: --status says so and
     the queue does not start it again, though the runs directory is empty (a fresh
     machine); the other seeds of the cell start, one thread each;
  2. a run directory with a checkpoint continues with --resume;
  3. a run finished in the runs directory is not started again;
  4. --threads T gives each run T threads; a bad count is an error;
  5. --collect copies the logs into results/, but keeps a committed log that is longer
     than an unfinished run's (a run restarted on a new machine).

The script runs from a copy of the repository's layout (scripts/, results/) in the work
directory, so the real results/ is neither read nor written. Standard-library Python.
usage: test_reproduce_queue.py --gt PATH --workdir DIR   (--gt is unused: the stand-in)
"""
import os
import shutil
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check, parse_args  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FAKE_GT = """#!/bin/sh
# gt stand-in: logs its arguments; "train ... --out DIR" finishes the run at once.
echo "$*" >> "$(dirname "$0")/calls.log"
while [ $# -gt 0 ]; do
  if [ "$1" = --out ]; then mkdir -p "$2" && echo '{}' > "$2/results.json"; fi
  shift
done
"""


def main():
    a = parse_args()
    repo = os.path.join(a.workdir, "repo")
    os.makedirs(os.path.join(repo, "scripts"))
    script = os.path.join(repo, "scripts", "reproduce_paper.sh")
    shutil.copy(os.path.join(ROOT, "scripts", "reproduce_paper.sh"), script)
    committed = os.path.join(repo, "results", "zinc_sparse_bn_lappe_s41")
    os.makedirs(committed)
    with open(os.path.join(committed, "results.json"), "w") as f:
        f.write("{}\n")
    fake = os.path.join(a.workdir, "gt")
    with open(fake, "w") as f:
        f.write(FAKE_GT)
    os.chmod(fake, os.stat(fake).st_mode | stat.S_IEXEC)
    runs, log = os.path.join(a.workdir, "runs"), os.path.join(a.workdir, "calls.log")

    def queue(*args):
        return subprocess.run(["bash", script, "--runs", runs, "--gt", fake, *args],
                              capture_output=True, text=True, timeout=120)

    def calls():
        if not os.path.exists(log):
            return []
        with open(log) as f:
            return [line.split() for line in f if line.strip()]

    ok = True
    status = queue("--status", "--only", "zinc_sparse_bn_lappe_s").stdout
    lines = {line.split()[0]: line.split(None, 1)[1] for line in status.splitlines() if line.strip()}
    ok &= check("--status: a committed run is done, the others not started",
                lines.get("zinc_sparse_bn_lappe_s41", "").startswith("done (committed") and
                lines.get("zinc_sparse_bn_lappe_s95") == "not started", status.strip())

    r = queue("--jobs", "1", "--only", "zinc_sparse_bn_lappe_s")
    seeds = sorted(c[c.index("--seed") + 1] for c in calls() if "--seed" in c)
    ok &= check("the queue skips the committed seed and runs the others",
                r.returncode == 0 and seeds == ["22", "35", "95"], f"seeds run: {seeds}")
    ok &= check("one thread each, no --resume for new runs",
                all(c[c.index("--threads") + 1] == "1" and "--resume" not in c for c in calls()))

    nope = os.path.join(runs, "zinc_sparse_bn_nope_s41")
    os.makedirs(nope)
    open(os.path.join(nope, "checkpoint.safetensors"), "w").close()
    before = len(calls())
    queue("--jobs", "1", "--only", "zinc_sparse_bn_nope_s41")
    new = calls()[before:]
    ok &= check("a run with a checkpoint continues with --resume",
                len(new) == 1 and "--resume" in new[0] and
                "configs/zinc_sparse_bn_nope.json" in new[0], str(new))

    before = len(calls())
    queue("--jobs", "1", "--only", "zinc_sparse_bn_lappe_s")
    ok &= check("runs finished in the runs directory are not started again",
                len(calls()) == before, str(calls()[before:]))
    before = len(calls())
    queue("--jobs", "1", "--threads", "2", "--only", "zinc_sparse_bn_nope_s95")
    new = calls()[before:]
    ok &= check("--threads 2: the run gets two threads",
                len(new) == 1 and new[0][new[0].index("--threads") + 1] == "2", str(new))
    r = queue("--threads", "0")
    ok &= check("--threads 0 is an error", r.returncode == 2 and "--threads" in r.stderr, r.stderr)

    # --collect: an unfinished run shorter than its committed log, and a new one.
    with open(os.path.join(repo, "scripts", "update_readme_results.py"), "w") as f:
        f.write("print('readme regenerated')\n")
    for name, n_runs, n_committed in (("pattern_sparse_bn_lappe_s95", 2, 3),
                                      ("cluster_sparse_bn_lappe_s12", 2, 0)):
        os.makedirs(os.path.join(runs, name), exist_ok=True)
        with open(os.path.join(runs, name, "metrics.jsonl"), "w") as f:
            f.writelines('{"epoch":%d,"lr":0.0005}\n' % (e + 1) for e in range(n_runs))
        if n_committed:
            os.makedirs(os.path.join(repo, "results", name))
            with open(os.path.join(repo, "results", name, "metrics.jsonl"), "w") as f:
                f.writelines('{"epoch":%d,"lr":0.0005}\n' % (e + 1) for e in range(n_committed))

    def committed_epochs(name):
        path = os.path.join(repo, "results", name, "metrics.jsonl")
        if not os.path.exists(path):
            return 0
        with open(path) as f:
            return sum(1 for line in f if line.strip())

    r = queue("--collect")
    ok &= check("--collect keeps a longer committed log and copies a new one",
                r.returncode == 0 and committed_epochs("pattern_sparse_bn_lappe_s95") == 3 and
                committed_epochs("cluster_sparse_bn_lappe_s12") == 2 and
                "kept results/pattern_sparse_bn_lappe_s95" in r.stdout, r.stdout + r.stderr)
    print("all passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
