#!/usr/bin/env python3
# PyTorch reference of BM3 (MMRec computation): importable module and the `train` command-line entry point.
"""BM3 reference implementation (PyTorch), written from docs/bm3-reference.md.

Usage:
  python3 tools/reference/bm3_reference.py train --data DIR [--n-layers 1 --dropout 0.5 --reg-weight 0.1
      --cl-weight 2.0 --seed 999 --epochs 1000 --threads T --modalities image,text|text|image|none
      --no-shuffle --json OUT]

As a module: `from bm3_reference import BM3, BM3Options, load_dataset, train, evaluate` (run with
tools/reference on sys.path).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict

import torch

from bm3_data import DataFormatError, MMRecDataset, Split, load_dataset  # noqa: F401  (re-exported)
from bm3_metrics import METRICS, topk_metrics  # noqa: F401  (re-exported)
from bm3_model import BM3, LOSS_TERMS, BM3Options, normalized_adjacency, parse_modalities  # noqa: F401
from bm3_trainer import TrainOptions, TrainResult, evaluate, init_seed, train  # noqa: F401

__all__ = ["BM3", "BM3Options", "LOSS_TERMS", "DataFormatError", "MMRecDataset", "Split", "METRICS",
           "TrainOptions", "TrainResult", "evaluate", "init_seed", "load_dataset", "normalized_adjacency",
           "parse_modalities", "topk_metrics", "train", "main"]


def write_json_atomic(path: str, payload) -> None:
    """Writes JSON to a temporary file beside `path`, then renames it over `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, indent=2)
            out.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)     # mkstemp creates 0600; give it ordinary file permissions
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def metrics_table(metrics, cutoffs) -> str:
    """Rows = metric, columns = K, values as the reference prints them (4 decimals)."""
    lines = ["           " + "".join(f"{'@' + str(k):>9}" for k in cutoffs)]
    for metric in METRICS:
        lines.append(f"{metric:<11}" + "".join(f"{metrics[f'{metric}@{k}']:>9.4f}" for k in cutoffs))
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="BM3 PyTorch reference (MMRec computation)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("train", help="train with early stopping and report metrics")
    run.add_argument("--data", required=True, help="dataset folder holding <name>.inter [+ feature .npy]")
    run.add_argument("--inter", default=None, help="a different .inter file (default DATA/<name>.inter)")
    run.add_argument("--embedding-size", type=int, default=64)
    run.add_argument("--n-layers", type=int, default=1)
    run.add_argument("--dropout", type=float, default=0.5)
    run.add_argument("--reg-weight", type=float, default=0.1)
    run.add_argument("--cl-weight", type=float, default=2.0)
    run.add_argument("--modalities", default=None,
                     help="image,text | image | text | none (default: whichever feature files exist)")
    run.add_argument("--freeze-raw-features", action="store_true",
                     help="do not train the raw feature tables (the reference trains them)")
    run.add_argument("--lr", type=float, default=1e-3)
    run.add_argument("--batch-size", type=int, default=2048)
    run.add_argument("--eval-batch-size", type=int, default=4096)
    run.add_argument("--epochs", type=int, default=1000)
    run.add_argument("--stopping-step", type=int, default=20)
    run.add_argument("--seed", type=int, default=999)
    run.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    run.add_argument("--no-shuffle", action="store_true", help="batches are the training rows in file order")
    run.add_argument("--json", default=None, help="also write the results to this JSON file")
    return parser


def run_train(args) -> int:
    started = time.perf_counter()
    requested = parse_modalities(args.modalities)
    data = load_dataset(args.data, requested, args.inter)
    modalities = tuple(data.features) if requested is None else requested
    model_options = BM3Options(embedding_size=args.embedding_size, n_layers=args.n_layers, dropout=args.dropout,
                               reg_weight=args.reg_weight, cl_weight=args.cl_weight,
                               modalities=tuple(m for m in ("image", "text") if m in modalities),
                               train_raw_features=not args.freeze_raw_features)
    options = TrainOptions(learning_rate=args.lr, batch_size=args.batch_size, eval_batch_size=args.eval_batch_size,
                           epochs=args.epochs, stopping_step=args.stopping_step, seed=args.seed,
                           shuffle=not args.no_shuffle, threads=args.threads)
    print(f"dataset {data.name}: {data.n_users} users, {data.n_items} items, train/valid/test "
          f"{len(data.train)}/{len(data.valid)}/{len(data.test)} rows "
          f"({data.dropped_cold_rows} cold-user rows dropped), torch {torch.__version__}, "
          f"threads {options.threads if options.threads is not None else torch.get_num_threads()}")
    result = train(data, model_options, options)
    wall = time.perf_counter() - started

    epochs = result.epochs
    mean_train = sum(e.train_seconds for e in epochs) / len(epochs)
    mean_eval = sum(e.eval_seconds for e in epochs) / len(epochs)
    print(f"\nbest epoch {result.best_epoch} of {len(epochs)} (stopped early: {result.stopped_early})")
    print(f"valid at best epoch:\n{metrics_table(result.best_valid, options.topk)}")
    print(f"test at best epoch:\n{metrics_table(result.best_test, options.topk)}")
    print(f"seconds per epoch (train) {mean_train:.2f}, seconds per evaluation (valid+test) {mean_eval:.2f}")
    print(f"total wall time {wall:.1f} s, peak RSS {result.peak_rss_mib:.0f} MiB")

    if args.json:
        payload = {
            "dataset": {"folder": os.path.basename(os.path.normpath(args.data)), "name": data.name,
                        "n_users": data.n_users, "n_items": data.n_items, "train_rows": len(data.train),
                        "valid_rows": len(data.valid), "test_rows": len(data.test),
                        "dropped_cold_rows": data.dropped_cold_rows},
            "model_options": asdict(model_options),
            "train_options": asdict(options),
            "torch_version": torch.__version__,
            "threads": torch.get_num_threads(),
            "parameters": result.parameters,
            "trainable_parameters": result.trainable_parameters,
            "best_epoch": result.best_epoch,
            "stopped_early": result.stopped_early,
            "best_valid": result.best_valid,
            "best_test": result.best_test,
            "best_valid_exact": result.best_valid_exact,
            "best_test_exact": result.best_test_exact,
            "mean_train_seconds_per_epoch": mean_train,
            "mean_eval_seconds_per_epoch": mean_eval,
            "wall_seconds": wall,
            "peak_rss_mib": result.peak_rss_mib,
            "epochs": [asdict(e) for e in epochs],
        }
        write_json_atomic(args.json, payload)
        print(f"wrote {args.json}")
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            return run_train(args)
    except DataFormatError as error:
        print(f"data error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"usage error: {error}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
