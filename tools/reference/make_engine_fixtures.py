#!/usr/bin/python3
"""Writes PyTorch reference fixtures for the autograd ops: tests/MultiRec.Tests/fixtures/engine/ops/<case>/.

Run from the repository root with /usr/bin/python3 (torch 1.13, numpy):
    /usr/bin/python3 tools/reference/make_engine_fixtures.py [CASE ...]   (no case names: every case)

Every case folder holds .npy files (little-endian, C order):
    in_<name>.npy    float32 inputs (2-D); gradients are taken with respect to every in_* tensor
    idx_<name>.npy   int32 row indices (1-D)
    mask_<name>.npy  float32 0/1 dropout masks (2-D), drawn by torch's own dropout
    out.npy          the case's output (2-D; losses are 1x1)
    dout.npy         the upstream gradient fed to backward (for 1x1 losses: [[1]])
    grad_<name>.npy  d(sum(out * dout)) / d in_<name>
The reference math runs in float64 on the float32 inputs (so the fixture holds PyTorch's semantics without
float32 round-off of its own); the script also reruns each case in float32 and prints the largest difference.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "MultiRec.Tests", "fixtures", "engine", "ops")
EPS = 1e-8


def rand(gen, rows, cols, lo=-1.0, hi=1.0):
    return (lo + (hi - lo) * torch.rand(rows, cols, generator=gen)).float()


def normalised_bipartite(users, items, edges):
    """D^-1/2 A D^-1/2 of the user-item graph, degrees + 1e-7, as MMRec's bm3.get_norm_adj_mat (dense here)."""
    n = users + items
    a = np.zeros((n, n), dtype=np.float32)
    for u, i in edges:
        a[u, users + i] = 1.0
        a[users + i, u] = 1.0
    deg = (a != 0).sum(axis=1) + 1e-7
    d = np.power(deg, -0.5)
    return (d[:, None] * a * d[None, :]).astype(np.float32)


# Case names given on the command line (none: every case). The others are still drawn, so every case's inputs are
# the same whichever are written.
ONLY = set(sys.argv[1:])


def run_case(name, inputs, fn, extras=None, dout=None, seed=0):
    """Runs fn(dict of float64 leaf tensors) -> output; writes inputs, output, dout and gradients."""
    if ONLY and name not in ONLY:
        return
    extras = extras or {}

    def evaluate(dtype):
        leaves = {k: torch.tensor(v.numpy(), dtype=dtype, requires_grad=True) for k, v in inputs.items()}
        out = fn(leaves, dtype)
        out2 = out.reshape(out.shape[0], -1) if out.dim() >= 1 else out.reshape(1, 1)
        return leaves, out2

    leaves, out = evaluate(torch.float64)
    if dout is None:
        if out.numel() == 1:
            dout = torch.ones(1, 1, dtype=torch.float64)
        else:
            gen = torch.Generator().manual_seed(1000 + seed)
            dout = rand(gen, out.shape[0], out.shape[1]).double()
    (out * dout).sum().backward()

    leaves32, out32 = evaluate(torch.float32)
    (out32 * dout.float()).sum().backward()
    worst = rel_err(out32.detach(), out.detach())
    for k in inputs:
        g64 = leaves[k].grad if leaves[k].grad is not None else torch.zeros_like(leaves[k])
        g32 = leaves32[k].grad if leaves32[k].grad is not None else torch.zeros_like(leaves32[k])
        worst = max(worst, rel_err(g32, g64))

    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        os.remove(os.path.join(folder, f))
    for k, v in inputs.items():
        save(folder, "in_" + k, v.numpy().astype(np.float32))
        g = leaves[k].grad if leaves[k].grad is not None else torch.zeros_like(leaves[k])
        save(folder, "grad_" + k, g.detach().numpy().astype(np.float32))
    for k, v in extras.items():
        save(folder, k, v)
    save(folder, "out", out.detach().numpy().astype(np.float32))
    save(folder, "dout", dout.numpy().astype(np.float32))
    print(f"{name:24s} out {tuple(out.shape)}  torch float32 vs float64 max relative difference {worst:.2e}")


def rel_err(a, b):
    a = a.double()
    b = b.double()
    scale = max(b.abs().max().item(), 1e-12)
    return (a - b).abs().max().item() / scale


def save(folder, name, array):
    if array.dtype == np.int64:
        array = array.astype(np.int32)
    np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(array))


def torch_dropout_mask(gen_seed, shape, p):
    """A 0/1 mask drawn by torch.nn.functional.dropout itself (on an all-ones input), checked against its output."""
    torch.manual_seed(gen_seed)
    ones = torch.ones(*shape)
    dropped = F.dropout(ones, p=p, training=True)
    mask = (dropped != 0).float()
    assert torch.allclose(dropped, mask / (1 - p))
    return mask


def main():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(20230501)

    run_case("linear", {"x": rand(g, 5, 4), "w": rand(g, 3, 4), "b": rand(g, 1, 3)},
             lambda v, dt: F.linear(v["x"], v["w"], v["b"].reshape(-1)), seed=1)

    rows = np.array([4, 1, 4, 0, 5], dtype=np.int32)
    run_case("linear_rows", {"table": rand(g, 6, 4), "w": rand(g, 3, 4), "b": rand(g, 1, 3)},
             lambda v, dt: F.linear(v["table"], v["w"], v["b"].reshape(-1))[torch.from_numpy(rows).long()],
             extras={"idx_rows": rows}, seed=2)

    gather = np.array([3, 0, 3, 3, 1], dtype=np.int32)
    run_case("gather_rows", {"x": rand(g, 5, 3)},
             lambda v, dt: v["x"][torch.from_numpy(gather).long()], extras={"idx_rows": gather}, seed=3)

    run_case("concat_rows", {"a": rand(g, 2, 3), "b": rand(g, 3, 3)},
             lambda v, dt: torch.cat([v["a"], v["b"], v["a"]], dim=0), seed=4)

    run_case("slice_rows", {"x": rand(g, 6, 3)},
             lambda v, dt: torch.cat([v["x"][4:6], 2 * v["x"][1:5]], dim=0), seed=5)

    adjacency = normalised_bipartite(3, 4, [(0, 1), (0, 3), (1, 1), (2, 0), (2, 2), (1, 3)])
    run_case("sparse_mean_propagation", {"x": rand(g, 7, 3)},
             lambda v, dt: lightgcn_mean(torch.tensor(adjacency, dtype=dt).to_sparse(), v["x"], 2),
             extras={"const_adjacency": adjacency}, seed=6)

    run_case("arithmetic", {"a": rand(g, 3, 4), "b": rand(g, 3, 4)},
             lambda v, dt: torch.mean(torch.stack([v["a"] + v["b"], v["a"] - v["b"], 2.5 * v["a"], v["a"] * v["b"]]), dim=0),
             seed=7)

    p = 0.3
    mask = torch_dropout_mask(11, (6, 5), p)
    run_case("dropout", {"x": rand(g, 6, 5)},
             lambda v, dt: v["x"] * mask.to(dt) / (1 - p), extras={"mask_x": mask.numpy()}, seed=8)

    a = rand(g, 7, 4)
    b = rand(g, 7, 4)
    a[1] *= 1e-9  # ||a|| < eps: clamped
    b[2] *= 1e-9  # ||b|| < eps: clamped
    a[3] *= 1e-5  # both tiny but each norm > eps (product < eps): not clamped in torch 1.13
    b[3] *= 1e-5
    a[4] = 0.0    # zero row
    a[5] *= 1e-10
    b[5] *= 1e-10  # both clamped
    run_case("cosine_similarity", {"a": a, "b": b},
             lambda v, dt: F.cosine_similarity(v["a"], v["b"], dim=-1, eps=EPS).reshape(-1, 1), seed=9)
    check_cosine_formula()

    run_case("sum_all", {"x": rand(g, 4, 3)}, lambda v, dt: v["x"].sum().reshape(1, 1))
    run_case("mean_all", {"x": rand(g, 4, 3)}, lambda v, dt: v["x"].mean().reshape(1, 1))
    run_case("frobenius_norm", {"x": rand(g, 4, 3)}, lambda v, dt: v["x"].norm(p="fro").reshape(1, 1))

    x = rand(g, 3, 4, -8.0, 8.0)
    x[0, 0], x[0, 1], x[1, 0], x[1, 1] = 50.0, -50.0, 100.0, -100.0
    run_case("log_sigmoid", {"x": x}, lambda v, dt: F.logsigmoid(v["x"]), seed=10)

    users = np.array([0, 2, 0, 1], dtype=np.int32)
    pos = np.array([1, 4, 1, 0], dtype=np.int32)
    neg = np.array([3, 3, 2, 4], dtype=np.int32)

    def bpr(v, dt):
        u = torch.from_numpy(users).long()
        s_pos = (v["user"][u] * v["item"][torch.from_numpy(pos).long()]).sum(-1)
        s_neg = (v["user"][u] * v["item"][torch.from_numpy(neg).long()]).sum(-1)
        return -F.logsigmoid(s_pos - s_neg).mean().reshape(1, 1)
    run_case("bpr_row_dot", {"user": rand(g, 3, 4, -2, 2), "item": rand(g, 5, 4, -2, 2)}, bpr,
             extras={"idx_users": users, "idx_pos": pos, "idx_neg": neg})

    bm3_composite(g)
    zoo_ops()
    lattice_ops()
    softmax_cross_entropy_cases()


def zoo_ops():
    """Ops of the second model zoo; each case draws from its own generator, so adding one changes no other case."""
    def gen(case):
        return torch.Generator().manual_seed(20261202 + case)

    g = gen(0)
    x = rand(g, 6, 5)
    x[1] = 0.0      # zero row: clamped, the gradient is g / eps
    x[2] *= 1e-13   # norm below eps = 1e-12: clamped
    x[3] *= 1e-6    # small but above eps
    run_case("l2_normalize_rows", {"x": x}, lambda v, dt: F.normalize(v["x"], p=2, dim=1), seed=11)

    # GRCN's attention: softmax over each target's incoming edges (the entries of a CSR row; row 1 is empty), and
    # the per-edge strongest modality (torch.max over dim 1; row 2 ties and takes the first column)
    rowptr = np.array([0, 3, 3, 4, 6], dtype=np.int32)
    g = gen(2)
    v = rand(g, 6, 1, -3.0, 3.0)
    v[4, 0] = 40.0   # a dominant entry: the max shift keeps exp finite
    run_case("pattern_row_softmax", {"v": v},
             lambda x, dt: torch.cat([F.softmax(x["v"][rowptr[r]:rowptr[r + 1]], dim=0)
                                      for r in range(len(rowptr) - 1)], dim=0), extras={"idx_rowptr": rowptr}, seed=13)
    g = gen(3)
    m = rand(g, 4, 3)
    m[2, 2] = m[2, 0] = 2.0
    run_case("max_columns", {"x": m}, lambda x, dt: torch.max(x["x"], dim=1).values.reshape(-1, 1), seed=14)

    # DualGNN's user fusion: torch.matmul(cat((v[:, :, None], t[:, :, None]), 2), w[:, :, None]).squeeze()
    g = gen(1)
    run_case("row_weighted_sum", {"w": rand(g, 5, 2), "a": rand(g, 5, 4), "b": rand(g, 5, 4)},
             lambda v, dt: torch.matmul(torch.cat((v["a"].unsqueeze(2), v["b"].unsqueeze(2)), dim=2),
                                        v["w"].unsqueeze(2)).squeeze(2), seed=12)
    mmgcn_ops(g)


def lightgcn_mean(adj, x, layers):
    terms = [x]
    for _ in range(layers):
        terms.append(torch.sparse.mm(adj, terms[-1]))
    return torch.mean(torch.stack(terms, dim=1), dim=1)


def check_cosine_formula():
    """Documents torch 1.13's eps handling: each norm is clamped separately (not their product)."""
    a = torch.tensor([[1e-5, 0.0]], dtype=torch.float64)
    b = torch.tensor([[1e-5, 1e-5]], dtype=torch.float64)
    c = F.cosine_similarity(a, b, dim=-1, eps=EPS).item()
    assert abs(c - 2 ** -0.5) < 1e-12, c  # product clamping would give 0.01
    a = torch.tensor([[1e-9, 0.0]], dtype=torch.float64)
    b = torch.tensor([[1.0, 1.0]], dtype=torch.float64)
    c = F.cosine_similarity(a, b, dim=-1, eps=EPS).item()
    assert abs(c - 1e-9 / (EPS * 2 ** 0.5)) < 1e-12, c  # per-norm clamping: ||a|| -> eps
    # Backward: torch clamps the norms in place, so its gradient for a clamped row is
    # b / (n1 n2) - cos * a / n1^2 with n1 = eps (not the exact derivative, which drops the second term).
    a = torch.tensor([[3e-9, 4e-9]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([[0.6, -0.8]], dtype=torch.float64)
    c = F.cosine_similarity(a, b, dim=-1, eps=EPS)
    c.sum().backward()
    expected = b / EPS - c.detach() * a.detach() / EPS ** 2
    assert torch.allclose(a.grad, expected, rtol=1e-12), (a.grad, expected)


def bm3_composite(g):
    """A small BM3 loss (MMRec bm3.py calculate_loss) with exported dropout masks for the detached targets."""
    n_users, n_items, dim, v_dim, t_dim = 5, 7, 8, 12, 10
    layers, p, reg_weight, cl_weight = 2, 0.3, 0.1, 2.0
    edges = [(0, 0), (0, 2), (1, 1), (1, 2), (2, 3), (2, 0), (3, 4), (3, 5), (4, 6), (4, 1), (0, 5)]
    adjacency = normalised_bipartite(n_users, n_items, edges)
    u_b = np.array([0, 1, 2, 0, 3, 4, 1, 0], dtype=np.int32)
    i_b = np.array([0, 2, 3, 2, 5, 6, 1, 0], dtype=np.int32)
    masks = {k: torch_dropout_mask(100 + j, shape, p).numpy()
             for j, (k, shape) in enumerate([("mask_u", (n_users, dim)), ("mask_i", (n_items, dim)),
                                             ("mask_v", (n_items, dim)), ("mask_t", (n_items, dim))])}
    inputs = {
        "user_embedding": rand(g, n_users, dim, -0.5, 0.5),
        "item_id_embedding": rand(g, n_items, dim, -0.5, 0.5),
        "image_embedding": rand(g, n_items, v_dim, 0.0, 1.0),
        "text_embedding": rand(g, n_items, t_dim, -1.0, 1.0),
        "image_trs_weight": rand(g, dim, v_dim, -0.3, 0.3),
        "image_trs_bias": rand(g, 1, dim, -0.3, 0.3),
        "text_trs_weight": rand(g, dim, t_dim, -0.3, 0.3),
        "text_trs_bias": rand(g, 1, dim, -0.3, 0.3),
        "predictor_weight": rand(g, dim, dim, -0.35, 0.35),
        "predictor_bias": rand(g, 1, dim, -0.35, 0.35),
    }

    def loss_fn(v, dt):
        adj = torch.tensor(adjacency, dtype=dt).to_sparse()
        ego = torch.cat([v["user_embedding"], v["item_id_embedding"]], dim=0)
        h = lightgcn_mean(adj, ego, layers)
        h_u, h_i = torch.split(h, [n_users, n_items], dim=0)
        h_i = h_i + v["item_id_embedding"]
        hv = F.linear(v["image_embedding"], v["image_trs_weight"], v["image_trs_bias"].reshape(-1))
        ht = F.linear(v["text_embedding"], v["text_trs_weight"], v["text_trs_bias"].reshape(-1))

        def pred(x):
            return F.linear(x, v["predictor_weight"], v["predictor_bias"].reshape(-1))
        on_u, on_i, on_v, on_t = pred(h_u), pred(h_i), pred(hv), pred(ht)
        with torch.no_grad():
            def target(x, key):
                return x.clone() * torch.tensor(masks[key], dtype=dt) / (1 - p)
            t_u, t_i, t_v, t_t = target(h_u, "mask_u"), target(h_i, "mask_i"), target(hv, "mask_v"), target(ht, "mask_t")
        u = torch.from_numpy(u_b).long()
        i = torch.from_numpy(i_b).long()

        def one_minus_cos(x, y):
            return 1 - F.cosine_similarity(x, y.detach(), dim=-1, eps=EPS).mean()
        loss_ui = one_minus_cos(on_u[u], t_i[i])
        loss_iu = one_minus_cos(on_i[i], t_u[u])
        loss_t = one_minus_cos(on_t[i], t_i[i])
        loss_v = one_minus_cos(on_v[i], t_i[i])
        loss_tv = one_minus_cos(on_t[i], t_t[i])
        loss_vt = one_minus_cos(on_v[i], t_v[i])
        reg = (torch.norm(h_u, p=2) + torch.norm(h_i, p=2)) / h_i.shape[0]
        total = loss_ui + loss_iu + reg_weight * reg + cl_weight * (loss_t + loss_v + loss_tv + loss_vt)
        return total.reshape(1, 1)

    extras = dict(masks)
    extras.update({"const_adjacency": adjacency, "idx_users": u_b, "idx_items": i_b,
                   "const_settings": np.array([[layers, p, reg_weight, cl_weight]], dtype=np.float32)})
    run_case("bm3_loss", inputs, loss_fn, extras=extras)


def lattice_ops():
    """LATTICE's item-graph ops on a sparse pattern (const_pattern: dense 0/1, entries in row-major order); own generator."""
    g = torch.Generator().manual_seed(20211020)
    n, k = 7, 3

    def at(dense, pattern):
        rows, cols = np.nonzero(pattern)
        return dense[torch.from_numpy(rows).long(), torch.from_numpy(cols).long()].reshape(-1, 1)

    # Cosine kNN values (MMRec build_sim + build_knn_neighbourhood) read at a pattern holding the kNN support and
    # the transposed positions (zeros there): the kept values carry the gradient, the indices are constants.
    x = rand(g, n, 5)
    with torch.no_grad():
        unit = x / x.norm(dim=-1, keepdim=True)
        knn_idx = torch.topk(unit @ unit.t(), k, dim=-1).indices.numpy()
    keep = np.zeros((n, n), dtype=np.float32)
    for r in range(n):
        keep[r, knn_idx[r]] = 1
    pattern = ((keep + keep.T) > 0).astype(np.float32)
    slots = np.flatnonzero(keep[np.nonzero(pattern)]).astype(np.int32)

    def knn_values(v, dt):
        c = v["x"]
        c = c.div(torch.norm(c, p=2, dim=-1, keepdim=True))
        sim = torch.mm(c, c.transpose(1, 0))
        val, ind = torch.topk(sim, k, dim=-1)
        assert (ind.numpy() == knn_idx).all()
        return at(torch.zeros_like(sim).scatter_(-1, ind, val), pattern)
    run_case("lattice_knn_values", {"x": x}, knn_values, extras={"const_pattern": pattern, "idx_slots": slots}, seed=31)

    # D^-1/2 A D^-1/2 with both sides from the row sums (MMRec compute_normalized_laplacian); row 5 is empty while
    # column 5 is not, so the inf -> 0 path scales those entries to 0.
    pattern = (torch.rand(n, n, generator=g) < 0.45).float().numpy()
    np.fill_diagonal(pattern, 1)
    pattern[5, :] = 0
    pattern[0, 5] = pattern[3, 5] = 1
    values = rand(g, int(pattern.sum()), 1, 0.1, 1.0)

    def laplacian(v, dt):
        rows, cols = np.nonzero(pattern)
        a = torch.zeros(n, n, dtype=dt).index_put((torch.from_numpy(rows).long(), torch.from_numpy(cols).long()), v["v"].reshape(-1))
        rowsum = torch.sum(a, -1)
        d_inv_sqrt = torch.pow(rowsum, -0.5)
        d_inv_sqrt[torch.isinf(d_inv_sqrt)] = 0.
        d = torch.diagflat(d_inv_sqrt)
        return at(torch.mm(torch.mm(d, a), d), pattern)
    run_case("lattice_symmetric_normalize", {"v": values}, laplacian, extras={"const_pattern": pattern}, seed=32)

    # item_adj @ E with gradients to both (the dense product of the reference, on the stored entries).
    values = rand(g, int(pattern.sum()), 1)

    def product(v, dt):
        rows, cols = np.nonzero(pattern)
        a = torch.zeros(n, n, dtype=dt).index_put((torch.from_numpy(rows).long(), torch.from_numpy(cols).long()), v["v"].reshape(-1))
        return torch.mm(a, v["x"])
    run_case("lattice_sparse_values_multiply", {"v": values, "x": rand(g, n, 4)}, product, extras={"const_pattern": pattern}, seed=33)

    # softmax over the modal weight, each weight scaling one graph's values.
    def weighted(v, dt):
        w = torch.softmax(v["w"].reshape(-1), dim=0)
        return w[0] * v["a"] + w[1] * v["b"]
    run_case("lattice_modal_weights", {"w": rand(g, 1, 2), "a": rand(g, 6, 1), "b": rand(g, 6, 1)}, weighted, seed=34)

def softmax_cross_entropy_cases():
    """CrossEntropyLoss (mean) of logits / tau: SLMRec's in-batch InfoNCE (labels 0..n-1, A B^T logits, rows of A
    and B repeated as a batch repeats users and items), and given labels on logits large enough to overflow exp."""
    g = torch.Generator().manual_seed(20261202)
    a, b = rand(g, 5, 4, -2, 2), rand(g, 5, 4, -2, 2)
    a[3] = a[1]
    b[4] = b[0]
    labels = torch.arange(5)
    run_case("softmax_cross_entropy", {"a": a, "b": b},
             lambda v, dt: F.cross_entropy(torch.mm(v["a"], v["b"].T) / 0.2, labels).reshape(1, 1))
    x = rand(g, 4, 6, -3, 3)
    x[0, 2], x[1, 5], x[2, 0] = 400.0, -300.0, 250.0
    given = np.array([2, 0, 3, 3], dtype=np.int32)
    run_case("softmax_cross_entropy_labels", {"x": x},
             lambda v, dt: F.cross_entropy(v["x"] / 0.5, torch.from_numpy(given).long()).reshape(1, 1),
             extras={"idx_labels": given})
def mmgcn_ops(g):
    """The ops MMGCN adds: leaky ReLU (slope 0.01, exact zeros included), x·W with W stored (in, out), and PyG's
    aggr='mean' over directed edges (a repeated edge, a node without incoming edges) as PyG computes it: messages
    summed per target, divided by the count. (Its F.normalize over rows is zoo_ops' l2_normalize_rows.)"""
    x = rand(g, 4, 5, -2.0, 2.0)
    x[0, 0], x[1, 2], x[3, 4] = 0.0, 0.0, 0.0
    run_case("leaky_relu", {"x": x}, lambda v, dt: F.leaky_relu(v["x"]), seed=12)
    run_case("matmul", {"x": rand(g, 5, 3), "w": rand(g, 3, 4)}, lambda v, dt: torch.matmul(v["x"], v["w"]), seed=14)

    sources = np.array([0, 1, 2, 0, 3, 3, 4, 1, 0], dtype=np.int32)
    targets = np.array([3, 3, 4, 4, 0, 0, 1, 2, 3], dtype=np.int32)   # 0 -> 3 twice; node 5 receives nothing

    def mean_aggregation(v, dt):
        h = torch.matmul(v["x"], v["w"])
        src, tgt = torch.from_numpy(sources).long(), torch.from_numpy(targets).long()
        total = torch.zeros(h.shape[0], h.shape[1], dtype=dt).index_add(0, tgt, h[src])
        count = torch.zeros(h.shape[0], dtype=dt).index_add(0, tgt, torch.ones(len(tgt), dtype=dt))
        return total / count.clamp(min=1).unsqueeze(1)
    run_case("mean_aggregation", {"x": rand(g, 6, 3), "w": rand(g, 3, 3)}, mean_aggregation,
             extras={"idx_sources": sources, "idx_targets": targets}, seed=15)
    mmgcn_fused_ops(sources, targets, mean_aggregation)


def mmgcn_fused_ops(sources, targets, mean_aggregation):
    """The fused ops MMGCN's layers use, against the unfused torch expressions: leaky_relu(mean(x W)) over the
    mean_aggregation edges, F.linear over torch.cat of two inputs (and leaky_relu of it), leaky_relu(F.linear) and
    F.normalize of two inputs stacked by rows. Their own generator, so the cases before them keep their inputs."""
    g = torch.Generator().manual_seed(20261202)
    w = rand(g, 3, 4)
    x = rand(g, 6, 3, -2.0, 2.0)  # node 5 receives no edge: its row is exactly 0, lrelu at 0
    run_case("graph_conv_leaky_relu", {"x": x, "w": w}, lambda v, dt: F.leaky_relu(mean_aggregation(v, dt)),
             extras={"idx_sources": sources, "idx_targets": targets}, seed=16)
    run_case("linear_of_concat", {"a": rand(g, 5, 3), "b": rand(g, 5, 2), "w": rand(g, 4, 5), "bias": rand(g, 1, 4)},
             lambda v, dt: F.linear(torch.cat((v["a"], v["b"]), dim=1), v["w"], v["bias"].reshape(-1)), seed=17)
    run_case("linear_of_concat_leaky_relu",
             {"a": rand(g, 5, 3), "b": rand(g, 5, 2), "w": rand(g, 4, 5), "bias": rand(g, 1, 4)},
             lambda v, dt: F.leaky_relu(F.linear(torch.cat((v["a"], v["b"]), dim=1), v["w"], v["bias"].reshape(-1))),
             seed=18)
    run_case("linear_leaky_relu", {"x": rand(g, 5, 3), "w": rand(g, 4, 3), "b": rand(g, 1, 4)},
             lambda v, dt: F.leaky_relu(F.linear(v["x"], v["w"], v["b"].reshape(-1))), seed=19)
    a = rand(g, 3, 4)
    a[1] = 0.0  # a zero row: the norm is clamped to eps
    run_case("l2_normalize_concat_rows", {"a": a, "b": rand(g, 2, 4)},
             lambda v, dt: F.normalize(torch.cat((v["a"], v["b"]), dim=0), dim=1), seed=20)


if __name__ == "__main__":
    print("torch", torch.__version__, file=sys.stderr)
    main()
