#!/usr/bin/python3
"""The GPU PyTorch SBM trainer (scripts/torch_train_sbm_gpu.py) and its data pack
(scripts/sbm_pack.py), on the CPU (the CUDA graph path runs only where a GPU is; its
self-test there compares replayed steps with eager ones):

  1. its self-test: the padded model equals the parity oracle (outputs, loss, gradients,
     BatchNorm running statistics) and the per-batch accuracy hand-computed values;
  2. sbm_pack.py packs gt's tiny CLUSTER draw; the trainer's recomputed Laplacian encodings
     match gt's (pe_check.json);
  3. two epochs of a 2-layer model: the same metrics as the CPU trainer
     (torch_train_sbm.py: dense attention per size group, no padding to one shape) on the
     same draw and seed, to float32 round-off; a run stopped after epoch 1 and started
     again continues to the same metrics.jsonl;
  4. a missing pack, or a file that is not one, is an error naming the file.

Needs Debian's python3-torch (/usr/bin/python3). usage: test_torch_sbm_gpu.py --gt PATH --workdir DIR
"""
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check, parse_args, tiny_sbm_draw  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GPU_TRAINER = os.path.join(ROOT, "scripts", "torch_train_sbm_gpu.py")
CPU_TRAINER = os.path.join(ROOT, "scripts", "torch_train_sbm.py")
PACK = os.path.join(ROOT, "scripts", "sbm_pack.py")
PY = "/usr/bin/python3"


def run(*cmd):
    return subprocess.run([PY, *cmd], capture_output=True, text=True)


def rows(run_dir, drop=("seconds", "device", "torch", "step")):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        return [{k: v for k, v in json.loads(line).items() if k not in drop}
                for line in f if line.strip()]


def main():
    a = parse_args()
    ok = True
    r = run(GPU_TRAINER, "--selftest", "--device", "cpu")
    ok &= check("selftest", r.returncode == 0, (r.stdout + r.stderr).strip().replace("\n", "; "))

    _, cfg_path, prefix = tiny_sbm_draw(a.gt, a.workdir, "cluster", epochs=2, L=2)
    pack = os.path.join(a.workdir, "pack.npz")
    r = run(PACK, prefix + "_", pack, "--pe-check", "val", "--pe-check", "test")
    ok &= check("pack written", r.returncode == 0 and os.path.exists(pack), r.stderr.strip())
    gtg_bytes = sum(os.path.getsize(os.path.join(os.path.dirname(prefix), f))
                    for f in os.listdir(os.path.dirname(prefix)))
    ok &= check("pack is smaller than the cache, encodings aside",
                os.path.exists(pack) and os.path.getsize(pack) < gtg_bytes / 3,
                f"{os.path.getsize(pack) if os.path.exists(pack) else 0} vs {gtg_bytes} bytes")

    gpu, part, cpu = (os.path.join(a.workdir, d) for d in ("gpu", "part", "cpu"))
    r = run(GPU_TRAINER, "--config", cfg_path, "--data", pack, "--out", gpu, "--device", "cpu")
    ok &= check("GPU trainer, 2 epochs on the CPU", r.returncode == 0, r.stderr.strip()[-300:])
    ref = rows(gpu) if r.returncode == 0 else []
    ok &= check("two epochs logged", [x["epoch"] for x in ref] == [1, 2])
    checks = []
    if os.path.exists(os.path.join(gpu, "pe_check.json")):
        with open(os.path.join(gpu, "pe_check.json")) as f:
            checks = json.load(f)
    ok &= check("recomputed encodings match gt's (val, test)",
                len(checks) == 2 and all(c["max_abs_diff"] < 1e-6 and
                                         c["graphs_bit_identical"] >= 0.9 * c["graphs"]
                                         for c in checks), json.dumps(checks))

    r = run(CPU_TRAINER, "--config", cfg_path, "--data", prefix, "--out", cpu)
    other = rows(cpu) if r.returncode == 0 else []
    keys = ("train_loss", "val_loss", "test_loss", "train_acc", "val_acc", "test_acc",
            "test_acc_zero_pe")
    diff = {k: max(abs(x[k] - y[k]) for x, y in zip(ref, other)) for k in keys} if \
        len(other) == len(ref) == 2 else {}
    # Round-off only: losses to ~1e-5, accuracies to a node or two of one batch.
    same = bool(diff) and all(diff[k] < (1e-3 if "loss" in k else 0.5) for k in keys)
    ok &= check("same metrics as the CPU trainer (same draw, seed)", same,
                ", ".join(f"{k} {v:.2g}" for k, v in diff.items()) or r.stderr.strip()[-300:])

    r1 = run(GPU_TRAINER, "--config", cfg_path, "--data", pack, "--out", part, "--device", "cpu",
             "--max-epochs", "1")
    r2 = run(GPU_TRAINER, "--config", cfg_path, "--data", pack, "--out", part, "--device", "cpu")
    resumed = r1.returncode == 0 and r2.returncode == 0 and "resuming after epoch 1" in r2.stdout
    ok &= check("stopped after epoch 1 and resumed", resumed, (r1.stderr + r2.stderr).strip()[-300:])
    ok &= check("resumed run equals the uninterrupted one", resumed and rows(part) == ref)

    missing = os.path.join(a.workdir, "no_such.npz")
    r = run(GPU_TRAINER, "--config", cfg_path, "--data", missing, "--out", part + "_x")
    ok &= check("missing pack: error naming the file", r.returncode != 0 and missing in r.stderr,
                r.stderr.strip()[-300:])
    wrong = os.path.join(a.workdir, "wrong.npz")
    np.savez(wrong, x=np.zeros(3))
    r = run(GPU_TRAINER, "--config", cfg_path, "--data", wrong, "--out", part + "_y")
    ok &= check("not a pack: error naming the file",
                r.returncode != 0 and wrong in r.stderr and "not an sbm_pack.py file" in r.stderr,
                r.stderr.strip()[-300:])
    r = run(PACK, os.path.join(a.workdir, "nothing_"), os.path.join(a.workdir, "x.npz"))
    ok &= check("pack of a missing cache: error naming it",
                r.returncode != 0 and "nothing_train" in r.stderr, r.stderr.strip()[-300:])
    print("all passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
