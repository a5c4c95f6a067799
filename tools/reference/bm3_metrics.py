# Top-K ranking metrics of the MMRec evaluator (Recall, NDCG, Precision, MAP at several K), from hit matrices.
"""Per-user top-K metrics as in docs/bm3-reference.md section 4 (MMRec `utils/metrics.py`).

hits: (n_users, K_max) bool, hits[u, k] = the (k+1)-th ranked item is in the user's held-out set;
n_pos: (n_users,) size of each held-out set (>= 1). Every metric is the unweighted mean over users.
"""

from typing import Dict, Sequence

import numpy as np

METRICS = ("recall", "ndcg", "precision", "map")


def per_user_metrics(hits: np.ndarray, n_pos: np.ndarray) -> Dict[str, np.ndarray]:
    """Each metric at every cut-off 1..K_max: dict of (n_users, K_max) float64 arrays."""
    hits = hits.astype(np.float64)
    n_pos = n_pos.astype(np.float64)[:, None]
    k_max = hits.shape[1]
    ranks = np.arange(1, k_max + 1, dtype=np.float64)[None, :]
    hit_count = np.cumsum(hits, axis=1)
    discounts = 1.0 / np.log2(ranks + 1.0)

    recall = hit_count / n_pos
    precision = hit_count / ranks
    dcg = np.cumsum(hits * discounts, axis=1)
    ideal_length = np.minimum(n_pos, ranks)                 # min(n_u, K) for each cut-off K
    ideal_prefix = np.cumsum(discounts, axis=1)[0]          # IDCG of n ideal hits = ideal_prefix[n - 1]
    idcg = ideal_prefix[ideal_length.astype(np.int64) - 1]
    ndcg = dcg / idcg
    average_precision = np.cumsum(precision * hits, axis=1) / ideal_length
    return {"recall": recall, "ndcg": ndcg, "precision": precision, "map": average_precision}


def topk_metrics(hits: np.ndarray, n_pos: np.ndarray, cutoffs: Sequence[int]) -> Dict[str, float]:
    """{'recall@20': mean over users, ...} for every metric and cut-off (not rounded)."""
    table = per_user_metrics(hits, n_pos)
    result = {}
    for metric in METRICS:
        for k in cutoffs:
            result[f"{metric}@{k}"] = float(table[metric][:, k - 1].mean())
    return result


def rounded(metrics: Dict[str, float], digits: int = 4) -> Dict[str, float]:
    """The reference reports (and early-stops on) metrics rounded to 4 decimals."""
    return {key: round(value, digits) for key, value in metrics.items()}
