"""Developer utility: writes a parity dump made by the PyTorch reference itself.

NOT a test of the C++ engine. It exists to exercise test_parity.py and bench/pytorch_step.py
before tool_parity_dump exists, and to measure how much head-room the tolerances have: by
default every value in the dump is computed in float64 and rounded to float32, so checking it
with test_parity.py (which recomputes in float32) shows the float32 error of an honest
implementation on a real ZINC batch.

    /usr/bin/python3 tests/python/make_fake_dump.py --data data --variant zinc_bn_lappe \
        --out /tmp/fake.safetensors [--graphs 128] [--split train] [--fp32] \
        [--shuffle-edges] [--perturb grad.layers.3.O_h.weight=1.01]

The batch: the first --graphs molecules of data/zinc/<split>_graphs.txt, edges in both
directions sorted by destination (stable), Laplacian PE per SPEC §4 with one random sign
per column (as in training).
"""

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gt_reference as ref  # noqa: E402
import safetensors_io as st  # noqa: E402


def read_zinc_graphs(path, count):
    """Parses <split>_graphs.txt lines: y n m a_0..a_{n-1} (u v b)*m."""
    graphs = []
    with open(path) as f:
        for line in f:
            if len(graphs) == count:
                break
            t = line.split()
            y, n, m = float(t[0]), int(t[1]), int(t[2])
            atoms = [int(x) for x in t[3:3 + n]]
            bonds = [tuple(int(x) for x in t[3 + n + 3 * i: 6 + n + 3 * i]) for i in range(m)]
            graphs.append((y, atoms, bonds))
    return graphs


def laplacian_pe(n, edges, k):
    """SPEC §4: L = I - D^-1/2 A D^-1/2 (degrees clipped to >= 1), ascending eigenvectors
    1..k (the trivial one dropped), zero-padded when the graph has <= k nodes."""
    A = np.zeros((n, n))
    for u, v in edges:
        A[u, v] = 1.0
    deg = np.clip(A.sum(1), 1, None) ** -0.5
    L = np.eye(n) - deg[:, None] * A * deg[None, :]
    _, vecs = np.linalg.eigh(L)
    pe = np.zeros((n, k))
    take = vecs[:, 1:k + 1]
    pe[:, :take.shape[1]] = take
    return pe


def zinc_batch(data_dir, split, count, k, rng):
    graphs = read_zinc_graphs(os.path.join(data_dir, "zinc", f"{split}_graphs.txt"), count)
    node_type, node_graph, ys, pes, edges = [], [], [], [], []   # edges: (dst, src, type)
    off = 0
    for g, (y, atoms, bonds) in enumerate(graphs):
        n = len(atoms)
        directed = [(u, v, b) for u, v, b in bonds] + [(v, u, b) for u, v, b in bonds]
        edges += [(off + v, off + u, b) for u, v, b in directed]
        if k:
            pes.append(laplacian_pe(n, [(u, v) for u, v, _ in directed], k))
        node_type += atoms
        node_graph += [g] * n
        ys.append(y)
        off += n
    edges.sort(key=lambda e: e[0])                  # CSR order: by destination, stable
    i32 = lambda x: torch.tensor(x, dtype=torch.int32)
    batch = {"batch.node_type": i32(node_type), "batch.node_graph": i32(node_graph),
             "batch.dst": i32([e[0] for e in edges]), "batch.src": i32([e[1] for e in edges]),
             "batch.edge_type": i32([e[2] for e in edges]),
             "batch.y": torch.tensor(ys, dtype=torch.float32)}
    if k:
        signs = rng.choice([-1.0, 1.0], size=k)     # one sign per column for the whole batch
        batch["batch.pe"] = torch.tensor(np.concatenate(pes) * signs, dtype=torch.float32)
    return batch


def make_dump(cfg, batch, lr, seed, dtype, shuffle_edges=False):
    torch.manual_seed(seed)
    model = ref.GraphTransformerNet(cfg)            # fp32 init, like the engine's weights
    names = [n for n, _ in model.named_parameters()]
    bufs = ref.buffer_names(model)
    sd = model.state_dict()
    dump = {n: sd[n].clone() for n in names + bufs}
    dump.update(batch)
    model = model.to(dtype)
    args = [batch["batch." + k].long() for k in ("node_type", "edge_type", "src", "dst",
                                                 "node_graph")]
    pe = batch["batch.pe"].to(dtype) if "batch.pe" in batch else None
    args += [batch["batch.y"].shape[0], pe]
    if shuffle_edges:       # a different summation order (the stored batch stays in CSR order)
        perm = torch.randperm(args[2].shape[0], generator=torch.Generator().manual_seed(seed))
        args[1], args[2], args[3] = args[1][perm], args[2][perm], args[3][perm]
    model.eval()
    with torch.no_grad():
        dump["out.pred_eval"] = model(*args)
    model.train()
    pred = model(*args)
    loss = model.loss(pred, batch["batch.y"].to(dtype))
    loss.backward()
    dump["out.pred"], dump["out.loss"] = pred.detach(), loss.detach().reshape(1)
    sd = dict(model.named_parameters())
    for n in names:
        g = sd[n].grad
        dump["grad." + n] = g if g is not None else torch.zeros_like(sd[n])
    bsd = dict(model.named_buffers())
    for n in bufs:
        dump["after." + n] = bsd[n].clone()
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    opt.step()
    for n in names:
        dump["adam." + n] = sd[n].detach().clone()
    return {k: (v.float() if v.is_floating_point() else v) for k, v in dump.items()}


def main():
    ap = argparse.ArgumentParser(description="writes a reference-made parity dump (dev only)")
    ap.add_argument("--data", required=True)
    ap.add_argument("--variant", default="zinc_bn_lappe", choices=["zinc_bn_lappe",
                                                                  "zinc_bn_nope", "zinc_ln_lappe"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--graphs", type=int, default=128)
    ap.add_argument("--split", default="train")
    ap.add_argument("--seed", type=int, default=41)
    ap.add_argument("--lr", type=float, default=7e-4)
    ap.add_argument("--fp32", action="store_true", help="compute in float32, not float64")
    ap.add_argument("--shuffle-edges", action="store_true",
                    help="compute with the edges in a random order (another summation order)")
    ap.add_argument("--perturb", action="append", default=[],
                    help="NAME=FACTOR: multiply one stored tensor (to see a check fail)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    cfg = ref.zinc_config(a.variant)
    k = cfg["net_params"]["pos_enc_dim"] if cfg["net_params"]["lap_pos_enc"] else 0
    batch = zinc_batch(a.data, a.split, a.graphs, k, np.random.RandomState(a.seed))
    dump = make_dump(cfg, batch, a.lr, a.seed, torch.float32 if a.fp32 else torch.float64,
                     a.shuffle_edges)
    for p in a.perturb:
        name, factor = p.rsplit("=", 1)
        dump[name] = dump[name] * float(factor)
    st.save(a.out, dump, {"config": json.dumps(cfg), "lr": repr(a.lr)})
    print(f"wrote {a.out}: {len(dump)} tensors, {batch['batch.y'].shape[0]} graphs, "
          f"{batch['batch.node_type'].shape[0]} nodes, {batch['batch.src'].shape[0]} edges")


if __name__ == "__main__":
    main()
