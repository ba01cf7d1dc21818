"""PyTorch baseline for `gt bench`: times training steps and inference of the reference model.

    /usr/bin/python3 bench/pytorch_step.py --dump FILE [--steps 20] [--warmup 3] [--threads T]
                                           [--peak-size 2048] [--peak-reps 5] [--reference-bn]

The model (config from the dump's "config" metadata), its initial weights and the batch all
come from a parity dump (docs/architecture.md); `gt bench --dump FILE` times the same dump,
so both engines do the same work on the identical batch. A training step = zero_grad +
train-mode forward + loss + backward + Adam step (betas 0.9/0.999, eps 1e-8, lr from the
dump), float32 on CPU; the weights move from step to step, as in training. Inference = an
eval-mode forward under torch.no_grad() on the same batch (after the training steps).

By default BatchNorm uses torch's native kernel (what a PyTorch user runs, as the official
code does); --reference-bn times the test oracle's explicit two-pass BatchNorm instead.

Threads: --threads sets torch's intra-op threads and, overriding the environment,
OPENBLAS_NUM_THREADS and OMP_NUM_THREADS (Debian's OpenBLAS does not follow
torch.set_num_threads). OPENBLAS_CORETYPE is read from the environment and reported
("detected" when unset), with the kernel set OpenBLAS actually chose (openblas_core).

Prints one JSON line. Statistics use the rule of `gt bench`: element round(q * (n - 1)) of
the sorted sample (the median of an even sample is the upper middle one). peak_rss_mib is
read before the GEMM peak is measured (so it excludes that measurement's buffers).
"""

import argparse
import ctypes
import json
import math
import os
import resource
import sys
import time
import types


def _threads_from_argv():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--threads", type=int, default=1)
    return ap.parse_known_args()[0].threads


# Before torch (and OpenBLAS) load: their thread pools read these once.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ[_var] = str(_threads_from_argv())

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

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


def summary(values):
    """median, p10, p90, min, max by nearest rank, exactly as gt bench computes them."""
    v = sorted(values)

    def at(q):  # C++ std::lround: halves away from zero
        return v[int(math.floor(q * (len(v) - 1) + 0.5))]

    return {"median": at(0.5), "p10": at(0.1), "p90": at(0.9), "min": v[0], "max": v[-1]}


def time_training(model, args, y, lr, warmup, steps):
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    step_ms, fwd_ms, bwd_ms, adam_ms = [], [], [], []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model.loss(model(*args), y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        if i >= warmup:
            step_ms.append((t3 - t0) * 1e3)
            fwd_ms.append((t1 - t0) * 1e3)
            bwd_ms.append((t2 - t1) * 1e3)
            adam_ms.append((t3 - t2) * 1e3)
        if not torch.isfinite(loss):
            sys.exit(f"non-finite loss at step {i}")
    return step_ms, fwd_ms, bwd_ms, adam_ms, float(loss)


def time_inference(model, args, warmup, steps):
    model.eval()
    ms = []
    with torch.no_grad():
        for i in range(warmup + steps):
            t0 = time.perf_counter()
            model(*args)
            t = (time.perf_counter() - t0) * 1e3
            if i >= warmup:
                ms.append(t)
    return ms


def gemm_peak(n, reps):
    """GFLOP/s of torch.mm on n x n x n (one untimed call, then reps timed ones)."""
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(n, n, generator=g), torch.rand(n, n, generator=g)
    c = torch.empty(n, n)
    gflops = []
    for r in range(reps + 1):
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        s = time.perf_counter() - t0
        if r > 0:
            gflops.append(2.0 * n ** 3 / s / 1e9)
    return summary(gflops)


def openblas_core():
    """The kernel set OpenBLAS chose (openblas_get_corename), or None without OpenBLAS."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({ln.split()[-1] for ln in f if "openblas" in ln.lower() and ".so" in ln})
        for path in libs:
            fn = ctypes.CDLL(path).openblas_get_corename
            fn.restype = ctypes.c_char_p
            return fn().decode()
    except (OSError, AttributeError):
        pass
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dump", required=True)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--peak-size", type=int, default=2048)
    ap.add_argument("--peak-reps", type=int, default=5)
    ap.add_argument("--reference-bn", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, args, y, lr = load(a.dump, a.reference_bn)
    step_ms, fwd_ms, bwd_ms, adam_ms, final_loss = time_training(model, args, y, lr, a.warmup, a.steps)
    infer_ms = time_inference(model, args, a.warmup, a.steps)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux
    peak = gemm_peak(a.peak_size, a.peak_reps)

    c = model.cfg
    train, infer = summary(step_ms), summary(infer_ms)
    graphs, nodes = int(args[5]), int(args[0].shape[0])
    print(json.dumps({
        "impl": "pytorch", "torch": torch.__version__, "threads": a.threads,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "detected"),
        "openblas_core": openblas_core(),
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "bn": "reference" if a.reference_bn else "native",
        "dump": os.path.basename(a.dump), "graphs": graphs,
        "nodes": nodes, "edges": int(args[2].shape[0]),
        "L": c.L, "hidden_dim": c.hidden_dim, "layer_norm": c.layer_norm,
        "batch_norm": c.batch_norm, "pos_enc_dim": c.pos_enc_dim,
        "params": ref.count_parameters(model), "steps": a.steps, "warmup": a.warmup,
        "median_ms": round(train["median"], 3),
        "p10_ms": round(train["p10"], 3), "p90_ms": round(train["p90"], 3),
        "min_ms": round(train["min"], 3), "max_ms": round(train["max"], 3),
        "forward_median_ms": round(summary(fwd_ms)["median"], 3),
        "backward_median_ms": round(summary(bwd_ms)["median"], 3),
        "adam_median_ms": round(summary(adam_ms)["median"], 3),
        "infer_median_ms": round(infer["median"], 3),
        "infer_graphs_per_s": round(graphs / (infer["median"] / 1e3), 3),
        "infer_nodes_per_s": round(nodes / (infer["median"] / 1e3), 3),
        "gemm_peak_gflops": round(peak["max"], 3),
        "gemm_peak_median_gflops": round(peak["median"], 3),
        "gemm_peak_size": a.peak_size,
        "peak_rss_mib": round(rss_mib, 1),
        "final_loss": round(final_loss, 6),
    }))


if __name__ == "__main__":
    main()
