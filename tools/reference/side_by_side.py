#!/usr/bin/env python3
"""Side-by-side speed and memory of training: a PyTorch reference against MultiRec.

With --model M (BPR, LightGCN, VBPR, BUIR, FREEDOM or BM3) the reference is the reference's own code: MMRec's model
class and trainer (SelfCF's BUIR class for BUIR), run through the shared MMRec tools' `run_mmrec.sh` at MultiRec's
default settings for M (see zoo_settings.py), N epochs with a valid + test evaluation after each, against
`multirec bench --model M`. Needs MMREC_DIR (and SELFCF_DIR for BUIR) in the environment.

Without --model (the original BM3 comparison): both sides train N epochs on the same dataset folder with the same configuration (n_layers 1, dropout 0.5,
reg_weight 0.1, batch 2048, lr 1e-3) and the same thread count, each in its own process (so each peak RSS is its
own), and each epoch is followed by a valid + test evaluation. The reference side is `bm3_reference.py train`,
which follows the MMRec computation (full-graph forward and all-item projections every batch, forward re-run per
block of evaluated users, valid and test every epoch): it stands for what users run today and is not optimised.

Usage (from the repository root):
    python3 tools/reference/side_by_side.py --data DIR [--model M] [--epochs 3] [--threads 2]
        [--multirec "dotnet run -c Release --project src/MultiRec.Cli -- bench"]

Prints seconds per training epoch (median, first epoch excluded), seconds per evaluation (valid + test), peak
RSS, and the ratios, all from this one run. MultiRec runs before and after the reference (--multirec-runs 2, the
default), so that a slow spell of a shared machine weighs on both sides alike: its epoch and evaluation figures
are medians over the later epochs of both runs, its peak RSS the larger of the two; each run is printed too.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile

import zoo_settings

HERE = os.path.dirname(os.path.abspath(__file__))


def median_after_first(values):
    values = list(values)
    return statistics.median(values[1:] if len(values) > 1 else values)


def inter_file(data):
    """The folder's .inter file: <folder>.inter, else the only one (as MultiRec picks it)."""
    named = os.path.join(data, os.path.basename(os.path.normpath(data)) + ".inter")
    if os.path.exists(named):
        return named
    found = [f for f in os.listdir(data) if f.endswith(".inter")]
    if len(found) != 1:
        sys.exit(f"{data}: expected one .inter file, found {found}")
    return os.path.join(data, found[0])


def run_reference(data, epochs, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "ref.json")
        cmd = [sys.executable, os.path.join(HERE, "bm3_reference.py"), "train", "--data", data,
               "--inter", inter_file(data), "--epochs", str(epochs), "--stopping-step", "100000", "--threads", str(threads), "--json", out]
        print("reference:", " ".join(shlex.quote(c) for c in cmd), flush=True)
        subprocess.run(cmd, check=True, env=env, stdout=sys.stderr)
        with open(out) as f:
            result = json.load(f)
    return {
        "epoch_seconds": median_after_first(e["train_seconds"] for e in result["epochs"]),
        "eval_seconds": median_after_first(e["eval_seconds"] for e in result["epochs"]),
        "peak_rss_mib": result["peak_rss_mib"],
        "epochs": [(e["train_seconds"], e["eval_seconds"]) for e in result["epochs"]],
        "parameters": result["parameters"],
    }


def run_mmrec_reference(model, data, epochs, threads, tools):
    """MMRec's own trainer and model class (SelfCF's class for BUIR) for `epochs` epochs, early stopping off."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DATA_DIR=os.path.abspath(data), EPOCHS=str(epochs), THREADS=str(threads), RUN_DIR=tmp)
        args = zoo_settings.mmrec_args(model) + ["--stopping-step", "100000"]
        env.update(zoo_settings.launcher_env(model, tools))
        cmd = ["bash", os.path.join(tools, "run_mmrec.sh")] + args
        print("reference:", " ".join(shlex.quote(c) for c in cmd), flush=True)
        subprocess.run(cmd, check=True, env=env, stdout=sys.stderr)
        with open(os.path.join(tmp, "summary.json")) as f:
            result = json.load(f)
    epochs_s = result["train_epoch_seconds"]
    evals_s = result["eval_valid_plus_test_seconds"]
    return {
        "epoch_seconds": median_after_first(epochs_s),
        "eval_seconds": median_after_first(evals_s),
        "peak_rss_mib": result["ru_maxrss_kb"] / 1024.0,
        "epochs": list(zip(epochs_s, evals_s)),
        "parameters": None,
    }


def combine_multirec(runs):
    """One figure set from several MultiRec runs: medians over every run's epochs after its first, largest RSS."""
    later = [pair for run in runs for pair in run["epochs"][1:]] or [pair for run in runs for pair in run["epochs"]]
    steps = {k: statistics.median(run["step_ms"][k] for run in runs) for k in runs[0]["step_ms"]}
    return {
        "epoch_seconds": statistics.median(p[0] for p in later),
        "eval_seconds": statistics.median(p[1] for p in later),
        "peak_rss_mib": max(run["peak_rss_mib"] for run in runs),
        "epochs": [run["epochs"] for run in runs],
        "parameters": runs[0]["parameters"],
        "step_ms": steps,
        "runs": runs,
    }


def run_multirec(command, data, epochs, threads, model=None):
    cmd = shlex.split(command) + ["--data", data, "--epochs", str(epochs), "--threads", str(threads), "--json"]
    if model:
        cmd += ["--model", model]
    print("multirec: ", " ".join(shlex.quote(c) for c in cmd), flush=True)
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "epoch_seconds": report["epoch_seconds_median"],
        "eval_seconds": report["eval_seconds_median"],
        "peak_rss_mib": report["peak_rss_mib"],
        "epochs": list(zip(report["epoch_seconds"], report["eval_seconds"])),
        "parameters": report["parameters"],
        "step_ms": report["step_ms"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", default=None,
                        help="compare against the reference's own code for this catalog model (MMRec / SelfCF)")
    parser.add_argument("--tools", default=zoo_settings.DEFAULT_TOOLS,
                        help="the shared MMRec tools folder (run_mmrec.sh, mmrec_launch.py)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--multirec", default="dotnet run -c Release --project src/MultiRec.Cli -- bench",
                        help="command prefix that runs `multirec bench` (or the bench program's `train` suite)")
    parser.add_argument("--multirec-runs", type=int, choices=[1, 2], default=2,
                        help="2: MultiRec runs before and after the reference; 1: before only")
    parser.add_argument("--json", default=None, help="also write both results and the ratios to this file")
    args = parser.parse_args()

    runs = [run_multirec(args.multirec, args.data, args.epochs, args.threads, args.model)]
    if args.model:
        ref = run_mmrec_reference(args.model, args.data, args.epochs, args.threads, args.tools)
    else:
        ref = run_reference(args.data, args.epochs, args.threads)
    if args.multirec_runs == 2:
        runs.append(run_multirec(args.multirec, args.data, args.epochs, args.threads, args.model))
    ours = combine_multirec(runs)
    ratios = {
        "epoch_speedup": ref["epoch_seconds"] / ours["epoch_seconds"],
        "eval_speedup": ref["eval_seconds"] / ours["eval_seconds"],
        "rss_ratio": ours["peak_rss_mib"] / ref["peak_rss_mib"],
    }
    print()
    ref_params = f"{ref['parameters']:,}" if ref["parameters"] else "not counted"
    print(f"model {args.model or 'BM3 (own reference)'}; dataset {args.data}; {args.epochs} epochs; {args.threads} threads; "
          f"parameters {ours['parameters']:,} (reference {ref_params})")
    for n, run in enumerate(runs, 1):
        print(f"MultiRec run {n} of {len(runs)}: epoch {run['epoch_seconds']:.3f} s, evaluation {run['eval_seconds']:.3f} s, peak RSS {run['peak_rss_mib']:.0f} MiB")
    print(f"{'':28}{'PyTorch reference':>20}{'MultiRec':>12}{'ratio':>10}")
    print(f"{'training epoch (s, median)':28}{ref['epoch_seconds']:>20.3f}{ours['epoch_seconds']:>12.3f}{ratios['epoch_speedup']:>9.1f}x")
    print(f"{'evaluation valid+test (s)':28}{ref['eval_seconds']:>20.3f}{ours['eval_seconds']:>12.3f}{ratios['eval_speedup']:>9.1f}x")
    print(f"{'peak RSS (MiB)':28}{ref['peak_rss_mib']:>20.0f}{ours['peak_rss_mib']:>12.0f}{ratios['rss_ratio']:>9.2f}x")
    print("MultiRec step breakdown (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in ours["step_ms"].items()))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"model": args.model, "reference": ref, "multirec": ours, "ratios": ratios}, f, indent=2)


if __name__ == "__main__":
    main()
