# The reference training loop: Adam, shuffled positive batches, per-epoch full-ranking evaluation, early stopping.
"""Trainer that follows the MMRec computation (docs/bm3-reference.md sections 2-4). It is deliberately NOT
optimised: it stands for what users of the reference run today (full-graph forward and all-item projections on
every batch, forward re-run per evaluation block, valid and test evaluated every epoch).
"""

import random
import resource
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import torch

from bm3_data import MMRecDataset, Split
from bm3_metrics import rounded, topk_metrics
from bm3_model import BM3, BM3Options, parameter_count

MASKED_SCORE = -1e10


@dataclass(frozen=True)
class TrainOptions:
    """Training settings; defaults are MMRec's overall.yaml."""

    learning_rate: float = 1e-3
    batch_size: int = 2048            # positive training pairs per batch
    eval_batch_size: int = 4096       # users per evaluation block
    epochs: int = 1000
    stopping_step: int = 20           # stop when this many epochs in a row (+1) bring no strict improvement
    valid_metric: str = "recall@20"
    topk: Tuple[int, ...] = (5, 10, 20, 50)
    seed: int = 999
    shuffle: bool = True              # False: batches are the training rows in file order
    threads: Optional[int] = None     # torch.set_num_threads; None keeps torch's default


@dataclass
class EpochRecord:
    epoch: int
    loss_sum: float
    loss_mean: float
    train_seconds: float
    eval_seconds: float
    valid: Dict[str, float]
    test: Dict[str, float]


@dataclass
class TrainResult:
    best_epoch: int
    best_valid: Dict[str, float]
    best_test: Dict[str, float]
    best_valid_exact: Dict[str, float]
    best_test_exact: Dict[str, float]
    epochs: List[EpochRecord] = field(default_factory=list)
    stopped_early: bool = False
    wall_seconds: float = 0.0
    peak_rss_mib: float = 0.0
    parameters: int = 0
    trainable_parameters: int = 0


def init_seed(seed: int) -> None:
    """Seeds random, numpy and torch like MMRec's init_seed."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def peak_rss_mib() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _rows_by_user(split: Split, n_users: int) -> List[np.ndarray]:
    order = np.argsort(split.users, kind="stable")
    bounds = np.searchsorted(split.users[order], np.arange(n_users + 1))
    items = split.items[order]
    return [items[bounds[u]:bounds[u + 1]] for u in range(n_users)]


@torch.no_grad()
def evaluate(model: BM3, data: MMRecDataset, split_name: str, options: TrainOptions) -> Dict[str, float]:
    """Full-ranking metrics (not rounded) on 'valid' or 'test'; the user's training items are masked."""
    model.eval()
    held_out = data.split(split_name)
    eval_users = np.unique(held_out.users)
    train_items = _rows_by_user(data.train, data.n_users)
    held_items = _rows_by_user(held_out, data.n_users)
    k_max = max(options.topk)
    all_hits, all_counts = [], []
    for start in range(0, len(eval_users), options.eval_batch_size):
        block = eval_users[start:start + options.eval_batch_size]
        scores = model.full_sort_predict(torch.from_numpy(block))
        mask_rows = np.concatenate([np.full(len(train_items[u]), r) for r, u in enumerate(block)])
        mask_cols = np.concatenate([train_items[u] for u in block])
        scores[torch.from_numpy(mask_rows), torch.from_numpy(mask_cols)] = MASKED_SCORE
        _, top = torch.topk(scores, min(k_max, data.n_items), dim=-1)
        relevant = np.zeros((len(block), data.n_items), dtype=bool)
        hold_rows = np.concatenate([np.full(len(held_items[u]), r) for r, u in enumerate(block)])
        hold_cols = np.concatenate([held_items[u] for u in block])
        relevant[hold_rows, hold_cols] = True
        hits = np.zeros((len(block), k_max), dtype=bool)   # ranks beyond a catalog smaller than K: no hit
        hits[:, :top.shape[1]] = np.take_along_axis(relevant, top.numpy(), axis=1)
        all_hits.append(hits)
        all_counts.append(np.array([len(held_items[u]) for u in block], dtype=np.int64))
    return topk_metrics(np.concatenate(all_hits), np.concatenate(all_counts), options.topk)


def build_model(data: MMRecDataset, model_options: BM3Options) -> BM3:
    return BM3(data.n_users, data.n_items, data.train.users, data.train.items, data.features, model_options)


def train(data: MMRecDataset, model_options: BM3Options, options: TrainOptions,
          log: Callable[[str], None] = print) -> TrainResult:
    """Trains until early stopping or options.epochs; returns per-epoch records and the best-valid metrics."""
    started = time.perf_counter()
    if options.threads is not None:
        torch.set_num_threads(options.threads)
    init_seed(options.seed)
    model = build_model(data, model_options)
    optimizer = torch.optim.Adam(model.parameters(), lr=options.learning_rate)
    result = TrainResult(best_epoch=-1, best_valid={}, best_test={}, best_valid_exact={}, best_test_exact={},
                         parameters=parameter_count(model), trainable_parameters=parameter_count(model, True))
    log(f"model: {result.parameters:,} parameters ({result.trainable_parameters:,} trainable), "
        f"modalities: {','.join(model.modalities) or 'none'}, options: {asdict(model_options)}")

    n_train = len(data.train)
    order = np.arange(n_train)
    best_score = -1.0
    steps_without_improvement = 0
    for epoch in range(1, options.epochs + 1):
        epoch_start = time.perf_counter()
        model.train()
        if options.shuffle:
            order = order[np.random.permutation(n_train)]
        loss_sum, batches = 0.0, 0
        for start in range(0, n_train, options.batch_size):
            rows = order[start:start + options.batch_size]
            batch = torch.from_numpy(np.stack([data.train.users[rows], data.train.items[rows]]))
            optimizer.zero_grad()
            loss = model.calculate_loss(batch)["total"]
            if torch.isnan(loss):
                raise FloatingPointError(f"training loss is nan at epoch {epoch}, batch {batches}")
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()
            batches += 1
        train_seconds = time.perf_counter() - epoch_start

        eval_start = time.perf_counter()
        valid = evaluate(model, data, "valid", options)
        test = evaluate(model, data, "test", options)
        eval_seconds = time.perf_counter() - eval_start
        record = EpochRecord(epoch, loss_sum, loss_sum / max(batches, 1), train_seconds, eval_seconds,
                             valid, test)
        result.epochs.append(record)

        score = rounded(valid)[options.valid_metric]
        improved = score > best_score
        if improved:
            best_score = score
            steps_without_improvement = 0
            result.best_epoch = epoch
            result.best_valid, result.best_test = rounded(valid), rounded(test)
            result.best_valid_exact, result.best_test_exact = dict(valid), dict(test)
        else:
            steps_without_improvement += 1
        log(f"epoch {epoch:4d}  loss {loss_sum:.4f} (mean {record.loss_mean:.6f})  train {train_seconds:.2f} s  "
            f"eval {eval_seconds:.2f} s  valid {options.valid_metric} {valid[options.valid_metric]:.4f}  "
            f"test {options.valid_metric} {test[options.valid_metric]:.4f}{'  *' if improved else ''}")
        if steps_without_improvement > options.stopping_step:
            result.stopped_early = True
            log(f"early stop: no strict improvement of valid {options.valid_metric} "
                f"for {steps_without_improvement} epochs")
            break

    result.wall_seconds = time.perf_counter() - started
    result.peak_rss_mib = peak_rss_mib()
    return result
