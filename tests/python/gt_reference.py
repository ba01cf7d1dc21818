"""Independent PyTorch reference of the Graph Transformer (Dwivedi & Bresson 2020).

This is the test oracle of the C++ engine: plain torch (no DGL/PyG), float32 on CPU, written
to be read next to /work/shared/SPEC.md sections 1-3 and the official code
(graphdeeplearning/graphtransformer). Module and parameter names reproduce the official
state_dict names as listed in docs/architecture.md.

A batch is a block-diagonal union of graphs given as flat tensors:
    node_type  int64 [N]    categorical node feature (atom type / SBM node feature)
    edge_type  int64 [M]    categorical edge feature (bond type); unused by node-only models
    src, dst   int64 [M]    directed edges src -> dst; node i attends over its in-edges
    node_graph int64 [N]    graph index of each node (graph-level readout)
    num_graphs int          G
    pe         float [N,k]  Laplacian PE exactly as fed (sign flips already applied)
Edge order is irrelevant to the result except for floating-point summation order.

Run `/usr/bin/python3 tests/python/gt_reference.py --selftest` for the self-test
(tests/python/selftest_reference.py), or `--count CONFIG.json` to print a parameter count.
"""

import dataclasses
import json
import math
import re
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

# scatter_reduce (used by the max readout only) warns that it is "beta" in torch 1.13.
warnings.filterwarnings("ignore", message="scatter_reduce\\(\\) is in beta")


# ----------------------------------------------------------------------------- config

@dataclasses.dataclass
class NetConfig:
    """The net_params of an official config, resolved (task and vocabularies filled in)."""
    L: int = 10
    n_heads: int = 8
    hidden_dim: int = 64
    out_dim: int = 64
    residual: bool = True
    readout: str = "mean"             # mean | sum | max (graph tasks only)
    in_feat_dropout: float = 0.0
    dropout: float = 0.0
    layer_norm: bool = False
    batch_norm: bool = True
    lap_pos_enc: bool = True
    pos_enc_dim: int = 8
    # True: SPEC §2 edge layers. False: SPEC §1 node-only layers, no edge input at all (the
    # SBM model). NB the official ZINC code with edge_feat=false instead keeps edge layers
    # fed with a constant 1 through Linear(1, d); SPEC and gt use the node-only model.
    edge_feat: bool = True
    num_node_types: int = 28          # ZINC num_atom_type / SBM in_dim
    num_edge_types: int = 4           # ZINC num_bond_type
    task: str = "graph_regression"    # graph_regression | node_classification
    n_classes: int = 1                # outputs of the MLP head (1 for regression)


def _bool(v, name):
    if isinstance(v, bool) or v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    raise ValueError(f"{name}: expected a boolean, got {v!r}")


def parse_config(cfg):
    """Builds a NetConfig from an official-format config dict: either the whole config
    ({"dataset": ..., "params": ..., "net_params": {...}}) or net_params alone."""
    net = dict(cfg.get("net_params", cfg))
    dataset = str(cfg.get("dataset", net.get("dataset", ""))).upper()
    if net.get("wl_pos_enc", False):
        raise ValueError("wl_pos_enc is not part of SPEC and is not implemented")
    c = NetConfig()
    for f in ("L", "n_heads", "hidden_dim", "out_dim", "pos_enc_dim"):
        if f in net:
            setattr(c, f, int(net[f]))
    for f in ("residual", "layer_norm", "batch_norm", "lap_pos_enc", "edge_feat"):
        if f in net:
            setattr(c, f, _bool(net[f], f))
    for f in ("in_feat_dropout", "dropout"):
        if f in net:
            setattr(c, f, float(net[f]))
    c.readout = str(net.get("readout", "mean"))
    if c.readout not in ("mean", "sum", "max"):
        raise ValueError(f"readout {c.readout!r}: expected mean, sum or max")
    node_task = ("PATTERN" in dataset or "CLUSTER" in dataset
                 or net.get("task") == "node_classification"
                 or ("ZINC" not in dataset and int(net.get("n_classes", 1)) > 1))
    if node_task:
        # SBM node classification (official SBMs GraphTransformerNet: in_dim, n_classes).
        c.task = "node_classification"
        c.num_node_types = int(net.get("in_dim", 3 if "PATTERN" in dataset else 7))
        c.n_classes = int(net.get("n_classes", 2 if "PATTERN" in dataset else 6))
        # The SBM graphs carry no edge features: the official SBM network has
        # node-only layers whatever edge_feat says (gt resolves configs the same way).
        c.edge_feat = False
    else:
        c.num_node_types = int(net.get("num_atom_type", net.get("num_node_types", 28)))
        c.num_edge_types = int(net.get("num_bond_type", net.get("num_edge_types", 4)))
    if not c.lap_pos_enc:
        c.pos_enc_dim = 0
    for dim in (c.hidden_dim, c.out_dim):
        if dim % c.n_heads:
            raise ValueError(f"width {dim} is not divisible by n_heads={c.n_heads}")
    return c


# ----------------------------------------------------------------------------- graph ops

def gather(x, index):
    """x[index] along dim 0 (per-edge copy of a per-node tensor)."""
    return x.index_select(0, index)


def scatter_sum(x, index, n):
    """out[i] = sum of x[e] over e with index[e] == i; rows without entries are 0."""
    return x.new_zeros((n,) + tuple(x.shape[1:])).index_add_(0, index, x)


# ----------------------------------------------------------------------------- attention

class MultiHeadAttentionEdge(nn.Module):
    """SPEC §2 attention (official graph_transformer_edge_layer.MultiHeadAttentionLayer).

        q_i = Q h_i, k_j = K h_j, v_j = V h_j, e'_ij = proj_e e_ij   (no biases; H heads of d_k)
        u_ij = (k_j (*) q_i) / sqrt(d_k) (*) e'_ij                   per head a d_k-vector
        a_ij = exp(clamp(sum_c u_ij[c], -5, 5))                      no max-subtraction
        head_i = sum_j a_ij v_j / (sum_j a_ij + 1e-6)                0 for a node without in-edges
    Returns (concat heads [N, H*d_k], u [M, H*d_k]); u is the edge-stream output.
    """

    def __init__(self, in_dim, d_k, n_heads):
        super().__init__()
        self.d_k, self.n_heads = d_k, n_heads
        self.Q = nn.Linear(in_dim, d_k * n_heads, bias=False)
        self.K = nn.Linear(in_dim, d_k * n_heads, bias=False)
        self.V = nn.Linear(in_dim, d_k * n_heads, bias=False)
        self.proj_e = nn.Linear(in_dim, d_k * n_heads, bias=False)

    def forward(self, h, e, src, dst):
        n, H, dk = h.shape[0], self.n_heads, self.d_k
        q = self.Q(h).view(n, H, dk)
        k = self.K(h).view(n, H, dk)
        v = self.V(h).view(n, H, dk)
        pe = self.proj_e(e).view(-1, H, dk)
        # The official order: (K_src * Q_dst) / sqrt(d_k), then * proj_e.
        u = gather(k, src) * gather(q, dst) / math.sqrt(dk) * pe           # [M, H, dk]
        a = torch.exp(u.sum(-1, keepdim=True).clamp(-5.0, 5.0))             # [M, H, 1]
        wv = scatter_sum(gather(v, src) * a, dst, n)                        # [N, H, dk]
        z = scatter_sum(a, dst, n)                                          # [N, H, 1]
        head = wv / (z + 1e-6)
        return head.reshape(n, H * dk), u.reshape(-1, H * dk)


class MultiHeadAttention(nn.Module):
    """SPEC §1 attention (official graph_transformer_layer.MultiHeadAttentionLayer), node-only.

        s_ij = (k_j . q_i) / sqrt(d_k);  a_ij = exp(clamp(s_ij, -5, 5))
        head_i = sum_j a_ij v_j / (sum_j a_ij + 1e-6)
    The official code divides by sum_j a_ij without epsilon; SPEC asks for the edge layer's
    +1e-6, which also makes a node without in-edges output 0.
    """

    def __init__(self, in_dim, d_k, n_heads):
        super().__init__()
        self.d_k, self.n_heads = d_k, n_heads
        self.Q = nn.Linear(in_dim, d_k * n_heads, bias=False)
        self.K = nn.Linear(in_dim, d_k * n_heads, bias=False)
        self.V = nn.Linear(in_dim, d_k * n_heads, bias=False)

    def forward(self, h, src, dst):
        n, H, dk = h.shape[0], self.n_heads, self.d_k
        q = self.Q(h).view(n, H, dk)
        k = self.K(h).view(n, H, dk)
        v = self.V(h).view(n, H, dk)
        s = (gather(k, src) * gather(q, dst)).sum(-1, keepdim=True)         # [M, H, 1]
        a = torch.exp((s / math.sqrt(dk)).clamp(-5.0, 5.0))
        wv = scatter_sum(gather(v, src) * a, dst, n)
        z = scatter_sum(a, dst, n)
        return (wv / (z + 1e-6)).reshape(n, H * dk)


# ----------------------------------------------------------------------------- norms

class BatchNorm1d(nn.BatchNorm1d):
    """BatchNorm over all rows of the batch (nodes, or edges for the edge stream), with the
    state_dict of nn.BatchNorm1d, but the statistics computed explicitly in two passes.

    Train mode: y = (x - mean) / sqrt(var + eps) * weight + bias, with the batch mean and
    biased variance; running_mean/var <- (1 - momentum) * running + momentum * (mean,
    unbiased variance). Eval mode: the running statistics.
    Why not nn.BatchNorm1d's own forward: torch 1.13's CPU kernel loses accuracy in float32
    on features whose mean is large next to their spread (ZINC edge features after the bond
    embedding: mean -0.78, std 0.07 gave output errors of 4e-4 against float64, a two-pass
    float32 computation 3e-6). An oracle should not carry that error.
    """

    def forward(self, x):
        if not self.training:
            mean, var = self.running_mean, self.running_var
        else:
            n = x.shape[0]
            mean = x.mean(0)
            var = (x - mean).pow(2).mean(0)                      # biased: normalisation
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * (n / max(n - 1, 1)))
                self.num_batches_tracked += 1
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


# ----------------------------------------------------------------------------- layers

def _make_norms(layer, suffix, width, cfg):
    """Adds layer_norm{1,2}<suffix> and/or batch_norm{1,2}<suffix> (official names)."""
    for i in (1, 2):
        if cfg.layer_norm:
            setattr(layer, f"layer_norm{i}{suffix}", nn.LayerNorm(width, eps=1e-5))
        if cfg.batch_norm:
            setattr(layer, f"batch_norm{i}{suffix}", BatchNorm1d(width, eps=1e-5, momentum=0.1))


def _norm(layer, i, suffix, x):
    """Post-norm: LayerNorm, then BatchNorm, whichever are enabled (official order).
    BatchNorm1d normalises over all rows of the batch (nodes, or edges for _e)."""
    if layer.use_layer_norm:
        x = getattr(layer, f"layer_norm{i}{suffix}")(x)
    if layer.use_batch_norm:
        x = getattr(layer, f"batch_norm{i}{suffix}")(x)
    return x


class GraphTransformerEdgeLayer(nn.Module):
    """SPEC §2 layer (official graph_transformer_edge_layer.GraphTransformerLayer):

        h1 = Norm(h + O_h drop(concat heads) + b);   h2 = Norm(h1 + FFN_h(h1))
        e1 = Norm(e + O_e drop(concat u) + b);       e2 = Norm(e1 + FFN_e(e1))
        FFN(x) = W2 drop(ReLU(W1 x + b1)) + b2,  d -> 2d -> d
    The edge stream is computed in every layer, the last included (the official code does
    so; there its output is unused but its BatchNorm running stats are still updated).
    """

    def __init__(self, in_dim, out_dim, cfg):
        super().__init__()
        self.dropout = cfg.dropout
        # The residual needs equal widths (true for every paper config: out_dim == hidden_dim).
        self.residual = cfg.residual and in_dim == out_dim
        self.use_layer_norm, self.use_batch_norm = cfg.layer_norm, cfg.batch_norm
        self.attention = MultiHeadAttentionEdge(in_dim, out_dim // cfg.n_heads, cfg.n_heads)
        self.O_h = nn.Linear(out_dim, out_dim)
        self.O_e = nn.Linear(out_dim, out_dim)
        _make_norms(self, "_h", out_dim, cfg)
        _make_norms(self, "_e", out_dim, cfg)
        self.FFN_h_layer1 = nn.Linear(out_dim, 2 * out_dim)
        self.FFN_h_layer2 = nn.Linear(2 * out_dim, out_dim)
        self.FFN_e_layer1 = nn.Linear(out_dim, 2 * out_dim)
        self.FFN_e_layer2 = nn.Linear(2 * out_dim, out_dim)

    def _ffn(self, x, which):
        x = F.relu(getattr(self, f"FFN_{which}_layer1")(x))
        x = F.dropout(x, self.dropout, training=self.training)
        return getattr(self, f"FFN_{which}_layer2")(x)

    def forward(self, h, e, src, dst):
        h_in1, e_in1 = h, e
        h, e = self.attention(h, e, src, dst)
        h = self.O_h(F.dropout(h, self.dropout, training=self.training))
        e = self.O_e(F.dropout(e, self.dropout, training=self.training))
        if self.residual:
            h, e = h_in1 + h, e_in1 + e
        h, e = _norm(self, 1, "_h", h), _norm(self, 1, "_e", e)
        h_in2, e_in2 = h, e
        h, e = self._ffn(h, "h"), self._ffn(e, "e")
        if self.residual:
            h, e = h_in2 + h, e_in2 + e
        return _norm(self, 2, "_h", h), _norm(self, 2, "_e", e)


class GraphTransformerLayer(nn.Module):
    """SPEC §1 layer, node-only (official graph_transformer_layer.GraphTransformerLayer):

        h1 = Norm(h + O_h drop(concat heads) + b);   h2 = Norm(h1 + FFN_h(h1))
    Parameter names follow docs/architecture.md (O_h, batch_norm1_h, FFN_h_layer1, ...);
    the official node-only layer calls them O, batch_norm1, FFN_layer1, ... — see
    rename_official_node_only().
    """

    def __init__(self, in_dim, out_dim, cfg):
        super().__init__()
        self.dropout = cfg.dropout
        self.residual = cfg.residual and in_dim == out_dim
        self.use_layer_norm, self.use_batch_norm = cfg.layer_norm, cfg.batch_norm
        self.attention = MultiHeadAttention(in_dim, out_dim // cfg.n_heads, cfg.n_heads)
        self.O_h = nn.Linear(out_dim, out_dim)
        _make_norms(self, "_h", out_dim, cfg)
        self.FFN_h_layer1 = nn.Linear(out_dim, 2 * out_dim)
        self.FFN_h_layer2 = nn.Linear(2 * out_dim, out_dim)

    def forward(self, h, e, src, dst):
        h_in1 = h
        h = self.attention(h, src, dst)
        h = self.O_h(F.dropout(h, self.dropout, training=self.training))
        if self.residual:
            h = h_in1 + h
        h = _norm(self, 1, "_h", h)
        h_in2 = h
        h = F.relu(self.FFN_h_layer1(h))
        h = self.FFN_h_layer2(F.dropout(h, self.dropout, training=self.training))
        if self.residual:
            h = h_in2 + h
        return _norm(self, 2, "_h", h), None


class MLPReadout(nn.Module):
    """Official MLPReadout(input_dim, output_dim, L=2): d -> d/2 -> d/4 -> out, ReLU between."""

    def __init__(self, input_dim, output_dim, L=2):
        super().__init__()
        dims = [input_dim // 2 ** l for l in range(L + 1)] + [output_dim]
        self.FC_layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))

    def forward(self, x):
        for i, fc in enumerate(self.FC_layers):
            x = fc(x)
            if i + 1 < len(self.FC_layers):
                x = F.relu(x)
        return x


# ----------------------------------------------------------------------------- network

class GraphTransformerNet(nn.Module):
    """SPEC §3. ZINC (graph regression, edge layers) or PATTERN/CLUSTER (node classification,
    node-only layers). forward() returns [G] predictions (regression) or [N, C] logits."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg if isinstance(cfg, NetConfig) else parse_config(cfg)
        c = self.cfg
        d = c.hidden_dim
        self.embedding_h = nn.Embedding(c.num_node_types, d)
        if c.lap_pos_enc:
            self.embedding_lap_pos_enc = nn.Linear(c.pos_enc_dim, d)
        if c.edge_feat:
            self.embedding_e = nn.Embedding(c.num_edge_types, d)
        self.in_feat_dropout = nn.Dropout(c.in_feat_dropout)
        layer = GraphTransformerEdgeLayer if c.edge_feat else GraphTransformerLayer
        widths = [d] * c.L + [c.out_dim]     # the last layer maps hidden_dim -> out_dim
        self.layers = nn.ModuleList(layer(widths[l], widths[l + 1], c) for l in range(c.L))
        self.MLP_layer = MLPReadout(c.out_dim, c.n_classes)

    def forward(self, node_type, edge_type, src, dst, node_graph=None, num_graphs=None, pe=None):
        c = self.cfg
        h = self.embedding_h(node_type)
        if c.lap_pos_enc:
            h = h + self.embedding_lap_pos_enc(pe)
        h = self.in_feat_dropout(h)
        e = self.embedding_e(edge_type) if c.edge_feat else None
        for layer in self.layers:
            h, e = layer(h, e, src, dst)
        if c.task == "node_classification":
            return self.MLP_layer(h)                                     # [N, C]
        return self.MLP_layer(readout(h, node_graph, num_graphs, c.readout)).squeeze(-1)

    def loss(self, pred, target):
        if self.cfg.task == "node_classification":
            return weighted_cross_entropy(pred, target, self.cfg.n_classes)
        return F.l1_loss(pred, target)        # nn.L1Loss(): mean over graphs


def readout(h, node_graph, num_graphs, how="mean"):
    """Per-graph pooling of node rows (dgl.mean_nodes / sum_nodes / max_nodes)."""
    if how == "max":
        idx = node_graph[:, None].expand_as(h)
        out = h.new_zeros(num_graphs, h.shape[1])
        return out.scatter_reduce(0, idx, h, reduce="amax", include_self=False)
    total = scatter_sum(h, node_graph, num_graphs)
    if how == "sum":
        return total
    count = scatter_sum(torch.ones_like(h[:, :1]), node_graph, num_graphs)
    return total / count.clamp(min=1)        # an empty graph pools to 0


def weighted_cross_entropy(logits, labels, n_classes):
    """SPEC §3 SBM loss: w_c = (V - n_c)/V (0 if n_c = 0);
    loss = sum_i w_{y_i} CE_i / sum_i w_{y_i} (= nn.CrossEntropyLoss(weight=w))."""
    V = labels.shape[0]
    n = torch.bincount(labels, minlength=n_classes).to(logits.dtype)
    w = (V - n) / V * (n > 0).to(logits.dtype)
    return F.cross_entropy(logits, labels, weight=w)


# ----------------------------------------------------------------------------- helpers

def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


def buffer_names(model):
    """Names of the running statistics (num_batches_tracked excluded: it is not in the dump
    and has no effect, since momentum is fixed at 0.1)."""
    return [n for n, _ in model.named_buffers() if not n.endswith("num_batches_tracked")]


def rename_official_node_only(state_dict):
    """Maps an official SBM checkpoint's node-only layer names (O, batch_norm1, FFN_layer1,
    ...) to the names used here and by gt (O_h, batch_norm1_h, FFN_h_layer1, ...)."""
    pat = re.compile(r"^(layers\.\d+\.)(O|batch_norm[12]|layer_norm[12]|FFN_layer[12])\.")

    def new(name):
        m = pat.match(name)
        if not m:
            return name
        base = m.group(2)
        base = base.replace("FFN_layer", "FFN_h_layer") if base.startswith("FFN") else base + "_h"
        return m.group(1) + base + name[m.end() - 1:]
    return {new(k): v for k, v in state_dict.items()}


def zinc_config(variant="zinc_bn_lappe"):
    """The paper's ZINC configs as official-format dicts (for self-tests and fake dumps)."""
    net = {"L": 10, "n_heads": 8, "hidden_dim": 64, "out_dim": 64, "edge_feat": True,
           "residual": True, "readout": "mean", "in_feat_dropout": 0.0, "dropout": 0.0,
           "layer_norm": False, "batch_norm": True, "self_loop": False, "full_graph": False,
           "lap_pos_enc": True, "pos_enc_dim": 8, "wl_pos_enc": False,
           "num_atom_type": 28, "num_bond_type": 4}
    if variant == "zinc_bn_nope":
        net["lap_pos_enc"] = False
    elif variant == "zinc_ln_lappe":
        net["layer_norm"], net["batch_norm"] = True, False
    elif variant != "zinc_bn_lappe":
        raise ValueError(f"unknown variant {variant!r}")
    return {"model": "GraphTransformer", "dataset": "ZINC", "net_params": net,
            "params": {"init_lr": 7e-4, "batch_size": 128}}


def sbm_config(dataset="SBM_PATTERN", lap_pos_enc=True):
    """The paper's PATTERN / CLUSTER configs (d = 80, 10 node-only layers)."""
    k = 2 if "PATTERN" in dataset else 10
    net = {"L": 10, "n_heads": 8, "hidden_dim": 80, "out_dim": 80, "edge_feat": False,
           "residual": True, "readout": "mean", "in_feat_dropout": 0.0, "dropout": 0.0,
           "layer_norm": False, "batch_norm": True, "lap_pos_enc": lap_pos_enc,
           "pos_enc_dim": k, "wl_pos_enc": False}
    return {"model": "GraphTransformer", "dataset": dataset, "net_params": net}


def main(argv):
    if argv[:1] == ["--selftest"]:
        import selftest_reference
        return selftest_reference.run()
    if len(argv) == 2 and argv[0] == "--count":
        with open(argv[1]) as f:
            model = GraphTransformerNet(json.load(f))
        print(f"{count_parameters(model):,} parameters ({model.cfg})")
        return 0
    print("usage: gt_reference.py --selftest | --count CONFIG.json", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
