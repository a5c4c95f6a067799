#!/usr/bin/python3
"""Writes the cross-check fixture of the full-ranking evaluator (numpy only).

A seeded random case (300 users, 500 items, d=16) is scored and evaluated with a small numpy
implementation of the MMRec protocol (common/trainer.py evaluate, utils/metrics.py):
training items scored -1e10, top-50 by score, Recall / NDCG / Precision / MAP at 5, 10, 20, 50,
averaged over users with at least one held-out item.

Scores are exact in float32 whatever the summation order, so the C# engine must reproduce the
ranking exactly: embedding entries are small integers, except the last dimension, where items
carry distinct multiples of 1/1024 (a tie breaker) and users carry 1 -- or 0 for every third
user, whose scores then tie a lot and exercise the tie rule (equal scores: lower item id first).
User 2 has 470 training items, so fewer than 50 items are unmasked and masked items fill the
tail of its top-50 in id order; two of its test items are training items, which count as hits
there exactly as in the reference.

Output, in tests/MultiRec.Tests/fixtures/evaluation/: user_embeddings.npy and item_embeddings.npy (<f4),
and eval_case.json (sizes, cut-offs, train/valid/test item lists per user, expected metrics).
Run from the repository root: /usr/bin/python3 tools/reference/make_eval_fixture.py
"""

import json
import os

import numpy as np

USERS, ITEMS, DIMS = 300, 500, 16
KS = [5, 10, 20, 50]
MASKED_SCORE = -1e10
SEED = 20230501
HEAVY_USER = 2
OUT_DIR = os.path.join("tests", "MultiRec.Tests", "fixtures", "evaluation")


def make_case(rng):
    user_emb = rng.integers(-4, 5, size=(USERS, DIMS)).astype(np.float32)
    item_emb = rng.integers(-4, 5, size=(ITEMS, DIMS)).astype(np.float32)
    user_emb[:, -1] = np.where(np.arange(USERS) % 3 == 0, 0.0, 1.0)
    item_emb[:, -1] = rng.permutation(ITEMS) / 1024.0

    train, valid, test = [], [], []
    for u in range(USERS):
        order = rng.permutation(ITEMS)
        if u == HEAVY_USER:
            n_train, n_valid, n_test = 470, 5, 3
        else:
            n_train = int(rng.integers(3, 31))
            n_valid = 0 if u % 17 == 5 else int(rng.integers(1, 6))
            n_test = 0 if u % 19 == 7 else int(rng.integers(1, 6))
        t = np.sort(order[:n_train])
        v = np.sort(order[n_train:n_train + n_valid])
        s = order[n_train + n_valid:n_train + n_valid + n_test]
        if u == HEAVY_USER:
            s = np.concatenate([s, t[[0, 5]]])  # training items also held out
        train.append(t)
        valid.append(v)
        test.append(np.sort(s))
    return user_emb, item_emb, train, valid, test


def top_k(user_emb, item_emb, masks, k):
    """Top-k item ids per user, best first; equal scores: lower item id first."""
    scores = user_emb.astype(np.float64) @ item_emb.astype(np.float64).T
    assert np.array_equal(scores, (user_emb @ item_emb.T).astype(np.float64)), "scores must be exact"
    for mask in masks:
        for u, items in enumerate(mask):
            scores[u, items] = MASKED_SCORE
    ids = np.arange(ITEMS)
    ranked = np.empty((USERS, k), dtype=np.int64)
    for u in range(USERS):
        # lexsort sorts by the last key first: descending score, then ascending item id.
        ranked[u] = np.lexsort((ids, -scores[u]))[:k]
    return ranked


def metrics(ranked, target):
    """MMRec metrics (utils/metrics.py) at KS, averaged over users with a held-out item."""
    users = [u for u in range(USERS) if len(target[u]) > 0]
    hits = np.array([np.isin(ranked[u], target[u]) for u in users], dtype=np.float64)
    n_u = np.array([len(target[u]) for u in users], dtype=np.float64)
    k_max = hits.shape[1]
    ranks = np.arange(1, k_max + 1, dtype=np.float64)

    cum_hits = np.cumsum(hits, axis=1)
    recall = cum_hits / n_u[:, None]
    precision = cum_hits / ranks

    dcg = np.cumsum(hits / np.log2(ranks + 1), axis=1)
    ideal = np.cumsum(1.0 / np.log2(ranks + 1))
    idcg = np.array([ideal[np.minimum(ranks.astype(np.int64), n) - 1] for n in n_u.astype(np.int64)])
    ndcg = dcg / idcg

    sum_precision = np.cumsum(precision * hits, axis=1)
    map_ = sum_precision / np.minimum(ranks[None, :], n_u[:, None])

    result = {}
    for name, values in (("recall", recall), ("ndcg", ndcg), ("precision", precision), ("map", map_)):
        means = values.mean(axis=0)
        for k in KS:
            result[f"{name}@{k}"] = float(means[k - 1])
    return result, len(users)


def write_atomically(name, write):
    path = os.path.join(OUT_DIR, name)
    with open(path + ".tmp", "wb") as f:
        write(f)
    os.replace(path + ".tmp", path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    rng = np.random.default_rng(SEED)
    user_emb, item_emb, train, valid, test = make_case(rng)
    k_max = max(KS)

    ranked_valid = top_k(user_emb, item_emb, [train], k_max)
    ranked_test_extra = top_k(user_emb, item_emb, [train, valid], k_max)
    heavy_unmasked = ITEMS - len(train[HEAVY_USER])
    assert heavy_unmasked < k_max, "the heavy user must have fewer than K_max candidates"
    masked_hits = np.intersect1d(ranked_valid[HEAVY_USER, heavy_unmasked:], train[HEAVY_USER])
    assert np.isin(masked_hits, test[HEAVY_USER]).sum() == 2, "masked held-out items must reach the top-50"
    tied_users = sum(len(np.unique((user_emb[u] @ item_emb.T))) < ITEMS for u in range(0, USERS, 3))
    assert tied_users == len(range(0, USERS, 3)), "every third user must have tied scores"

    expected = {}
    for split, ranked, target in (("valid", ranked_valid, valid), ("test", ranked_valid, test),
                                  ("test_valid_masked", ranked_test_extra, test)):
        values, evaluated = metrics(ranked, target)
        expected[split] = {"users_evaluated": evaluated, "metrics": values}

    case = {
        "description": "MMRec full-ranking protocol cross-check; written by tools/reference/make_eval_fixture.py",
        "seed": SEED,
        "users": USERS,
        "items": ITEMS,
        "dims": DIMS,
        "ks": KS,
        "train": [[int(i) for i in row] for row in train],
        "valid": [[int(i) for i in row] for row in valid],
        "test": [[int(i) for i in row] for row in test],
        "expected": expected,
    }
    os.makedirs(OUT_DIR, exist_ok=True)
    write_atomically("user_embeddings.npy", lambda f: np.save(f, user_emb.astype("<f4")))
    write_atomically("item_embeddings.npy", lambda f: np.save(f, item_emb.astype("<f4")))
    write_atomically("eval_case.json", lambda f: f.write((json.dumps(case, separators=(",", ":")) + "\n").encode()))
    for split, e in expected.items():
        print(split, e["users_evaluated"], {k: round(v, 4) for k, v in e["metrics"].items() if k.endswith("@20")})


if __name__ == "__main__":
    main()
