#!/usr/bin/env python3
# Writes the BM3 parity fixtures (tiny dataset, initial parameters, losses, gradients, Adam steps) for the C# tests.
"""Generates tests/MultiRec.Tests/fixtures/bm3/ with the BM3 reference in bm3_model.py.

Usage: python3 tools/reference/make_bm3_fixtures.py [--out tests/MultiRec.Tests/fixtures/bm3]
The output is deterministic (fixed seeds, one torch thread). See the README.md it writes for the semantics.
"""

import argparse
import json
import os
import shutil
import tempfile

import numpy as np
import torch

from bm3_data import load_dataset
from bm3_model import BM3, BM3Options

DATASET_NAME = "tiny"
N_USERS, N_ITEMS = 12, 10
ISOLATED_ITEM = 9           # appears only in a test row: no training edge
COLD_USER = 11              # only valid/test rows: dropped by the loader, still counted in U
TRAIN_ROWS_PER_USER = (4, 3, 5, 3, 4, 3, 4, 3, 4, 4, 3)   # users 0..10, 40 training rows in all
IMAGE_DIM, TEXT_DIM = 12, 8
DATA_SEED = 7
INIT_SEED = 999
MASK_SEED = 1234
STEPS = 3
CONFIG = {
    "embedding_size": 16,
    "n_layers": 2,
    "reg_weight": 0.1,
    "cl_weight": 2.0,
    "lr": 1e-3,
    "adam_betas": [0.9, 0.999],
    "adam_eps": 1e-8,
    "weight_decay": 0.0,
    "batch_size": 16,
    "modalities": ["image", "text"],
    "train_raw_features": True,
    "shuffle": False,
    "init_seed": INIT_SEED,
    "steps": STEPS,
}
CASES = {"nodrop": {"dropout": 0.0, "explicit_masks": False},
         "masks": {"dropout": 0.5, "explicit_masks": True, "mask_seed": MASK_SEED}}


def tiny_interactions():
    """Rows (user, item, x_label) of the tiny dataset: each user's rows in a shuffled order, no duplicate pairs."""
    rng = np.random.RandomState(DATA_SEED)
    rows = []
    for user, n_train in enumerate(TRAIN_ROWS_PER_USER):
        picked = rng.choice(ISOLATED_ITEM, size=n_train + 2, replace=False)
        labels = [0] * n_train + [1, 2]
        user_rows = [[user, int(item), label] for item, label in zip(picked, labels)]
        if user == 3:
            user_rows[-1][1] = ISOLATED_ITEM
        order = rng.permutation(len(user_rows))
        rows.extend(user_rows[k] for k in order)
    rows.append([COLD_USER, 2, 1])
    rows.append([COLD_USER, 5, 2])
    pairs = [(u, i) for u, i, _ in rows]
    assert len(set(pairs)) == len(pairs), "duplicate (user, item) pair"
    train_items = {i for _, i, label in rows if label == 0}
    assert train_items == set(range(ISOLATED_ITEM)), f"training items {sorted(train_items)}"
    return rows


def tiny_features():
    rng = np.random.RandomState(DATA_SEED + 1)
    image = np.maximum(rng.normal(0.0, 1.0, size=(N_ITEMS, IMAGE_DIM)), 0.0) * 2.0
    image[:, 0] += 0.25                      # no all-zero row
    text = rng.normal(0.0, 0.1, size=(N_ITEMS, TEXT_DIM))
    return image.astype(np.float32), text.astype(np.float32)


def write_dataset(folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{DATASET_NAME}.inter"), "w", encoding="utf-8", newline="\n") as out:
        out.write("userID\titemID\tx_label\n")
        for user, item, label in tiny_interactions():
            out.write(f"{user}\t{item}\t{label}\n")
    image, text = tiny_features()
    np.save(os.path.join(folder, "image_feat.npy"), image)
    np.save(os.path.join(folder, "text_feat.npy"), text)


def save_tensors(folder: str, tensors) -> None:
    os.makedirs(folder, exist_ok=True)
    for name, tensor in tensors.items():
        np.save(os.path.join(folder, f"{name}.npy"), tensor.detach().cpu().numpy().astype(np.float32))


def exact(value: torch.Tensor) -> float:
    """The float32 value as a Python float: json writes its full float64 repr, which is exact."""
    return float(value.detach().reshape(()).item())


def write_json(path: str, payload) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        json.dump(payload, out, indent=2)
        out.write("\n")


def make_masks(generator: torch.Generator, model: BM3, p: float):
    d = model.options.embedding_size
    shapes = {"u": (model.n_users, d), "i": (model.n_items, d), "v": (model.n_items, d), "t": (model.n_items, d)}
    return {key: torch.bernoulli(torch.full(shape, 1.0 - p), generator=generator) for key, shape in shapes.items()}


def write_case(root: str, name: str, case, data, initial_state) -> None:
    folder = os.path.join(root, name)
    os.makedirs(folder, exist_ok=True)
    config = dict(CONFIG, dropout=case["dropout"], explicit_masks=case["explicit_masks"])
    if case["explicit_masks"]:
        config["mask_seed"] = case["mask_seed"]
    write_json(os.path.join(folder, "config.json"), config)

    options = BM3Options(embedding_size=CONFIG["embedding_size"], n_layers=CONFIG["n_layers"],
                         dropout=case["dropout"], reg_weight=CONFIG["reg_weight"], cl_weight=CONFIG["cl_weight"],
                         modalities=tuple(CONFIG["modalities"]), train_raw_features=CONFIG["train_raw_features"])
    torch.manual_seed(INIT_SEED)
    model = BM3(data.n_users, data.n_items, data.train.users, data.train.items, data.features, options)
    model.load_state_dict(initial_state)
    optimizer = torch.optim.Adam(model.parameters(), lr=CONFIG["lr"], betas=tuple(CONFIG["adam_betas"]),
                                 eps=CONFIG["adam_eps"], weight_decay=CONFIG["weight_decay"])
    generator = torch.Generator().manual_seed(case.get("mask_seed", 0))

    batch_size = CONFIG["batch_size"]
    step_terms = []
    for step in range(STEPS):
        rows = np.arange(step * batch_size, min((step + 1) * batch_size, len(data.train)))
        users = torch.from_numpy(data.train.users[rows])
        items = torch.from_numpy(data.train.items[rows])
        np.save(os.path.join(folder, f"step{step}_users.npy"), users.numpy().astype(np.int64))
        np.save(os.path.join(folder, f"step{step}_items.npy"), items.numpy().astype(np.int64))
        masks = None
        if case["explicit_masks"]:
            masks = make_masks(generator, model, case["dropout"])
            save_tensors(folder, {f"step{step}_{k}": m for k, m in masks.items()})

        optimizer.zero_grad()
        terms, outputs = model.compute_loss(users, items, masks)
        terms["total"].backward()
        step_terms.append({key: exact(value) for key, value in terms.items()})
        if step == 0:
            save_tensors(folder, outputs)
            save_tensors(os.path.join(folder, "grads"), {n: p.grad for n, p in model.named_parameters()})
        optimizer.step()

    save_tensors(os.path.join(folder, "after3"), dict(model.named_parameters()))
    write_json(os.path.join(folder, "losses.json"), {"steps": step_terms})


def write_adjacency(root: str, model: BM3) -> None:
    adjacency = model.norm_adj.coalesce()
    indices = adjacency.indices().numpy()
    np.save(os.path.join(root, "adjacency_rows.npy"), indices[0].astype(np.int64))
    np.save(os.path.join(root, "adjacency_cols.npy"), indices[1].astype(np.int64))
    np.save(os.path.join(root, "adjacency_values.npy"), adjacency.values().numpy().astype(np.float32))


def generate(out: str) -> None:
    torch.set_num_threads(1)
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".bm3-fixtures-", dir=parent)
    try:
        write_dataset(os.path.join(staging, DATASET_NAME))
        data = load_dataset(os.path.join(staging, DATASET_NAME), ["image", "text"])
        assert (data.n_users, data.n_items) == (N_USERS, N_ITEMS)
        assert len(data.train) == sum(TRAIN_ROWS_PER_USER)

        options = BM3Options(embedding_size=CONFIG["embedding_size"], n_layers=CONFIG["n_layers"],
                             modalities=tuple(CONFIG["modalities"]))
        torch.manual_seed(INIT_SEED)
        initial = BM3(data.n_users, data.n_items, data.train.users, data.train.items, data.features, options)
        initial_state = {k: v.clone() for k, v in initial.state_dict().items()}
        save_tensors(os.path.join(staging, "init"), initial_state)
        write_adjacency(staging, initial)
        write_json(os.path.join(staging, "config.json"), dict(CONFIG, cases=CASES, dataset=DATASET_NAME,
                                                              torch_version=torch.__version__))
        for name, case in CASES.items():
            write_case(staging, name, case, data, initial_state)
        template = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bm3_fixtures_README.md")
        with open(template, "r", encoding="utf-8") as source:
            text = source.read().replace("{torch_version}", torch.__version__)
        with open(os.path.join(staging, "README.md"), "w", encoding="utf-8", newline="\n") as readme:
            readme.write(text)

        if os.path.isdir(out):
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "..", "tests", "MultiRec.Tests", "fixtures", "bm3"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=default_out)
    args = parser.parse_args()
    generate(args.out)
    print(f"wrote {args.out} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
