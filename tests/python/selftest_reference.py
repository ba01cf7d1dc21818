"""Self-test of gt_reference.py and safetensors_io.py (run: gt_reference.py --selftest).

Checks, in order:
  1. parameter counts of the six paper configs (SPEC §3), exact;
  2. state_dict names of the ZINC model against the patterns of docs/architecture.md;
  3. vectorised attention (index_select / index_add_) against a naive per-node Python loop,
     values and gradients, float64, on a random batch with a one-node graph and a node
     without in-edges (which must output 0);
  4. the whole model with naive attention swapped in, values and all parameter gradients;
  5. batching: eval-mode predictions of a batch equal those of each graph alone, and do not
     depend on the order of the edges;
  6. the SBM loss against its formula, node-classification forward;
  7. safetensors round trip (all dtypes, metadata, scalars, empty tensors) and rejection of
     malformed files;
  8. a dump round trip: weights + batch through safetensors into a fresh model.
"""

import io
import json
import math
import os
import struct
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gt_reference as ref  # noqa: E402
import safetensors_io as st  # noqa: E402

_results = []


def check(name, ok, detail=""):
    _results.append(bool(ok))
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  ' + detail if detail else ''}")


def maxdiff(a, b):
    return (a - b).abs().max().item() if a.numel() else 0.0


# ----------------------------------------------------------------------------- data

def random_batch(gen, num_node_types, num_edge_types, pe_dim, dtype=torch.float64):
    """A batch of 5 small graphs: one node without edges; a 4-node graph whose node 3 has an
    out-edge but no in-edge; three random undirected graphs (both directions stored)."""
    graphs = [(1, []), (4, [(0, 1), (1, 0), (1, 2), (2, 1), (3, 0)])]
    for n in (5, 7, 9):
        edges = []
        for i in range(n):
            for j in range(i + 1, n):
                if torch.rand(1, generator=gen).item() < 0.45:
                    edges += [(i, j), (j, i)]
        graphs.append((n, edges))
    node_graph, src, dst, offset = [], [], [], 0
    for g, (n, edges) in enumerate(graphs):
        node_graph += [g] * n
        src += [offset + a for a, _ in edges]
        dst += [offset + b for _, b in edges]
        offset += n
    N, M = offset, len(src)
    return {
        "node_type": torch.randint(0, num_node_types, (N,), generator=gen),
        "edge_type": torch.randint(0, num_edge_types, (M,), generator=gen),
        "src": torch.tensor(src), "dst": torch.tensor(dst),
        "node_graph": torch.tensor(node_graph), "num_graphs": len(graphs),
        "pe": torch.randn(N, pe_dim, generator=gen, dtype=dtype),
        "y": torch.randn(len(graphs), generator=gen, dtype=dtype),
    }


def run_model(model, b):
    return model(b["node_type"], b["edge_type"], b["src"], b["dst"], b["node_graph"],
                 b["num_graphs"], b["pe"])


# ----------------------------------------------------------------------------- naive attention

def naive_edge_attention(att, h, e, src, dst):
    """SPEC §2 literally: for each node i, each head, loop over the in-edges j -> i."""
    H, dk = att.n_heads, att.d_k
    q, k, v, ep = att.Q(h), att.K(h), att.V(h), att.proj_e(e)
    u_of_edge = [[None] * H for _ in range(len(src))]
    rows = []
    for i in range(h.shape[0]):
        heads = []
        for hd in range(H):
            c = slice(hd * dk, (hd + 1) * dk)
            num, den = torch.zeros_like(q[i, c]), 0.0
            for m in range(len(src)):
                if int(dst[m]) != i:
                    continue
                j = int(src[m])
                u = q[i, c] * k[j, c] / math.sqrt(dk) * ep[m, c]
                u_of_edge[m][hd] = u
                a = torch.exp(torch.clamp(u.sum(), -5.0, 5.0))
                num, den = num + a * v[j, c], den + a
            heads.append(num / (den + 1e-6))
        rows.append(torch.cat(heads))
    u = torch.stack([torch.cat(parts) for parts in u_of_edge]) if len(src) else ep * 0
    return torch.stack(rows), u


def naive_node_attention(att, h, src, dst):
    """SPEC §1 literally (with the +1e-6 of §2)."""
    H, dk = att.n_heads, att.d_k
    q, k, v = att.Q(h), att.K(h), att.V(h)
    rows = []
    for i in range(h.shape[0]):
        heads = []
        for hd in range(H):
            c = slice(hd * dk, (hd + 1) * dk)
            num, den = torch.zeros_like(q[i, c]), 0.0
            for m in range(len(src)):
                if int(dst[m]) == i:
                    j = int(src[m])
                    a = torch.exp(torch.clamp(torch.dot(k[j, c], q[i, c]) / math.sqrt(dk),
                                              -5.0, 5.0))
                    num, den = num + a * v[j, c], den + a
            heads.append(num / (den + 1e-6))
        rows.append(torch.cat(heads))
    return torch.stack(rows)


def use_naive_attention(model):
    """Replaces every layer's attention forward by the naive loop (instance attribute)."""
    for layer in model.layers:
        att = layer.attention
        if isinstance(att, ref.MultiHeadAttentionEdge):
            att.forward = lambda h, e, s, d, att=att: naive_edge_attention(att, h, e, s, d)
        else:
            att.forward = lambda h, s, d, att=att: naive_node_attention(att, h, s, d)


# ----------------------------------------------------------------------------- tests

def test_counts():
    cases = [(ref.zinc_config("zinc_bn_lappe"), 588929), (ref.zinc_config("zinc_bn_nope"), 588353),
             (ref.zinc_config("zinc_ln_lappe"), 588929),
             (ref.sbm_config("SBM_PATTERN"), 522982),
             (ref.sbm_config("SBM_PATTERN", False), 522742),
             (ref.sbm_config("SBM_CLUSTER"), 524026),
             (ref.sbm_config("SBM_CLUSTER", False), 523146)]
    for cfg, want in cases:
        got = ref.count_parameters(ref.GraphTransformerNet(cfg))
        tag = f"{cfg['dataset']} lap_pos_enc={cfg['net_params']['lap_pos_enc']}" \
              f" layer_norm={cfg['net_params']['layer_norm']}"
        check(f"parameter count {tag}", got == want, f"{got:,} (SPEC {want:,})")
        assert got == want, (tag, got, want)


def test_names():
    """Expected names written out from the docs/architecture.md patterns."""
    model = ref.GraphTransformerNet(ref.zinc_config("zinc_bn_lappe"))
    want = {"embedding_h.weight", "embedding_lap_pos_enc.weight", "embedding_lap_pos_enc.bias",
            "embedding_e.weight"}
    for l in range(10):
        p = f"layers.{l}."
        want |= {p + f"attention.{m}.weight" for m in ("Q", "K", "V", "proj_e")}
        for s in ("_h", "_e"):
            want |= {p + f"O{s}.{t}" for t in ("weight", "bias")}
            want |= {p + f"FFN{s}_layer{i}.{t}" for i in (1, 2) for t in ("weight", "bias")}
            want |= {p + f"batch_norm{i}{s}.{t}" for i in (1, 2)
                     for t in ("weight", "bias", "running_mean", "running_var")}
    want |= {f"MLP_layer.FC_layers.{i}.{t}" for i in range(3) for t in ("weight", "bias")}
    got = {n for n in model.state_dict() if not n.endswith("num_batches_tracked")}
    check("ZINC state_dict names = docs/architecture.md", got == want,
          f"{len(got)} names; missing {sorted(want - got)[:3]} extra {sorted(got - want)[:3]}")
    shapes = model.state_dict()
    ok = (tuple(shapes["layers.0.FFN_h_layer1.weight"].shape) == (128, 64)
          and tuple(shapes["embedding_lap_pos_enc.weight"].shape) == (64, 8)
          and tuple(shapes["MLP_layer.FC_layers.2.weight"].shape) == (1, 16))
    check("ZINC parameter shapes ([out, in] like nn.Linear)", ok)
    ln = ref.GraphTransformerNet(ref.zinc_config("zinc_ln_lappe")).state_dict()
    check("LN model has layer_norm{1,2}_{h,e} and no batch_norm",
          "layers.3.layer_norm2_e.weight" in ln and not any("batch_norm" in n for n in ln))
    sbm = ref.GraphTransformerNet(ref.sbm_config("SBM_CLUSTER")).state_dict()
    check("node-only model has no edge stream",
          not any(("_e." in n or "proj_e" in n or "embedding_e" in n) for n in sbm))
    off = {"layers.0.O.weight": 0, "layers.0.batch_norm1.running_var": 0,
           "layers.0.FFN_layer2.bias": 0, "layers.0.attention.Q.weight": 0}
    check("rename_official_node_only", set(ref.rename_official_node_only(off)) == {
        "layers.0.O_h.weight", "layers.0.batch_norm1_h.running_var",
        "layers.0.FFN_h_layer2.bias", "layers.0.attention.Q.weight"})


def test_attention(gen):
    b = random_batch(gen, 5, 3, 0)
    N, M, d = b["node_type"].shape[0], b["src"].shape[0], 12
    for edge in (True, False):
        cls = ref.MultiHeadAttentionEdge if edge else ref.MultiHeadAttention
        att = cls(d, 4, 3).double()
        with torch.no_grad():                 # larger weights: exercise the clamp at +-5
            for lin in att.children():
                lin.weight.normal_(0.0, 1.2, generator=gen)
        h = torch.randn(N, d, dtype=torch.float64, generator=gen, requires_grad=True)
        e = torch.randn(M, d, dtype=torch.float64, generator=gen, requires_grad=True)
        args = (h, e, b["src"], b["dst"]) if edge else (h, b["src"], b["dst"])
        fast = att(*args)
        slow = naive_edge_attention(att, *args) if edge else naive_node_attention(att, *args)
        fast = fast if edge else (fast,)
        slow = slow if edge else (slow,)
        tag = "edge" if edge else "node-only"
        for i, (f, s) in enumerate(zip(fast, slow)):
            check(f"{tag} attention {'h' if i == 0 else 'e (u)'} vectorised == naive loop",
                  torch.allclose(f, s, rtol=1e-12, atol=1e-12), f"max diff {maxdiff(f, s):.1e}")
        # Node 0 (one-node graph) and node 4 (node 3 of graph 1) have no in-edges: output 0.
        check(f"{tag} attention: nodes without in-edges output 0",
              fast[0][0].abs().max() == 0 and fast[0][4].abs().max() == 0)
        # Gradients of a random functional of the outputs, w.r.t. inputs and weights.
        ws = [torch.randn(f.shape, dtype=torch.float64, generator=gen) for f in fast]
        leaves = [h] + ([e] if edge else []) + list(att.parameters())
        gf = torch.autograd.grad(sum((w * f).sum() for w, f in zip(ws, fast)), leaves)
        gs = torch.autograd.grad(sum((w * s).sum() for w, s in zip(ws, slow)), leaves)
        err = max(maxdiff(x, y) for x, y in zip(gf, gs))
        check(f"{tag} attention gradients vectorised == naive loop", err < 1e-10,
              f"max diff {err:.1e}")
        if edge:
            s_sum = fast[1].view(M, 3, 4).sum(-1)
            clamped = int((s_sum.abs() > 5).sum())
            check("edge attention test reaches the clamp", clamped > 0, f"{clamped} clamped scores")


def small_cfg(edge_feat, layer_norm, batch_norm, readout="mean"):
    net = {"L": 2, "n_heads": 4, "hidden_dim": 16, "out_dim": 16, "edge_feat": edge_feat,
           "residual": True, "readout": readout, "layer_norm": layer_norm,
           "batch_norm": batch_norm, "lap_pos_enc": True, "pos_enc_dim": 3,
           "num_atom_type": 6, "num_bond_type": 3, "dropout": 0.0, "in_feat_dropout": 0.0}
    return {"dataset": "ZINC", "net_params": net}


def test_model_vs_naive(gen):
    for edge, ln, bn, ro in ((True, False, True, "mean"), (True, True, True, "sum"),
                             (True, True, False, "max"), (False, False, True, "mean")):
        b = random_batch(gen, 6, 3, 3)
        torch.manual_seed(7)
        fast = ref.GraphTransformerNet(small_cfg(edge, ln, bn, ro)).double().train()
        slow = ref.GraphTransformerNet(small_cfg(edge, ln, bn, ro)).double().train()
        slow.load_state_dict(fast.state_dict())
        use_naive_attention(slow)
        pf, ps = run_model(fast, b), run_model(slow, b)
        fast.loss(pf, b["y"]).backward()
        slow.loss(ps, b["y"]).backward()
        gerr = max(maxdiff(p.grad if p.grad is not None else torch.zeros_like(p),
                           q.grad if q.grad is not None else torch.zeros_like(q))
                   for p, q in zip(fast.parameters(), slow.parameters()))
        serr = max((maxdiff(x, y) for x, y in zip(fast.buffers(), slow.buffers())), default=0.0)
        tag = f"edge_feat={edge} LN={ln} BN={bn} readout={ro}"
        check(f"model {tag}: train pred, grads, running stats == naive", maxdiff(pf, ps) < 1e-12
              and gerr < 1e-10 and serr < 1e-12,
              f"pred {maxdiff(pf, ps):.1e} grad {gerr:.1e} stats {serr:.1e}")


def subgraph(b, g):
    keep = (b["node_graph"] == g).nonzero().squeeze(1)
    first = int(keep[0])
    emask = b["node_graph"][b["dst"]] == g
    return {"node_type": b["node_type"][keep], "edge_type": b["edge_type"][emask],
            "src": b["src"][emask] - first, "dst": b["dst"][emask] - first,
            "node_graph": torch.zeros(len(keep), dtype=torch.long), "num_graphs": 1,
            "pe": b["pe"][keep], "y": b["y"][g:g + 1]}


def test_batching(gen):
    b = random_batch(gen, 6, 3, 3)
    model = ref.GraphTransformerNet(small_cfg(True, False, True)).double()
    with torch.no_grad():                    # non-trivial running stats for eval mode
        for buf_name, buf in model.named_buffers():
            if buf_name.endswith("running_mean"):
                buf.normal_(0, 0.3, generator=gen)
            elif buf_name.endswith("running_var"):
                buf.uniform_(0.5, 2.0, generator=gen)
        model.eval()
        whole = run_model(model, b)
        alone = torch.cat([run_model(model, subgraph(b, g)) for g in range(b["num_graphs"])])
        check("eval: batch prediction == each graph alone", maxdiff(whole, alone) < 1e-12,
              f"max diff {maxdiff(whole, alone):.1e}")
        perm = torch.randperm(b["src"].shape[0], generator=gen)
        shuffled = dict(b, src=b["src"][perm], dst=b["dst"][perm], edge_type=b["edge_type"][perm])
        other = run_model(model, shuffled)
        check("eval: prediction independent of edge order", maxdiff(whole, other) < 1e-12,
              f"max diff {maxdiff(whole, other):.1e}")


def test_sbm_loss(gen):
    logits = torch.randn(30, 6, dtype=torch.float64, generator=gen)
    labels = torch.randint(0, 4, (30,), generator=gen)       # classes 4, 5 absent
    V = 30
    n = [int((labels == c).sum()) for c in range(6)]
    w = [(V - n[c]) / V if n[c] else 0.0 for c in range(6)]
    ce = -torch.log_softmax(logits, 1)[torch.arange(30), labels]
    wy = torch.tensor([w[int(y)] for y in labels], dtype=torch.float64)
    want = (wy * ce).sum() / wy.sum()
    got = ref.weighted_cross_entropy(logits, labels, 6)
    check("SBM weighted cross-entropy == SPEC formula", abs(got - want) < 1e-12,
          f"{got.item():.6f} vs {want.item():.6f}")
    model = ref.GraphTransformerNet(ref.sbm_config("SBM_CLUSTER")).train()
    b = random_batch(gen, 7, 1, 10, torch.float32)
    out = run_model(model, b)
    loss = model.loss(out, torch.randint(0, 6, (out.shape[0],), generator=gen))
    loss.backward()
    check("CLUSTER model: per-node logits [N, 6], finite loss and grads",
          tuple(out.shape) == (b["node_type"].shape[0], 6) and bool(torch.isfinite(loss))
          and all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None))


def test_safetensors(gen):
    tensors = {"f32": torch.randn(3, 4, generator=gen), "f64": torch.randn(5, dtype=torch.float64),
               "i32": torch.tensor([[1, -2], [3, 2 ** 31 - 1]], dtype=torch.int32),
               "i64": torch.tensor([-(2 ** 40), 7]),
               "u8": torch.tensor([0, 255], dtype=torch.uint8),
               "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 8)}
    meta = {"config": json.dumps({"a": 1}), "lr": "0.0007"}
    raw = st.dumps(tensors, meta)
    back, m2 = st.loads(raw)
    ok = set(back) == set(tensors) and m2 == meta and all(
        back[k].dtype == v.dtype and back[k].shape == v.shape and torch.equal(back[k], v)
        for k, v in tensors.items())
    check("safetensors round trip (F32 F64 I32 I64 U8, scalar, empty, metadata)", ok)
    check("safetensors data starts 8-aligned", (8 + struct.unpack("<Q", raw[:8])[0]) % 8 == 0)

    def header_of(buf):
        n = struct.unpack("<Q", buf[:8])[0]
        return json.loads(buf[8:8 + n]), buf[8 + n:]

    def rebuild(header, data):
        h = json.dumps(header).encode()
        return struct.pack("<Q", len(h)) + h + data

    h, data = header_of(raw)
    bad = {}
    hh = json.loads(json.dumps(h))
    hh["f32"]["data_offsets"][1] -= 4
    bad["size mismatch"] = rebuild(hh, data)
    hh = json.loads(json.dumps(h))
    hh["i64"]["data_offsets"] = [x + 4 for x in hh["i64"]["data_offsets"]]
    bad["overlap/hole"] = rebuild(hh, data)
    bad["trailing bytes"] = rebuild(h, data + b"\0" * 8)
    bad["offset past end"] = rebuild(h, data[:-8])
    hh = json.loads(json.dumps(h))
    hh["u8"]["dtype"] = "Q9"
    bad["unknown dtype"] = rebuild(hh, data)
    bad["header length"] = struct.pack("<Q", 10 ** 6) + raw[8:]
    bad["not JSON"] = struct.pack("<Q", 4) + b"{{{{"
    for what, buf in bad.items():
        try:
            st.loads(buf)
            check(f"safetensors rejects {what}", False)
        except st.SafetensorsError:
            check(f"safetensors rejects {what}", True)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x.safetensors")
        st.save(path, tensors, meta)
        back, _ = st.load(path)
        check("safetensors save/load file", torch.equal(back["f32"], tensors["f32"]))


def test_dump_roundtrip(gen):
    """Weights + batch written as a dump (parameter names, I32 batch fields) and read back."""
    model = ref.GraphTransformerNet(ref.zinc_config("zinc_bn_lappe")).eval()
    b = random_batch(gen, 28, 4, 8, torch.float32)
    dump = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    for k in ("node_type", "edge_type", "src", "dst", "node_graph"):
        dump["batch." + k] = b[k].to(torch.int32)
    dump["batch.pe"], dump["batch.y"] = b["pe"], b["y"]
    with torch.no_grad():
        dump["out.pred_eval"] = run_model(model, b)
    buf = io.BytesIO(st.dumps(dump, {"config": json.dumps(ref.zinc_config()), "lr": "0.0007"}))
    back, meta = st.loads(buf.getvalue())
    fresh = ref.GraphTransformerNet(json.loads(meta["config"])).eval()
    fresh.load_state_dict({k: back[k] for k in ref.buffer_names(fresh)
                           + [n for n, _ in fresh.named_parameters()]}, strict=False)
    bb = {k: back["batch." + k].long() for k in ("node_type", "edge_type", "src", "dst",
                                                  "node_graph")}
    bb.update(pe=back["batch.pe"], num_graphs=b["num_graphs"])
    with torch.no_grad():
        pred = run_model(fresh, bb)
    check("dump round trip: fresh model reproduces out.pred_eval bitwise",
          torch.equal(pred, back["out.pred_eval"]))


def run():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1234)
    test_counts()
    test_names()
    test_attention(gen)
    test_model_vs_naive(gen)
    test_batching(gen)
    test_sbm_loss(gen)
    test_safetensors(gen)
    test_dump_roundtrip(gen)
    passed = sum(_results)
    print(f"{passed} passed, {len(_results) - passed} failed")
    return 0 if passed == len(_results) else 1
