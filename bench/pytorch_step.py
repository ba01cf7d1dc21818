"""PyTorch baseline for `gt bench`: times one training step of the reference model.

    /usr/bin/python3 bench/pytorch_step.py --dump FILE [--steps 30] [--warmup 5] [--threads T]

The model (config from the dump's "config" metadata), its initial weights and the batch all
come from a parity dump (docs/architecture.md), so the work is the same as the C++ engine's
on that dump. A step = zero_grad + train-mode forward + L1 loss + backward + Adam step
(betas 0.9/0.999, eps 1e-8, lr from the dump), float32 on CPU. The weights move from step
to step, as in training.

By default BatchNorm uses torch's native kernel (what a PyTorch user runs, as the official
code does); --reference-bn times the test oracle's explicit two-pass BatchNorm instead.
Prints one JSON line: median / min / max ms per step (plus the median of each phase).
"""

import argparse
import json
import os
import statistics
import sys
import time
import types

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "python"))
import gt_reference as ref  # noqa: E402
import safetensors_io as st  # noqa: E402


def load(path, reference_bn):
    d, meta = st.load(path)
    model = ref.GraphTransformerNet(json.loads(meta["config"])).float()
    if not reference_bn:
        for mod in model.modules():
            if isinstance(mod, ref.BatchNorm1d):
                mod.forward = types.MethodType(nn.BatchNorm1d.forward, mod)
    names = [n for n, _ in model.named_parameters()] + ref.buffer_names(model)
    missing = [n for n in names if n not in d]
    if missing:
        sys.exit(f"{path}: missing {missing[:5]}")
    model.load_state_dict({n: d[n].float() for n in names}, strict=False)
    args = [d["batch." + k].long() for k in ("node_type", "edge_type", "src", "dst", "node_graph")]
    # Target: node labels for the SBM node-classification models, graph labels otherwise.
    y = d["batch.node_label"].long() if model.cfg.task == "node_classification" else d["batch.y"].float()
    pe = d["batch.pe"].float() if model.cfg.lap_pos_enc else None
    args += [d["batch.y"].shape[0], pe]  # number of graphs
    return model, args, y, float(meta.get("lr", "7e-4"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dump", required=True)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reference-bn", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, args, y, lr = load(a.dump, a.reference_bn)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)

    step_ms, fwd_ms, bwd_ms, adam_ms = [], [], [], []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model.loss(model(*args), y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        if i >= a.warmup:
            step_ms.append((t3 - t0) * 1e3)
            fwd_ms.append((t1 - t0) * 1e3)
            bwd_ms.append((t2 - t1) * 1e3)
            adam_ms.append((t3 - t2) * 1e3)
        if not torch.isfinite(loss):
            sys.exit(f"non-finite loss at step {i}")

    c = model.cfg
    print(json.dumps({
        "impl": "pytorch", "torch": torch.__version__, "threads": a.threads,
        "bn": "reference" if a.reference_bn else "native",
        "dump": os.path.basename(a.dump), "graphs": int(args[5]),
        "nodes": int(args[0].shape[0]), "edges": int(args[2].shape[0]),
        "L": c.L, "hidden_dim": c.hidden_dim, "layer_norm": c.layer_norm,
        "batch_norm": c.batch_norm, "pos_enc_dim": c.pos_enc_dim,
        "params": ref.count_parameters(model), "steps": a.steps, "warmup": a.warmup,
        "median_ms": round(statistics.median(step_ms), 3),
        "min_ms": round(min(step_ms), 3), "max_ms": round(max(step_ms), 3),
        "forward_median_ms": round(statistics.median(fwd_ms), 3),
        "backward_median_ms": round(statistics.median(bwd_ms), 3),
        "adam_median_ms": round(statistics.median(adam_ms), 3),
        "final_loss": round(float(loss), 6),
    }))


if __name__ == "__main__":
    main()
