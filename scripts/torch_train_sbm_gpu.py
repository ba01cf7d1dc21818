#!/usr/bin/env python3
"""Train the SBM Graph Transformer with PyTorch on a GPU, on gt's generated data: the same
independent check as torch_train_sbm.py (the parity oracle's model and torch init, torch Adam,
ReduceLROnPlateau, torch's RNG for shuffle and sign flips, the official per-batch accuracy;
the protocol is sbm_protocol.py), fast enough to run to the protocol's stop in minutes.

Why another script: on one CPU core the PyTorch run takes ~8 minutes per CLUSTER epoch (~17 h
for a run). Here every batch has one static shape, so the whole training step (forward, loss,
backward, metric) is captured once as a CUDA graph and replayed: B = batch_size graphs, each
padded to P nodes (the largest graph of the data), the nodes as B*P rows with a 0/1 mask, the
adjacency as a dense [B, 1, P, P] mask (a short last batch is filled with empty graphs).
Padding changes no number the protocol sees: BatchNorm's statistics, the class counts of the
weighted loss and the accuracy take the real rows only, and padded rows neither send (no
edges) nor receive gradient. `--selftest` checks the padded model against the oracle's sparse
form: outputs, loss, every gradient and BatchNorm's running statistics.

Data: a pack of gt's cache made by sbm_pack.py (adjacency bits); the Laplacian encodings are
recomputed from it as gt computes them and compared with gt's own where the pack holds them
(OUT/pe_check.json). Needs torch and numpy (any recent version: 1.13 on Debian, 2.x on a GPU
machine); runs on the CPU too (eager; a full CLUSTER epoch took ~20 min on one core, where
the padding costs: use it there for tests and checks, torch_train_sbm.py for runs).
usage: scripts/torch_train_sbm_gpu.py --config configs/cluster_sparse_bn_lappe.json \\
           --data PACK.npz --out DIR [--seed 41] [--time-limit SEC]
       scripts/torch_train_sbm_gpu.py --selftest [--device cuda]
"""
import argparse
import json
import math
import multiprocessing
import os
import sys
import time
import zipfile
import zlib

# One BLAS thread per process, set before numpy and torch load OpenBLAS: the encodings are
# computed by a pool of forked processes, and OpenBLAS's own thread pool does not survive a
# fork (measured: a 40-graph pack took 120 s to load instead of 1 s).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "python"))
import gt_reference as ref  # noqa: E402
import sbm_protocol  # noqa: E402
from sbm_pack import laplacian_pe, unpack_adjacency  # noqa: E402


# ----------------------------------------------------------------------------- data

def _graph_pe(job):
    bits, n, k = job
    return laplacian_pe(unpack_adjacency(bits, n), k)


class PaddedSplit:
    """One split: types/labels [G+1, P], mask [G+1, P], pe [G+1, P, k], adj [G+1, P, P]
    (uint8; adj[g, i, j] = 1 for the edge j -> i); numpy arrays until to(device). Row G is
    an empty graph, the filler of a short last batch."""

    def __init__(self, pack, split, P, k, pool):
        nodes = pack[f"{split}_nodes"].astype(np.int64)
        bits, off = pack[f"{split}_bits"], pack[f"{split}_bit_off"]
        G = len(nodes)
        node0 = np.concatenate([[0], np.cumsum(nodes)])
        types = np.zeros((G + 1, P), np.int64)
        labels = np.zeros((G + 1, P), np.int64)
        mask = np.zeros((G + 1, P), np.float32)
        adj = np.zeros((G + 1, P, P), np.uint8)
        pe = np.zeros((G + 1, P, k), np.float32)
        jobs = [(bits[off[g]:off[g + 1]], int(nodes[g]), k) for g in range(G)]
        pes = pool.map(_graph_pe, jobs, chunksize=64) if k else [None] * G
        self.pe_check = None
        if k and f"{split}_pe" in pack and pack[f"{split}_pe"].shape[1] == k:
            # gt's encodings of this split: how close are ours?
            ours, gts = np.concatenate(pes), pack[f"{split}_pe"]
            same = sum(np.array_equal(p, gts[node0[g]:node0[g + 1]]) for g, p in enumerate(pes))
            self.pe_check = {"split": split, "graphs": G, "graphs_bit_identical": int(same),
                             "max_abs_diff": float(np.abs(ours - gts).max())}
        for g in range(G):
            n = int(nodes[g])
            types[g, :n] = pack[f"{split}_node_type"][node0[g]:node0[g + 1]]
            labels[g, :n] = pack[f"{split}_labels"][node0[g]:node0[g + 1]]
            mask[g, :n] = 1.0
            adj[g, :n, :n] = unpack_adjacency(bits[off[g]:off[g + 1]], n)
            if k:
                pe[g, :n] = pes[g]
        self.G, self.types, self.labels, self.mask, self.adj, self.pe = \
            G, types, labels, mask, adj, pe

    def to(self, device):
        for name in ("types", "labels", "mask", "adj", "pe"):
            setattr(self, name, torch.from_numpy(getattr(self, name)).to(device))
        return self


def load_pack(path, k):
    """{split: PaddedSplit} (numpy) and P from an sbm_pack.py file; an error names a missing
    file. Call it before anything initialises CUDA: its worker processes are forked."""
    try:
        pack = dict(np.load(path))
    except OSError as e:
        sys.exit(f"{path}: {e.strerror or e}")
    except (ValueError, EOFError, zipfile.BadZipFile, zlib.error) as e:  # not a .npz, or damaged
        sys.exit(f"{path}: not an sbm_pack.py file ({e})")
    if "pe_dim" not in pack or "train_bits" not in pack:
        sys.exit(f"{path}: not an sbm_pack.py file")
    if k and int(pack["pe_dim"]) != k:
        print(f"{path}: packed from a cache with k = {int(pack['pe_dim'])}; recomputing k = {k}")
    P = int(max(pack[f"{s}_nodes"].max() for s in ("train", "val", "test")))
    with multiprocessing.get_context("fork").Pool(min(16, os.cpu_count() or 1)) as pool:
        splits = {s: PaddedSplit(pack, s, P, k, pool) for s in ("train", "val", "test")}
    return splits, P


class Batch:
    """The static input tensors of one step (B graphs of P nodes), filled in place."""

    def __init__(self, B, P, k, device):
        self.B, self.P = B, P
        self.x = torch.zeros(B * P, dtype=torch.long, device=device)
        self.y = torch.zeros(B * P, dtype=torch.long, device=device)
        self.m = torch.zeros(B * P, 1, device=device)
        self.pe = torch.zeros(B * P, k, device=device)
        self.adj = torch.zeros(B, 1, P, P, device=device)

    def fill(self, split, ids, flip=None):
        """The graphs ids (a CPU index list, up to B; the rest empty graphs)."""
        ids = list(ids) + [split.G] * (self.B - len(ids))
        idx = torch.tensor(ids, device=self.x.device)
        self.x.copy_(split.types.index_select(0, idx).view(-1))
        self.y.copy_(split.labels.index_select(0, idx).view(-1))
        self.m.copy_(split.mask.index_select(0, idx).view(-1, 1))
        pe = split.pe.index_select(0, idx).view(self.B * self.P, -1)
        self.pe.copy_(pe * flip.to(pe.device) if flip is not None else pe)
        self.adj.copy_(split.adj.index_select(0, idx).unsqueeze(1))


# ----------------------------------------------------------------------------- model

def masked_batch_norm(bn, x, m, cnt):
    """ref.BatchNorm1d over the real rows (m = 1) only: batch mean and biased variance in
    training (running stats updated with the unbiased one), the running stats in eval."""
    if not bn.training:
        mean, var = bn.running_mean, bn.running_var
    else:
        mean = (x * m).sum(0) / cnt
        var = ((x - mean).pow(2) * m).sum(0) / cnt
        with torch.no_grad():
            mom = bn.momentum
            bn.running_mean.mul_(1 - mom).add_(mom * mean)
            bn.running_var.mul_(1 - mom).add_(mom * var * (cnt / (cnt - 1).clamp(min=1)))
            bn.num_batches_tracked += 1
    return (x - mean) / torch.sqrt(var + bn.eps) * bn.weight + bn.bias


def _norm(layer, i, x, m, cnt):
    if layer.use_layer_norm:
        x = getattr(layer, f"layer_norm{i}_h")(x)
    if layer.use_batch_norm:
        x = masked_batch_norm(getattr(layer, f"batch_norm{i}_h"), x, m, cnt)
    return x


def padded_attention(att, h, adj, B, P):
    """SPEC §1 per graph and head: a = exp(clamp(q k^T / sqrt(dk), -5, 5)) * adjacency,
    head = a v / (sum_j a + 1e-6); rows are B graphs of P nodes."""
    H, dk = att.n_heads, att.d_k
    q, k, v = (lin(h).view(B, P, H, dk).transpose(1, 2) for lin in (att.Q, att.K, att.V))
    a = torch.exp(((q @ k.transpose(-1, -2)) / math.sqrt(dk)).clamp(-5.0, 5.0)) * adj
    head = (a @ v) / (a.sum(-1, keepdim=True) + 1e-6)
    return head.transpose(1, 2).reshape(B * P, H * dk)


def padded_forward(model, b):
    """The oracle's GraphTransformerNet (node-only layers) over a Batch: [B*P, C] logits."""
    c = model.cfg
    if c.dropout or c.in_feat_dropout:
        sys.exit("torch_train_sbm_gpu.py: dropout is not supported (the paper's SBM configs have none)")
    cnt = b.m.sum()
    # The embedding as a one-hot product: the same rows (exact), but a backward without the
    # host sync of CUDA's embedding backward on large batches, which graph capture forbids.
    types = torch.arange(model.embedding_h.num_embeddings, device=b.x.device)
    h = (b.x[:, None] == types).to(b.pe.dtype) @ model.embedding_h.weight
    if c.lap_pos_enc:
        h = h + model.embedding_lap_pos_enc(b.pe)
    for layer in model.layers:
        h_in = h
        h = layer.O_h(padded_attention(layer.attention, h, b.adj, b.B, b.P))
        if layer.residual:
            h = h_in + h
        h = _norm(layer, 1, h, b.m, cnt)
        h_in = h
        h = layer.FFN_h_layer2(F.relu(layer.FFN_h_layer1(h)))
        if layer.residual:
            h = h_in + h
        h = _norm(layer, 2, h, b.m, cnt)
    return model.MLP_layer(h)


def masked_loss_and_accuracy(logits, y, m, classes):
    """SPEC §3's weighted cross-entropy over the real rows, and the official per-batch
    accuracy (torch_train_sbm.accuracy_sbm): recall per class present in the labels, summed,
    over the number of classes in labels or predictions. No host sync (graph capture)."""
    m1 = m.view(-1)
    ce = F.cross_entropy(logits, y, reduction="none")
    oy = (y[:, None] == classes).to(logits.dtype) * m
    n = oy.sum(0)
    V = m1.sum()
    w = (V - n) / V * (n > 0).to(logits.dtype)
    wi = w[y] * m1
    loss = (wi * ce).sum() / wi.sum()
    with torch.no_grad():
        op = (logits.argmax(1)[:, None] == classes).to(logits.dtype) * m
        correct = (oy * op).sum(0)
        in_cm = ((n > 0) | (op.sum(0) > 0)).sum()
        acc = 100.0 * (correct / n.clamp(min=1)).sum() / in_cm
    return loss, acc


# ----------------------------------------------------------------------------- loops

class Trainer:
    """One training step over the static Batch: eager, or on CUDA captured once and replayed."""

    def __init__(self, model, opt, batch, n_classes, graph):
        self.model, self.opt, self.batch, self.graph = model, opt, batch, graph
        self.mode = "cuda graph" if graph else "eager"
        self.classes = torch.arange(n_classes, device=batch.x.device)
        self.captured = None

    def _step(self):
        logits = padded_forward(self.model, self.batch)
        loss, acc = masked_loss_and_accuracy(logits, self.batch.y, self.batch.m, self.classes)
        loss.backward()
        return loss.detach(), acc

    def _capture(self):
        """Warm-up on a side stream (as torch.cuda.graphs asks), then capture. The warm-up's
        BatchNorm running-stat updates are undone: they are not training steps."""
        saved = {n: t.clone() for n, t in self.model.named_buffers()}
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(3):
                self.opt.zero_grad(set_to_none=True)
                self._step()
        torch.cuda.current_stream().wait_stream(side)
        with torch.no_grad():
            for n, t in self.model.named_buffers():
                t.copy_(saved[n])
        self.opt.zero_grad(set_to_none=True)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            out = self._step()
        self.captured = (g, out)

    def step(self):
        """(loss, acc) device tensors of one step on the filled batch; the optimiser steps."""
        if self.graph and self.captured is None:
            try:
                self._capture()
            except RuntimeError as e:  # record it and go on eagerly: slower, same numbers
                print(f"CUDA graph capture failed, eager steps: {e}", flush=True)
                self.graph, self.mode = False, "eager (capture failed)"
        if not self.graph:
            self.opt.zero_grad(set_to_none=True)
            out = self._step()
        else:
            self.captured[0].replay()
            out = self.captured[1]
        self.opt.step()
        return out


def train_epoch(trainer, split, bs, flip_pe):
    trainer.model.train()
    perm = torch.randperm(split.G).tolist()
    k = split.pe.shape[-1]
    loss_sum = acc_sum = 0.0
    nb = 0
    for b in range(0, split.G, bs):
        trainer.batch.fill(split, perm[b:b + bs], sbm_protocol.sign_flips(k) if flip_pe else None)
        loss, acc = trainer.step()
        # Device adds in float64 (no host sync per step)
        loss_sum, acc_sum, nb = loss_sum + loss.double(), acc_sum + acc.double(), nb + 1
    return float(loss_sum) / nb, float(acc_sum) / nb


@torch.no_grad()
def evaluate(model, batch, split, bs, classes, zero_pe_too=False):
    model.eval()
    loss_sum = acc_sum = acc0_sum = 0.0
    nb = 0
    for b in range(0, split.G, bs):
        batch.fill(split, range(b, min(b + bs, split.G)))
        loss, acc = masked_loss_and_accuracy(padded_forward(model, batch), batch.y, batch.m, classes)
        loss_sum, acc_sum = loss_sum + loss.double(), acc_sum + acc.double()
        if zero_pe_too:
            batch.pe.zero_()
            acc0_sum = acc0_sum + masked_loss_and_accuracy(
                padded_forward(model, batch), batch.y, batch.m, classes)[1].double()
        nb += 1
    return float(loss_sum) / nb, float(acc_sum) / nb, float(acc0_sum) / nb


def resolve_device(name):
    """"auto": the GPU when there is one, else the CPU."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def train(args):
    _, params, seed, cfg = sbm_protocol.setup(args, ref.parse_config)
    k = cfg.pos_enc_dim
    t0 = time.time()
    splits, P = load_pack(args.data, k)     # first: it forks
    device = resolve_device(args.device)
    for split in splits.values():
        split.to(device)
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 products, as on the CPU
    torch.backends.cudnn.allow_tf32 = False
    os.makedirs(args.out, exist_ok=True)
    checks = [s.pe_check for s in splits.values() if s.pe_check]
    with open(os.path.join(args.out, "pe_check.json"), "w") as f:
        json.dump(checks, f, indent=1)
    print(f"data: P = {P}, {time.time() - t0:.1f} s; PE check: {checks}", flush=True)
    if any(c["max_abs_diff"] > 1e-5 for c in checks):
        sys.exit(f"{args.data}: recomputed Laplacian encodings differ from gt's (see pe_check.json)")
    torch.manual_seed(seed)
    np.random.seed(seed)
    model = ref.GraphTransformerNet(cfg).to(device)
    opt, sched = sbm_protocol.make_optimizer(model, params)
    bs = int(params["batch_size"])
    batch = Batch(bs, P, k, device)
    trainer = Trainer(model, opt, batch, cfg.n_classes,
                      graph=device.type == "cuda" and not args.eager)

    def run_epoch():
        return sbm_protocol.epoch_row(
            train_epoch(trainer, splits["train"], bs, flip_pe=k > 0),
            evaluate(model, batch, splits["val"], bs, trainer.classes),
            evaluate(model, batch, splits["test"], bs, trainer.classes, k > 0), k)

    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    extra = {"device": name, "torch": torch.__version__, "step": trainer.mode}

    def run_epoch_and_mode():
        row = run_epoch()
        extra["step"] = trainer.mode      # a failed capture is recorded from its epoch on
        return row

    return sbm_protocol.run(args, params, seed, model, opt, sched, run_epoch_and_mode, extra)


# ----------------------------------------------------------------------------- self-test

def _selftest_batch(device, dtype):
    """Nine graphs of different sizes (one without edges, one of a single node) and an empty
    filler graph, as a Batch and in the oracle's flat form (src, dst, x, y, pe)."""
    rng = np.random.default_rng(0)
    sizes = [7, 3, 12, 1, 5, 9, 2, 11, 6]
    B, P, k = len(sizes) + 1, max(sizes), 10
    b = Batch(B, P, k, device)
    b.m, b.pe, b.adj = b.m.to(dtype), b.pe.to(dtype), b.adj.to(dtype)
    src, dst, rows = [], [], []
    for g, n in enumerate(sizes):
        # Directed edges (a[d, s]: s -> d), so that a transposed mask would be caught.
        a = (rng.random((n, n)) < (0.4 if g != 4 else 0.0)) & ~np.eye(n, dtype=bool)
        d, s = np.nonzero(a)
        base = sum(sizes[:g])
        src.append(s + base), dst.append(d + base)
        b.adj[g, 0, :n, :n] = torch.from_numpy(a.astype(np.float64))
        rows += [g * P + i for i in range(n)]
    N = sum(sizes)
    x = torch.from_numpy(rng.integers(0, 7, N)).to(device)
    y = torch.from_numpy(rng.integers(0, 6, N)).to(device)
    pe = torch.from_numpy(rng.standard_normal((N, k))).to(device, dtype)
    rows = torch.tensor(rows, device=device)
    b.x[rows], b.y[rows], b.pe[rows], b.m[rows] = x, y, pe, 1.0
    flat = (torch.from_numpy(np.concatenate(src)).to(device),
            torch.from_numpy(np.concatenate(dst)).to(device), x, y, pe)
    return b, flat, rows


def _check_padded_model(device, cfg):
    """The padded model against the oracle (float64): logits, loss, accuracy, gradients and
    BatchNorm running statistics after one training forward. Returns the max difference."""
    b, (src, dst, x, y, pe), rows = _selftest_batch(device, torch.float64)
    oracle = ref.GraphTransformerNet(cfg).double().to(device)
    with torch.no_grad():   # large scores, so that the clamp at +-5 clips some of them
        oracle.layers[0].attention.Q.weight.mul_(20.0)
    padded = ref.GraphTransformerNet(cfg).double().to(device)
    padded.load_state_dict(oracle.state_dict())
    classes = torch.arange(cfg.n_classes, device=device)
    s_ref = oracle(x, None, src, dst, pe=pe)
    loss_ref = oracle.loss(s_ref, y)
    loss_ref.backward()
    s_pad = padded_forward(padded, b)
    loss_pad, acc_pad = masked_loss_and_accuracy(s_pad, b.y, b.m, classes)
    loss_pad.backward()
    from torch_train_sbm import accuracy_sbm
    diffs = {"logits": (s_pad[rows] - s_ref).abs().max(), "loss": (loss_pad - loss_ref).abs(),
             "accuracy": abs(float(acc_pad) - accuracy_sbm(s_ref.detach(), y))}
    p_ref = dict(oracle.named_parameters())
    diffs["gradients"] = max((p.grad - p_ref[n].grad).abs().max() for n, p in padded.named_parameters())
    b_ref = dict(oracle.named_buffers())
    diffs["running stats"] = max((t.double() - b_ref[n].double()).abs().max()
                                 for n, t in padded.named_buffers())
    return {n: float(v) for n, v in diffs.items()}


def _check_accuracy(device):
    """Hand-computed per-batch accuracies, with padded rows (m = 0) that would change them.
    Labels [0,0,1,1,2], predictions [0,1,1,1,0]: recalls 1/2, 2/2, 0/1 over classes {0,1,2}
    -> 50. Labels [0,0], predictions [0,3]: a predicted class absent from the labels still
    counts (sklearn's confusion matrix) -> 100 * (1/2) / 2 = 25."""
    classes = torch.arange(5, device=device)
    out = []
    for labels, preds in (([0, 0, 1, 1, 2], [0, 1, 1, 1, 0]), ([0, 0], [0, 3])):
        y = torch.tensor(labels + [4, 4], device=device)            # two padded rows
        logits = F.one_hot(torch.tensor(preds + [4, 1], device=device), 5).double()
        m = torch.tensor([1.0] * len(labels) + [0.0, 0.0], device=device).double()[:, None]
        out.append(float(masked_loss_and_accuracy(logits, y, m, classes)[1]))
    return out


def _check_graph_replay(device, cfg):
    """CUDA only: four steps replayed from the captured graph give the parameters and
    running statistics of four eager steps (same batches, same model, same optimiser)."""
    torch.manual_seed(1)
    models = [ref.GraphTransformerNet(cfg).to(device) for _ in range(2)]
    models[1].load_state_dict(models[0].state_dict())
    b, _, _ = _selftest_batch(device, torch.float32)
    trainers = [Trainer(m, torch.optim.Adam(m.parameters(), lr=1e-3), b, cfg.n_classes, graph=g)
                for m, g in zip(models, (False, True))]
    for t in trainers:
        t.model.train()
        for step in range(4):
            b.pe.mul_(-1.0)     # a different batch each step (PE signs), the same for both
            t.step()
    if trainers[1].mode != "cuda graph":
        return float("inf")                  # the capture failed: nothing was compared
    sd = [m.state_dict() for m in models]
    return float(max((sd[0][n].double() - sd[1][n].double()).abs().max() for n in sd[0]))


def selftest(device):
    torch.manual_seed(0)
    cfg = ref.parse_config(ref.sbm_config("SBM_CLUSTER"))
    cfg.L = 2
    diffs = _check_padded_model(torch.device(device), cfg)
    print("padded vs oracle (float64): " + ", ".join(f"{n} {v:.2e}" for n, v in diffs.items()))
    ok = all(v < 1e-9 for v in diffs.values())
    acc = _check_accuracy(torch.device(device))
    print(f"per-batch accuracy: {acc[0]:.4f} (expected 50), {acc[1]:.4f} (expected 25)")
    ok = ok and abs(acc[0] - 50.0) < 1e-9 and abs(acc[1] - 25.0) < 1e-9
    if device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
        d = _check_graph_replay(torch.device(device), cfg)
        print(f"cuda graph replay vs eager, 4 steps: max |state diff| {d:.2e}")
        ok = ok and d < 1e-5
    print("selftest", "passed" if ok else "FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--selftest", action="store_true", help="check the padded model (and the "
                    "CUDA graph, on a GPU) against the oracle")
    ap.add_argument("--config", help="official-format SBM config (JSON)")
    ap.add_argument("--data", help="sbm_pack.py file of gt's cache")
    ap.add_argument("--out", help="run directory (metrics.jsonl, checkpoint.pt)")
    ap.add_argument("--seed", type=int, help="overrides params.seed")
    ap.add_argument("--device", default="auto", help="cuda, cpu or auto (cuda if available)")
    ap.add_argument("--eager", action="store_true", help="no CUDA graph on a GPU")
    ap.add_argument("--max-epochs", type=int, default=0, help="stop after this many epochs "
                    "of this invocation (0: run to the protocol's stop)")
    ap.add_argument("--time-limit", type=float, default=0, help="stop after the epoch that "
                    "passes this many seconds of this invocation (0: none)")
    a = ap.parse_args()
    if a.selftest:
        return selftest(str(resolve_device(a.device)))
    if not (a.config and a.data and a.out):
        ap.error("--config, --data and --out are required (or --selftest)")
    return train(a)


if __name__ == "__main__":
    sys.exit(main())
