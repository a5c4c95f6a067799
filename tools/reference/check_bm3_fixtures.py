#!/usr/bin/env python3
# Independent float64 numpy check of the BM3 fixtures: losses, stop-gradient gradients and three Adam steps.
"""Re-derives every BM3 fixture number from the spec with plain numpy in float64, without torch or bm3_model:
the adjacency is rebuilt from tiny.inter, the loss is written out from docs/bm3-reference.md section 1, gradients
are central finite differences with the targets held fixed (stop-gradient), and Adam is applied by hand.

Usage: python3 tools/reference/check_bm3_fixtures.py [--fixtures tests/MultiRec.Tests/fixtures/bm3]
Exits 1 when a quantity differs by more than its tolerance; prints the largest differences either way.
"""

import argparse
import json
import os
import sys

import numpy as np

FD_STEP = 1e-6
COSINE_EPS = 1e-8


def load(folder, name):
    return np.load(os.path.join(folder, f"{name}.npy")).astype(np.float64)


def read_tiny(folder):
    with open(os.path.join(folder, "tiny.inter"), encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        rows = [list(map(int, line.rstrip("\n").split("\t"))) for line in handle if line.strip()]
    table = np.array(rows)[:, [header.index("userID"), header.index("itemID"), header.index("x_label")]]
    n_users, n_items = table[:, 0].max() + 1, table[:, 1].max() + 1
    train = table[table[:, 2] == 0]
    return n_users, n_items, train[:, 0], train[:, 1]


def dense_adjacency(n_users, n_items, users, items):
    n = n_users + n_items
    a = np.zeros((n, n))
    a[users, n_users + items] = 1.0
    a[n_users + items, users] = 1.0
    scale = (a.sum(axis=1) + 1e-7) ** -0.5
    return scale[:, None] * a * scale[None, :]


def cosine(a, b):
    na = np.maximum(np.linalg.norm(a, axis=1, keepdims=True), COSINE_EPS)
    nb = np.maximum(np.linalg.norm(b, axis=1, keepdims=True), COSINE_EPS)
    return ((a / na) * (b / nb)).sum(axis=1)


class Bm3Numpy:
    def __init__(self, adjacency, n_users, config):
        self.adjacency = adjacency
        self.n_users = n_users
        self.config = config

    def representations(self, p):
        ego = np.concatenate([p["user_embedding.weight"], p["item_id_embedding.weight"]])
        layers = [ego]
        for _ in range(self.config["n_layers"]):
            layers.append(self.adjacency @ layers[-1])
        readout = sum(layers) / len(layers)
        h = {"u": readout[:self.n_users], "i": readout[self.n_users:] + p["item_id_embedding.weight"]}
        h["v"] = p["image_embedding.weight"] @ p["image_trs.weight"].T + p["image_trs.bias"]
        h["t"] = p["text_embedding.weight"] @ p["text_trs.weight"].T + p["text_trs.bias"]
        return h

    def targets(self, p, masks):
        h = self.representations(p)
        if masks is None:
            return h
        keep = 1.0 - self.config["dropout"]
        return {key: h[key] * masks[key] / keep for key in h}

    def terms(self, p, users, items, targets):
        h = self.representations(p)
        pred = {key: h[key] @ p["predictor.weight"].T + p["predictor.bias"] for key in h}
        t = targets
        terms = {
            "loss_rec_u": 1 - cosine(pred["u"][users], t["i"][items]).mean(),
            "loss_rec_i": 1 - cosine(pred["i"][items], t["u"][users]).mean(),
            "loss_align_image": 1 - cosine(pred["v"][items], t["i"][items]).mean(),
            "loss_mask_image": 1 - cosine(pred["v"][items], t["v"][items]).mean(),
            "loss_align_text": 1 - cosine(pred["t"][items], t["i"][items]).mean(),
            "loss_mask_text": 1 - cosine(pred["t"][items], t["t"][items]).mean(),
            "reg": (np.linalg.norm(h["u"]) + np.linalg.norm(h["i"])) / h["i"].shape[0],
        }
        multimodal = (terms["loss_align_text"] + terms["loss_align_image"]
                      + terms["loss_mask_text"] + terms["loss_mask_image"])
        terms["total"] = (terms["loss_rec_u"] + terms["loss_rec_i"] + self.config["reg_weight"] * terms["reg"]
                          + self.config["cl_weight"] * multimodal)
        return terms

    def gradients(self, p, users, items, targets):
        grads = {}
        for name, value in p.items():
            grad = np.zeros_like(value)
            flat, out = value.reshape(-1), grad.reshape(-1)
            for k in range(flat.size):
                original = flat[k]
                flat[k] = original + FD_STEP
                up = self.terms(p, users, items, targets)["total"]
                flat[k] = original - FD_STEP
                down = self.terms(p, users, items, targets)["total"]
                flat[k] = original
                out[k] = (up - down) / (2 * FD_STEP)
            grads[name] = grad
        return grads


class Report:
    def __init__(self):
        self.failures = 0

    def compare(self, label, expected, actual, atol, rtol):
        expected, actual = np.asarray(expected, np.float64), np.asarray(actual, np.float64)
        excess = np.abs(expected - actual) - (atol + rtol * np.abs(expected))
        worst = float(np.max(np.abs(expected - actual)))
        ok = bool(np.all(excess <= 0))
        self.failures += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {label:<44} max |diff| {worst:.3e}")


def check_case(root, case, adjacency, n_users, report):
    folder = os.path.join(root, case)
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as handle:
        config = json.load(handle)
    with open(os.path.join(folder, "losses.json"), encoding="utf-8") as handle:
        losses = json.load(handle)["steps"]
    names = [f[:-4] for f in sorted(os.listdir(os.path.join(root, "init")))]
    params = {n: load(os.path.join(root, "init"), n) for n in names}
    model = Bm3Numpy(adjacency, n_users, config)
    b1, b2 = config["adam_betas"]
    m = {n: np.zeros_like(v) for n, v in params.items()}
    v = {n: np.zeros_like(x) for n, x in params.items()}
    for step in range(config["steps"]):
        users = np.load(os.path.join(folder, f"step{step}_users.npy"))
        items = np.load(os.path.join(folder, f"step{step}_items.npy"))
        masks = None
        if config["explicit_masks"]:
            masks = {k: load(folder, f"step{step}_{k}") for k in "uivt"}
        targets = model.targets(params, masks)
        terms = model.terms(params, users, items, targets)
        for key, value in terms.items():
            report.compare(f"{case} step{step} {key}", losses[step][key], value, 1e-6, 1e-5)
        grads = model.gradients(params, users, items, targets)
        if step == 0:
            for key, value in model.representations(params).items():
                report.compare(f"{case} outputs h_{key}", load(folder, f"H_{key}" if key in "ui" else f"h_{key}"),
                               value, 1e-6, 1e-5)
            for name in names:
                report.compare(f"{case} grads {name}", load(os.path.join(folder, "grads"), name), grads[name],
                               1e-6, 1e-4)
        t = step + 1
        for name in names:
            m[name] = b1 * m[name] + (1 - b1) * grads[name]
            v[name] = b2 * v[name] + (1 - b2) * grads[name] ** 2
            denominator = np.sqrt(v[name]) / np.sqrt(1 - b2 ** t) + config["adam_eps"]
            params[name] = params[name] - config["lr"] / (1 - b1 ** t) * m[name] / denominator
    for name in names:
        report.compare(f"{case} after3 {name}", load(os.path.join(folder, "after3"), name), params[name], 1e-5, 0.0)


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.normpath(os.path.join(here, "..", "..", "tests", "MultiRec.Tests", "fixtures", "bm3"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", default=default)
    root = parser.parse_args().fixtures
    n_users, n_items, users, items = read_tiny(os.path.join(root, "tiny"))
    adjacency = dense_adjacency(n_users, n_items, users, items)
    report = Report()
    rows, cols = np.load(os.path.join(root, "adjacency_rows.npy")), np.load(os.path.join(root, "adjacency_cols.npy"))
    dense = np.zeros_like(adjacency)
    dense[rows, cols] = np.load(os.path.join(root, "adjacency_values.npy"))
    report.compare("adjacency", adjacency, dense, 1e-7, 1e-6)
    for case in ("nodrop", "masks"):
        check_case(root, case, adjacency, n_users, report)
    print(f"{report.failures} failed")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
