#!/usr/bin/env python3
# Writes the baseline-zoo parity fixtures (BPR, LightGCN, VBPR, FREEDOM, BUIR, SLMRec, MMGCN, DualGNN, LATTICE, GRCN) from the reference's own model classes.
"""Generates tests/MultiRec.Tests/fixtures/models/ by running the reference implementations on a tiny dataset.

Usage (from the repository root, Debian's interpreter):
    /usr/bin/python3 tools/reference/make_zoo_fixtures.py --mmrec "$MMREC_DIR" --selfcf "$SELFCF_DIR" \
        [--models bpr,lightgcn,vbpr,buir,freedom,slmrec,mmgcn,dualgnn,lattice,grcn] [--pyg "$PYG_DIR"] [--out tests/MultiRec.Tests/fixtures/models]

--mmrec: root of an extracted enoche/MMRec checkout at e775373 (the folder that holds src/); env MMREC_DIR.
--selfcf: root of an extracted enoche/SelfCF checkout at 4e9db6f (the folder that holds models/buir.py; an
enoche/ImRec checkout works too, its buir.py and encoders.py are identical); env SELFCF_DIR.
No reference code is part of this repository: the model classes are imported from those folders at run time.
Each case runs in its own interpreter (tools/reference/zoo_harness.py). The output is deterministic: rerunning
rewrites identical bytes. See the README.md it writes for the layout and the exact step semantics.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

DATASET_NAME = "tiny"
N_USERS, N_ITEMS = 7, 12
SINGLE_USER = 6          # exactly one training row
COLD_ITEM = 11           # no training row (appears in a test row only)
TRAIN = {0: [0, 1, 2, 3, 4, 5], 1: [1, 3, 6, 7, 9], 2: [0, 2, 8, 10, 5], 3: [4, 6, 9, 10],
         4: [2, 3, 7, 8, 0], 5: [5, 9, 1, 10], 6: [7]}                                # 30 training rows
VALID = [(0, 8), (1, 2), (3, 0), (5, 3)]
TEST = [(0, 10), (2, COLD_ITEM), (4, 6), (6, 9)]
IMAGE_DIM, TEXT_DIM = 12, 6
DATA_SEED = 7            # file row order and the features
BATCH_SEED = 31          # epoch permutations and negatives: one numpy RandomState, used in step order
EMBED = 16               # embedding_size (and FREEDOM's feat_embed_dim)
BATCH_SIZE, EPOCHS = 16, 2
LR = 1e-3

CASES = {
    "bpr": {"source": "mmrec", "kind": "bpr", "reference_model": "BPR", "model_file": "bpr", "neg": True,
            "settings": {"embedding_size": EMBED, "reg_weight": 1e-3}},
    "lightgcn": {"source": "mmrec", "kind": "lightgcn", "reference_model": "LightGCN", "model_file": "lightgcn",
                 "neg": True, "settings": {"embedding_size": EMBED, "n_layers": 2, "reg_weight": 1e-2}},
    "vbpr": {"source": "mmrec", "kind": "vbpr", "reference_model": "VBPR", "model_file": "vbpr", "neg": True,
             "settings": {"embedding_size": EMBED, "reg_weight": 0.1}},
    "freedom": {"source": "mmrec", "kind": "freedom", "reference_model": "FREEDOM", "model_file": "freedom",
                "neg": True, "settings": {"embedding_size": EMBED, "feat_embed_dim": EMBED, "knn_k": 3,
                                          "dropout": 0.8, "reg_weight": 1e-3, "mm_image_weight": 0.1,
                                          "n_mm_layers": 1, "n_ui_layers": 2}},
    "freedom_reg0": {"source": "mmrec", "kind": "freedom", "reference_model": "FREEDOM", "model_file": "freedom",
                     "neg": True, "settings": {"embedding_size": EMBED, "feat_embed_dim": EMBED, "knn_k": 3,
                                               "dropout": 0.8, "reg_weight": 0.0, "mm_image_weight": 0.1,
                                               "n_mm_layers": 1, "n_ui_layers": 2}},
    "mmgcn": {"source": "mmrec", "kind": "mmgcn", "reference_model": "MMGCN", "model_file": "mmgcn", "neg": True,
              "dim_latent": 8,
              "settings": {"embedding_size": EMBED, "n_layers": 2, "reg_weight": 0.1, "learning_rate": LR}},
    "mmgcn_reg0": {"source": "mmrec", "kind": "mmgcn", "reference_model": "MMGCN", "model_file": "mmgcn", "neg": True,
                   "dim_latent": 8,
                   "settings": {"embedding_size": EMBED, "n_layers": 2, "reg_weight": 0.0, "learning_rate": LR}},
    "mmgcn_text": {"source": "mmrec", "kind": "mmgcn", "reference_model": "MMGCN", "model_file": "mmgcn", "neg": True,
                   "dim_latent": 8,
                   "settings": {"embedding_size": EMBED, "n_layers": 2, "reg_weight": 0.1, "learning_rate": LR,
                                "vision_feature_file": "no_image_feat.npy"}},
    "buir": {"source": "selfcf", "kind": "buir", "reference_model": "BUIR", "model_file": "buir", "neg": False,
             "settings": {"embedding_size": EMBED, "momentum": 0.995}},
    "buir_nodrop": {"source": "selfcf", "kind": "buir", "reference_model": "BUIR", "model_file": "buir",
                    "neg": False, "drop_rate_zero": True, "settings": {"embedding_size": EMBED, "momentum": 0.995}},
    "lattice": {"source": "mmrec", "kind": "lattice", "reference_model": "LATTICE", "model_file": "lattice",
                "neg": True, "settings": {"embedding_size": EMBED, "feat_embed_dim": EMBED, "weight_size": [EMBED, EMBED],
                                          "knn_k": 3, "lambda_coeff": 0.9, "n_layers": 1, "cf_model": "lightgcn",
                                          "reg_weight": 1e-3, "learning_rate": LR}},
    "slmrec": {"source": "mmrec", "kind": "slmrec", "reference_model": "SLMRec", "model_file": "slmrec", "neg": True,
               "settings": {"recdim": EMBED, "layer_num": 3, "temp": 0.2, "ssl_temp": 0.5, "ssl_alpha": 0.5,
                            "learning_rate": LR, "weight_decay": 1e-4}},
}
CASES["dualgnn"] = {"source": "mmrec", "kind": "dualgnn", "reference_model": "DualGNN", "model_file": "dualgnn",
                   "neg": True, "user_k": 3, "modalities": ["image", "text"],
                   "settings": {"embedding_size": 64, "aggr_mode": "add", "learning_rate": LR, "reg_weight": 0.1}}
CASES["dualgnn_text"] = {"source": "mmrec", "kind": "dualgnn", "reference_model": "DualGNN", "model_file": "dualgnn",
                        "neg": True, "user_k": 3, "modalities": ["text"],
                        "settings": {"embedding_size": 64, "aggr_mode": "add", "learning_rate": LR, "reg_weight": 0.1,
                                     "vision_feature_file": "no_image_feat.npy"}}
MODEL_CASES = {"bpr": ["bpr"], "lightgcn": ["lightgcn"], "vbpr": ["vbpr"], "freedom": ["freedom", "freedom_reg0"],
               "buir": ["buir", "buir_nodrop"], "slmrec": ["slmrec"], "dualgnn": ["dualgnn", "dualgnn_text"],
               "mmgcn": ["mmgcn", "mmgcn_reg0", "mmgcn_text"]}
MODEL_CASES["lattice"] = ["lattice"]
CASES["grcn"] = {"source": "mmrec", "kind": "grcn", "reference_model": "GRCN", "model_file": "grcn", "neg": True,
                "modalities": ["image", "text"],
                "settings": {"embedding_size": EMBED, "latent_embedding": EMBED, "n_layers": 3, "reg_weight": 0.1,
                             "learning_rate": LR}}
CASES["grcn_text"] = {"source": "mmrec", "kind": "grcn", "reference_model": "GRCN", "model_file": "grcn", "neg": True,
                     "modalities": ["text"],
                     "settings": {"embedding_size": EMBED, "latent_embedding": EMBED, "n_layers": 3, "reg_weight": 0.1,
                                  "learning_rate": LR, "vision_feature_file": "no_image_feat.npy"}}
MODEL_CASES["grcn"] = ["grcn", "grcn_text"]


# ---------------------------------------------------------------------------------------------- data and batches
def tiny_rows():
    rows = [(u, i, 0) for u, items in TRAIN.items() for i in items]
    rows += [(u, i, 1) for u, i in VALID] + [(u, i, 2) for u, i in TEST]
    order = np.random.RandomState(DATA_SEED).permutation(len(rows))
    rows = [rows[k] for k in order]
    pairs = [(u, i) for u, i, _ in rows]
    assert len(set(pairs)) == len(pairs), "repeated (user, item) pair"
    assert max(u for u, _, _ in rows) + 1 == N_USERS and max(i for _, i, _ in rows) + 1 == N_ITEMS
    train_items = {i for _, i, x in rows if x == 0}
    assert COLD_ITEM not in train_items and train_items == set(range(N_ITEMS)) - {COLD_ITEM}
    assert sum(1 for u, _, x in rows if x == 0 and u == SINGLE_USER) == 1
    return rows


def tiny_features():
    rng = np.random.RandomState(DATA_SEED + 1)
    image = np.abs(rng.normal(0.0, 1.0, size=(N_ITEMS, IMAGE_DIM))) * 2.0 + 0.05     # non-negative, no zero row
    text = rng.normal(0.0, 0.5, size=(N_ITEMS, TEXT_DIM))
    return image.astype(np.float32), text.astype(np.float32)


def write_dataset(folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{DATASET_NAME}.inter"), "w", encoding="utf-8", newline="\n") as out:
        out.write("userID\titemID\tx_label\n")
        for u, i, x in tiny_rows():
            out.write(f"{u}\t{i}\t{x}\n")
    image, text = tiny_features()
    assert (image >= 0).all() and (np.abs(image).sum(1) > 0).all() and (np.abs(text).sum(1) > 0).all()
    np.save(os.path.join(folder, "image_feat.npy"), image.astype("<f4"))
    np.save(os.path.join(folder, "text_feat.npy"), text.astype("<f4"))


def make_batches():
    """Training rows in file order; per epoch one permutation, then per batch one negative per row (uniform over
    the distinct training items, sorted ascending, redrawn while it is one of the user's training items)."""
    rows = [(u, i) for u, i, x in tiny_rows() if x == 0]
    users = np.array([u for u, _ in rows], dtype=np.int64)
    items = np.array([i for _, i in rows], dtype=np.int64)
    pool = np.array(sorted(set(items.tolist())), dtype=np.int64)
    seen = {u: set(items[users == u].tolist()) for u in set(users.tolist())}
    rng = np.random.RandomState(BATCH_SEED)
    n = len(rows)
    steps_per_epoch = (n + BATCH_SIZE - 1) // BATCH_SIZE
    out = {"n_users": np.int64(N_USERS), "n_items": np.int64(N_ITEMS), "train_users": users,
           "train_items": items, "steps_per_epoch": np.int64(steps_per_epoch)}
    perms = []
    for epoch in range(EPOCHS):
        perm = rng.permutation(n)
        perms.append(perm)
        for s in range(steps_per_epoch):
            sel = perm[s * BATCH_SIZE:(s + 1) * BATCH_SIZE]
            neg = []
            for u in users[sel]:
                while True:
                    j = int(pool[rng.randint(len(pool))])
                    if j not in seen[int(u)]:
                        break
                neg.append(j)
            k = epoch * steps_per_epoch + s
            out[f"step{k}_users"] = users[sel]
            out[f"step{k}_pos"] = items[sel]
            out[f"step{k}_neg"] = np.array(neg, dtype=np.int64)
    return out, perms


# ---------------------------------------------------------------------------------------------- cross-check
def check_bpr(folder, reg_weight):
    """Re-derives BPR's step-0 loss, gradients and Adam update in float64 numpy from the dumped init and batch."""
    ld = lambda *p: np.load(os.path.join(folder, *p)).astype(np.float64)
    P, Q = ld("init", "user_embedding.weight.npy"), ld("init", "item_embedding.weight.npy")
    u, p, n = (np.load(os.path.join(folder, "step0", f + ".npy")) for f in ("users", "pos", "neg"))
    B = len(u)
    Pu, Qp, Qn = P[u], Q[p], Q[n]
    x = (Pu * Qp).sum(1) - (Pu * Qn).sum(1)
    sig = 1.0 / (1.0 + np.exp(-x))
    bpr = -np.mean(np.log(1e-10 + sig))
    norms = [np.linalg.norm(Pu), np.linalg.norm(Qp), np.linalg.norm(Qn)]
    reg = sum(norms) / B
    total = bpr + reg_weight * reg
    with open(os.path.join(folder, "step0", "loss.json"), encoding="utf-8") as f:
        rec = json.load(f)
    for name, mine, theirs in (("total", total, rec["total"]), ("bpr", bpr, rec["terms"]["bpr"]),
                               ("reg", reg, rec["terms"]["reg"])):
        assert abs(mine - theirs) <= 1e-6 * abs(mine), f"BPR step0 {name}: numpy {mine!r} vs dump {theirs!r}"
    dx = -(1.0 / B) * sig * (1 - sig) / (1e-10 + sig)
    gP, gQ = np.zeros_like(P), np.zeros_like(Q)
    np.add.at(gP, u, dx[:, None] * (Qp - Qn) + reg_weight / B * Pu / norms[0])
    np.add.at(gQ, p, dx[:, None] * Pu + reg_weight / B * Qp / norms[1])
    np.add.at(gQ, n, -dx[:, None] * Pu + reg_weight / B * Qn / norms[2])
    for key, g in (("user_embedding.weight", gP), ("item_embedding.weight", gQ)):
        dumped = ld("step0", "grads", key + ".npy")
        assert np.allclose(dumped, g, rtol=1e-5, atol=1e-7), f"BPR step0 grad {key}: max |diff| " \
                                                             f"{np.abs(dumped - g).max()}"
        p0 = ld("init", key + ".npy")
        m, v = 0.1 * g, 0.001 * g * g
        after = p0 - (LR / (1 - 0.9)) * m / (np.sqrt(v) / np.sqrt(1 - 0.999) + 1e-8)
        assert np.allclose(ld("step0", "exp_avg", key + ".npy"), m, rtol=1e-5, atol=1e-9)
        assert np.allclose(ld("step0", "after", key + ".npy"), after, rtol=0, atol=2e-7), \
            f"BPR step0 Adam {key}: max |diff| {np.abs(ld('step0', 'after', key + '.npy') - after).max()}"
    return {"loss": total, "grad_max_abs": float(max(np.abs(gP).max(), np.abs(gQ).max()))}


def check_graphs(root, cases):
    """The graph dumps agree with the documented recipes: G1 (float64, then float32) for every Â, and FREEDOM's
    pruning weights / masked_adj as float32 products of torch's pow(x, -0.5) (= 1/sqrt(x) in float32)."""
    users = np.array([u for u, _, x in tiny_rows() if x == 0], dtype=np.int64)
    items = np.array([i for _, i, x in tiny_rows() if x == 0], dtype=np.int64)
    n = N_USERS + N_ITEMS
    deg = np.bincount(np.concatenate([users, items + N_USERS]), minlength=n).astype(np.float64)
    d = (deg + 1e-7) ** -0.5
    r = np.concatenate([users, items + N_USERS])
    c = np.concatenate([items + N_USERS, users])
    order = np.lexsort((c, r))
    expect = (r[order], c[order], (d[r] * d[c])[order].astype(np.float32))
    for case in cases:
        folder = os.path.join(root, case)
        if not os.path.isfile(os.path.join(folder, "adjacency_rows.npy")):
            continue
        got = [np.load(os.path.join(folder, f"adjacency_{k}.npy")) for k in ("rows", "cols", "values")]
        assert np.array_equal(got[0], expect[0]) and np.array_equal(got[1], expect[1]), case
        assert np.array_equal(got[2], expect[2]), f"{case}: adjacency values differ from G1"
        if not case.startswith("freedom"):
            continue

        def rsqrt32(x):
            return (np.float32(1) / np.sqrt(x.astype(np.float32))).astype(np.float32)

        def prune_values(eu, ei):
            du = np.bincount(eu, minlength=N_USERS).astype(np.float32) + np.float32(1e-7)
            di = np.bincount(ei, minlength=N_ITEMS).astype(np.float32) + np.float32(1e-7)
            return (rsqrt32(du)[eu] * rsqrt32(di)[ei]).astype(np.float32)

        edges = np.load(os.path.join(folder, "train_edges.npy"))
        # FREEDOM's edge list is interaction_matrix.astype(float32): scipy's coo.astype sums duplicates first,
        # which sorts the entries by (item, user) -- not the file order
        by_item = np.lexsort((users, items))
        assert np.array_equal(edges[0], users[by_item]) and np.array_equal(edges[1], items[by_item])
        users_f, items_f = edges[0], edges[1]
        assert np.array_equal(np.load(os.path.join(folder, "edge_values.npy")), prune_values(users_f, items_f))
        for epoch in range(EPOCHS):
            kept = np.load(os.path.join(folder, f"epoch{epoch}", "kept_edges.npy"))
            eu, ei = users_f[kept], items_f[kept]
            v = prune_values(eu, ei)
            rr, cc = np.concatenate([eu, ei + N_USERS]), np.concatenate([ei + N_USERS, eu])
            vv = np.concatenate([v, v])
            o = np.lexsort((cc, rr))
            for k, want in (("rows", rr[o]), ("cols", cc[o]), ("values", vv[o])):
                got = np.load(os.path.join(folder, f"epoch{epoch}", f"masked_adj_{k}.npy"))
                assert np.array_equal(got, want), f"{case} epoch {epoch}: masked_adj {k}"


def check_freedom_reg0(folder):
    """reg_weight 0: the feature branch gets gradients that are exactly zero (not None) and never moves."""
    keys = ("image_embedding.weight", "image_trs.weight", "image_trs.bias", "text_embedding.weight",
            "text_trs.weight", "text_trs.bias")
    for step in range(EPOCHS * 2):
        for key in keys:
            g = np.load(os.path.join(folder, f"step{step}", "grads", key + ".npy"))
            assert not g.any(), f"freedom_reg0 step {step}: {key} grad not zero"
            assert np.array_equal(np.load(os.path.join(folder, f"step{step}", "after", key + ".npy")),
                                  np.load(os.path.join(folder, "init", key + ".npy")))


def check_lattice(folder):
    """LATTICE (baselines-reference 10.8): the frozen L_m against a float64 numpy recipe from the features; the G3
    adjacency; item_adj rebuilt on the first batch of each epoch and reused on the second; the feature branch with
    exactly zero gradients on the second batch that still moves (torch 1.x zero_grad + Adam momentum); the epoch-1
    learning rate."""
    image, text = tiny_features()
    for name, f in (("image", image), ("text", text)):
        f = f.astype(np.float64)
        unit = f / np.linalg.norm(f, axis=1, keepdims=True)
        sim = unit @ unit.T
        knn = np.zeros_like(sim)
        for r in range(N_ITEMS):
            top = np.argsort(-sim[r], kind="stable")[:3]
            knn[r, top] = sim[r, top]
        d = knn.sum(1) ** -0.5
        want = d[:, None] * knn * d[None, :]
        got = np.load(os.path.join(folder, f"{name}_original_adj.npy"))
        assert np.allclose(got, want, rtol=1e-5, atol=1e-7), f"LATTICE {name} L_m: max |diff| {np.abs(got - want).max()}"
    users = np.array([u for u, _, x in tiny_rows() if x == 0], dtype=np.int64)
    items = np.array([i for _, i, x in tiny_rows() if x == 0], dtype=np.int64)
    n = N_USERS + N_ITEMS
    a = np.eye(n)
    np.add.at(a, (users, items + N_USERS), 1.0)
    np.add.at(a, (items + N_USERS, users), 1.0)
    a = (a / a.sum(1, keepdims=True)).astype(np.float32)
    r, c = np.nonzero(a)
    for k, want in (("rows", r), ("cols", c), ("values", a[r, c])):
        assert np.array_equal(np.load(os.path.join(folder, f"norm_adj_{k}.npy")), want), f"LATTICE G3 {k}"
    ld = lambda *p: np.load(os.path.join(folder, *p))
    branch = ("image_embedding.weight", "image_trs.weight", "image_trs.bias", "text_embedding.weight",
              "text_trs.weight", "text_trs.bias", "modal_weight")
    for epoch in range(EPOCHS):
        first, second = 2 * epoch, 2 * epoch + 1
        assert np.array_equal(ld(f"step{first}", "item_adj.npy"), ld(f"step{second}", "item_adj.npy"))
        for key in branch:
            assert ld(f"step{first}", "grads", key + ".npy").any(), f"LATTICE step {first}: {key} grad is zero"
            assert not ld(f"step{second}", "grads", key + ".npy").any(), f"LATTICE step {second}: {key} grad not zero"
            assert not np.array_equal(ld(f"step{first}", "after", key + ".npy"), ld(f"step{second}", "after", key + ".npy")), \
                f"LATTICE step {second}: {key} did not move"
    assert not np.array_equal(ld("step0", "item_adj.npy"), ld("step2", "item_adj.npy"))
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        lrs = json.load(f)["notes"]["lr_per_epoch"]
    assert lrs[0] == LR and lrs[1] == LR * 0.96 ** (1 / 50), lrs

def check_slmrec(folder, batches):
    """SLMRec: its adjacency is the G2 recipe (float32 throughout: deg^-1/2 = 1/sqrt in float32, product of the two
    factors); every injected batch repeats a user and an item (duplicates are in-batch negatives); g_a_iva gets no
    gradient and Adam never touches it; the coupled weight decay: exp_avg after step 0 = 0.1 (grad + 1e-4 param)."""
    users = np.array([u for u, _, x in tiny_rows() if x == 0], dtype=np.int64)
    items = np.array([i for _, i, x in tiny_rows() if x == 0], dtype=np.int64)
    r = np.concatenate([users, items + N_USERS])
    c = np.concatenate([items + N_USERS, users])
    deg = np.bincount(r, minlength=N_USERS + N_ITEMS).astype(np.float32)
    with np.errstate(divide="ignore"):
        d = (np.float32(1) / np.sqrt(deg)).astype(np.float32)
    order = np.lexsort((c, r))
    want = (r[order], c[order], (d[r] * d[c]).astype(np.float32)[order])
    for k, w in zip(("rows", "cols", "values"), want):
        assert np.array_equal(np.load(os.path.join(folder, f"adjacency_g2_{k}.npy")), w), f"slmrec: G2 {k}"
    for step in range(EPOCHS * 2):
        u, p = batches[f"step{step}_users"], batches[f"step{step}_pos"]
        assert len(set(u.tolist())) < len(u) and len(set(p.tolist())) < len(p), f"step {step}: no repeats"
        with open(os.path.join(folder, f"step{step}", "loss.json"), encoding="utf-8") as f:
            rec = json.load(f)
        assert rec["grad_none"] == ["g_a_iva.weight", "g_a_iva.bias"], rec["grad_none"]
        assert rec["adam_skipped"] == ["g_a_iva.weight", "g_a_iva.bias"], rec["adam_skipped"]
        for key in ("g_a_iva.weight", "g_a_iva.bias"):
            assert np.array_equal(np.load(os.path.join(folder, f"step{step}", "after", key + ".npy")),
                                  np.load(os.path.join(folder, "init", key + ".npy")))
    for name in sorted(os.listdir(os.path.join(folder, "step0", "grads"))):
        g = np.load(os.path.join(folder, "step0", "grads", name)).astype(np.float64)
        p0 = np.load(os.path.join(folder, "init", name)).astype(np.float64)
        m = np.load(os.path.join(folder, "step0", "exp_avg", name)).astype(np.float64)
        assert np.allclose(m, 0.1 * (g + 1e-4 * p0), rtol=1e-5, atol=1e-12), f"slmrec step 0 exp_avg {name}"
def check_mmgcn_reg0(with_reg, without_reg):
    """MMGCN's reg_weight multiplies a term of untrained tensors only: λ = 0.1 and λ = 0 give bit-identical
    gradients, parameters and scores, and losses that differ by exactly the weighted term."""
    for step in range(EPOCHS * 2):
        for sub in ("grads", "after", "exp_avg", "exp_avg_sq"):
            names = sorted(os.listdir(os.path.join(with_reg, f"step{step}", sub)))
            assert names == sorted(os.listdir(os.path.join(without_reg, f"step{step}", sub)))
            for name in names:
                a = np.load(os.path.join(with_reg, f"step{step}", sub, name))
                b = np.load(os.path.join(without_reg, f"step{step}", sub, name))
                assert np.array_equal(a, b), f"mmgcn reg 0.1 vs 0: step {step} {sub}/{name} differ"
        with open(os.path.join(with_reg, f"step{step}", "loss.json"), encoding="utf-8") as f:
            a = json.load(f)
        with open(os.path.join(without_reg, f"step{step}", "loss.json"), encoding="utf-8") as f:
            b = json.load(f)
        assert a["terms"] == b["terms"] and a["total"] != b["total"]
        assert abs(a["total"] - (a["terms"]["bpr"] + 0.1 * a["terms"]["reg"])) <= 1e-6 * abs(a["total"])
    for epoch in range(EPOCHS):
        assert np.array_equal(np.load(os.path.join(with_reg, f"epoch{epoch}", "scores.npy")),
                              np.load(os.path.join(without_reg, f"epoch{epoch}", "scores.npy")))


# ---------------------------------------------------------------------------------------------- README
def shape_str(a):
    return " x ".join(str(d) for d in a.shape) if a.ndim else "scalar"


def inventory(root, case):
    folder = os.path.join(root, case)
    lines = [f"| `{case}/init/` key | shape |", "|---|---|"]
    for name in sorted(os.listdir(os.path.join(folder, "init"))):
        a = np.load(os.path.join(folder, "init", name))
        lines.append(f"| `{name[:-4]}` | {shape_str(a)} |")
    extra = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".npy"):
            a = np.load(os.path.join(folder, name))
            extra.append(f"`{name}` {a.dtype.str} {shape_str(a)}")
    for name in sorted(os.listdir(os.path.join(folder, "step0"))):
        if name.endswith(".npy"):
            a = np.load(os.path.join(folder, "step0", name))
            extra.append(f"`step0/{name}` {a.dtype.str} {shape_str(a)}")
    for name in sorted(os.listdir(os.path.join(folder, "epoch0"))):
        a = np.load(os.path.join(folder, "epoch0", name))
        extra.append(f"`epoch0/{name}` {a.dtype.str} {shape_str(a)}")
    none = []
    steps = sorted(d for d in os.listdir(folder) if d.startswith("step"))
    for step in steps:
        with open(os.path.join(folder, step, "loss.json"), encoding="utf-8") as f:
            rec = json.load(f)
        none += [k for k in rec["grad_none"] if k not in none]
    lines.append("")
    lines.append("Other files: " + "; ".join(extra) + ".")
    lines.append(f"Steps: {len(steps)}. Loss terms: {', '.join(rec['terms'])}. Params with grad None at some step: "
                 f"{', '.join(none) or 'none'}.")
    return "\n".join(lines)


def write_readme(root, cases, versions):
    with open(os.path.join(HERE, "zoo_fixtures_README.md"), "r", encoding="utf-8") as f:
        text = f.read()
    inv = "\n\n".join(f"### `{c}/`\n\n" + inventory(root, c) for c in cases)
    text = text.replace("{torch_version}", versions["torch"]).replace("{numpy_version}", versions["numpy"])
    text = text.replace("{inventory}", inv)
    with open(os.path.join(root, "README.md"), "w", encoding="utf-8", newline="\n") as out:
        out.write(text)


# ---------------------------------------------------------------------------------------------- driver
def worker(args):
    import zoo_harness
    spec = json.loads(args.worker_spec)
    result = zoo_harness.run_case(args.worker, spec, args.mmrec, args.selfcf, args.worker_data,
                                  args.worker_batches, args.worker_out, pyg=args.pyg)
    with open(args.worker_result, "w", encoding="utf-8") as f:
        json.dump(result, f)


def generate(args, cases):
    out = os.path.abspath(args.out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".zoo-fixtures-", dir=parent)
    scratch = tempfile.mkdtemp(prefix="zoo-fixtures-")
    try:
        data_dir = os.path.join(staging, DATASET_NAME)
        write_dataset(data_dir)
        batches, perms = make_batches()
        batches_file = os.path.join(scratch, "batches.npz")
        np.savez(batches_file, **batches)
        import torch
        versions = {"torch": torch.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}
        for case in cases:
            spec = dict(CASES[case], batch_size=BATCH_SIZE, epochs=EPOCHS)
            result_file = os.path.join(scratch, case + ".json")
            cmd = [sys.executable, "-B", os.path.abspath(__file__), "--worker", case, "--worker-spec",
                   json.dumps(spec), "--worker-data", data_dir, "--worker-batches", batches_file,
                   "--worker-out", os.path.join(staging, case), "--worker-result", result_file,
                   "--mmrec", args.mmrec or "", "--selfcf", args.selfcf or "", "--pyg", args.pyg or ""]
            print(f"case {case} ...", flush=True)
            subprocess.run(cmd, check=True)
            with open(result_file, encoding="utf-8") as f:
                result = json.load(f)
            # a model yaml that grids learning_rate would otherwise train with its grid's first value
            assert result["optimizer"]["lr"] == LR, f"{case}: the reference trained with lr {result['optimizer']['lr']}"
            source = spec["source"]
            config = {
                "case": case,
                "model": spec["reference_model"],
                "reference": ({"repository": "enoche/MMRec", "commit": "e775373b3ab1354a92165b0885ce4ab3dc4d7497",
                               "file": f"src/models/{spec['model_file']}.py"} if source == "mmrec" else
                              {"repository": "enoche/SelfCF", "commit": "4e9db6f4894ca88f97781f15fde42ade723c33f4",
                               "file": "models/buir.py + models/common/encoders.py",
                               "identical_in": "enoche/ImRec"}),
                "settings": spec["settings"],
                **({"dim_latent": spec["dim_latent"]} if "dim_latent" in spec else {}),
                "modalities": spec.get("modalities",
                                       ["text", "image"] if spec["kind"] in ("vbpr", "freedom", "lattice") else
                                       ["text"] if "vision_feature_file" in spec["settings"] else
                                       ["image", "text"] if spec["kind"] == "mmgcn" else []),
                "data_folder": "../tiny (tiny.inter, image_feat.npy, text_feat.npy)",
                "n_users": N_USERS, "n_items": N_ITEMS, "train_rows": int(len(batches["train_users"])),
                "batch_size": BATCH_SIZE, "epochs": EPOCHS, "steps_per_epoch": int(batches["steps_per_epoch"]),
                "batch_format": "[3, B] users/pos/neg" if spec["neg"] else "[2, B] users/pos",
                "optimizer": {"name": "torch.optim.Adam", **result["optimizer"]},
                "lr": LR,
                "seeds": {"init_seed": 999, "data_seed": DATA_SEED, "batch_seed": BATCH_SEED,
                          **({"prune_seed": 2024} if spec["kind"] == "freedom" else {}),
                          **({"drop_seed": 4242} if spec["kind"] == "buir" else {})},
                "buir_drop_rate_zero": bool(spec.get("drop_rate_zero", False)) if spec["kind"] == "buir" else None,
                "versions": versions,
                "shims": result["shims"],
                "notes": result["notes"],
                "param_keys": result["param_keys"],
                "state_dict_keys": result["state_dict_keys"],
                "reference_config": result["reference_config"],
            }
            if spec["kind"] == "slmrec":
                config["modalities"] = ["image", "text"]       # fused as [ID | image | text]
            if config["buir_drop_rate_zero"] is None:
                del config["buir_drop_rate_zero"]
            with open(os.path.join(staging, case, "config.json"), "w", encoding="utf-8", newline="\n") as f:
                json.dump(config, f, indent=2)
                f.write("\n")
        with open(os.path.join(staging, "batches.json"), "w", encoding="utf-8", newline="\n") as f:
            perm_text = ",\n    ".join(json.dumps(p.tolist()) for p in perms)
            f.write('{\n  "batch_seed": %d,\n  "note": "row indices into the training rows of tiny/tiny.inter '
                    'in file order, one permutation per epoch; batch s of an epoch = rows perm[16 s : 16 s + 16]; '
                    'every case uses these batches (step<k>/users|pos|neg.npy in each case folder)",\n'
                    '  "epoch_permutations": [\n    %s\n  ]\n}\n' % (BATCH_SEED, perm_text))
        if os.path.isdir(out):       # a partial run (--models) keeps the other cases of an existing folder
            for case in CASES:
                if case not in cases and os.path.isdir(os.path.join(out, case)):
                    shutil.copytree(os.path.join(out, case), os.path.join(staging, case))
        present = [c for c in CASES if os.path.isdir(os.path.join(staging, c))]
        if "bpr" in cases:
            summary = check_bpr(os.path.join(staging, "bpr"), CASES["bpr"]["settings"]["reg_weight"])
            print(f"cross-check BPR step 0 (numpy float64): loss {summary['loss']:.9g} ok, grads ok, Adam ok")
        if "freedom_reg0" in cases:
            check_freedom_reg0(os.path.join(staging, "freedom_reg0"))
            print("cross-check FREEDOM reg_weight 0: feature-branch grads exactly zero, parameters unchanged")
        if "lattice" in cases:
            check_lattice(os.path.join(staging, "lattice"))
            print("cross-check LATTICE: frozen graphs = numpy recipe, G3 adjacency, item_adj rebuilt on batch 1 only, "
                  "feature branch: zero grads on batch 2 yet moved, lr of epoch 1 = lr * 0.96^(1/50)")
        if "slmrec" in cases:
            check_slmrec(os.path.join(staging, "slmrec"), batches)
            print("cross-check SLMRec: G2 graph recipe, repeated users and items per batch, g_a_iva never stepped, "
                  "Adam's first moment after step 0 = 0.1 (grad + 1e-4 param)")
        if "mmgcn" in cases and "mmgcn_reg0" in cases:
            check_mmgcn_reg0(os.path.join(staging, "mmgcn"), os.path.join(staging, "mmgcn_reg0"))
            print("cross-check MMGCN reg_weight 0.1 vs 0: identical gradients, parameters, moments and scores")
        check_graphs(staging, present)
        print("cross-check graphs: adjacency = G1 recipe, FREEDOM pruning weights and masked_adj ok")
        write_readme(staging, present, versions)
        if os.path.isdir(out):
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    default_out = os.path.normpath(os.path.join(HERE, "..", "..", "tests", "MultiRec.Tests", "fixtures", "models"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mmrec", default=os.environ.get("MMREC_DIR"), help="extracted enoche/MMRec@e775373 root")
    p.add_argument("--selfcf", default=os.environ.get("SELFCF_DIR"), help="extracted enoche/SelfCF@4e9db6f root")
    p.add_argument("--pyg", default=os.environ.get("PYG_DIR"),
                   help="extracted PyTorch Geometric 2.3 (the folder that holds torch_geometric/); MMGCN imports it")
    p.add_argument("--models", default="bpr,lightgcn,vbpr,buir,freedom,slmrec,mmgcn,dualgnn,lattice,grcn")
    p.add_argument("--out", default=default_out)
    for hidden in ("--worker", "--worker-spec", "--worker-data", "--worker-batches", "--worker-out",
                   "--worker-result"):
        p.add_argument(hidden, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args)
        return
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in models if m not in MODEL_CASES]
    if unknown:
        p.error(f"unknown model(s) {unknown}; choose from {sorted(MODEL_CASES)}")
    cases = [c for m in models for c in MODEL_CASES[m]]
    if any(CASES[c]["source"] == "mmrec" for c in cases) and not args.mmrec:
        p.error("--mmrec (or MMREC_DIR) is required: the root of an extracted enoche/MMRec checkout")
    if any(CASES[c]["kind"] in ("mmgcn", "dualgnn", "grcn") for c in cases) and not args.pyg:
        p.error("--pyg (or PYG_DIR) is required for mmgcn and dualgnn: an extracted PyTorch Geometric 2.3 (holds torch_geometric/)")
    if any(CASES[c]["source"] == "selfcf" for c in cases) and not args.selfcf:
        p.error("--selfcf (or SELFCF_DIR) is required: the root of an extracted enoche/SelfCF checkout")
    generate(args, cases)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
