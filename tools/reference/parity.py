#!/usr/bin/env python3
"""Statistical parity on real data: each zoo model trained by the reference's own trainer and by MultiRec.

The reference side is MMRec's own trainer (`quick_start`, through the shared MMRec tools' `run_mmrec.sh`) running
MMRec's model classes (BPR, LightGCN, VBPR, FREEDOM) and SelfCF's BUIR class (through `buir_mmrec_launch.py`), on
CPU, at the hyper-parameters MultiRec ships as each model's default (`configs/model/<M>.yaml`), pinned so that
MMRec trains one setting instead of its grid. Early stopping is MMRec's (valid Recall@20 as the evaluator
rounds it, to 4 decimals; strict improvement; stop when more than stopping_step 20 evaluations in a row bring none), as
MultiRec's default, within an epoch budget (--epochs, or per model --budgets) that is the same on both sides. The MultiRec side is a finished
`multirec compare` folder over the same data, models and seeds, trained with at least that budget.

Both sides' results are derived from their per-epoch logs (the reference's `PEER eval` lines, which carry valid and
test Recall@20 / NDCG@20 of every epoch; MultiRec's metrics.jsonl): the best valid epoch within the budget under the
stopping rule, and test at that epoch. A run that was trained longer gives the same figures as one stopped at the
budget, because nothing before an epoch depends on the budget. A self-check first re-derives every run's own reported
result at its own length and fails if it differs.

Per model it prints test Recall@20 and NDCG@20 as mean ± sample sd over the seeds on both sides, the difference of
the means in units of the pooled sd (sqrt of the mean of the two variances), and whether the means agree within 2 sd.
It also prints both sides' median seconds per training epoch and per evaluation (valid + test) and the ratios: the
reference's cost for scale.

Usage (from the repository root; the reference runs are resumable: a finished run's summary.json is reused):
    python3 tools/reference/parity.py --data DIR --multirec COMPARE_DIR --runs REF_RUNS_DIR \
        --mmrec-dir MMREC --selfcf-dir SELFCF [--models BPR,LightGCN,VBPR,BUIR,FREEDOM] [--seeds 999,1000,1001]
        [--threads 1] [--jobs 2] [--epochs N] [--budgets MODEL=N,...] [--tools ../shared/tools/mmrec] [--json out.json]
    (--multirec may be repeated when the models' MultiRec runs are in several comparison folders)
"""
import argparse
import concurrent.futures
import json
import math
import os
import statistics
import subprocess
import sys

import zoo_settings

HERE = os.path.dirname(os.path.abspath(__file__))

def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="dataset folder: NAME.inter and the feature files")
    p.add_argument("--multirec", required=True, action="append",
                   help="a finished `multirec compare` output folder (compare.json); repeat it when the models' runs "
                        "are in several folders (each model is read from the first folder whose table has it)")
    p.add_argument("--runs", required=True, help="folder for the reference runs (one per model and seed)")
    p.add_argument("--mmrec-dir", default=os.environ.get("MMREC_DIR"))
    p.add_argument("--selfcf-dir", default=os.environ.get("SELFCF_DIR"))
    p.add_argument("--tools", default=zoo_settings.DEFAULT_TOOLS,
                   help="the shared MMRec tools folder (run_mmrec.sh, mmrec_launch.py)")
    p.add_argument("--models", default="BPR,LightGCN,VBPR,BUIR,FREEDOM")
    p.add_argument("--seeds", default="999,1000,1001")
    p.add_argument("--threads", type=int, default=1, help="torch threads per reference run")
    p.add_argument("--jobs", type=int, default=1, help="reference runs at once")
    p.add_argument("--epochs", type=int, default=1000, help="epoch budget of both sides (reference runs stop there)")
    p.add_argument("--budgets", default="",
                   help="per-model epoch budgets overriding --epochs, e.g. LATTICE=10,MMGCN=10")
    p.add_argument("--stopping-step", type=int, default=20)
    p.add_argument("--json", default=None, help="write the table as JSON here")
    return p.parse_args()


def parse_reference_log(path):
    """Per epoch of a reference run.log: train seconds, eval seconds (valid + test), valid/test recall@20, ndcg@20."""
    epochs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("PEER train") and not line.startswith("PEER eval"):
                continue
            fields = dict(kv.split("=", 1) for kv in line.split()[2:] if "=" in kv)
            e = epochs.setdefault(int(fields["epoch"]), {"eval_seconds": 0.0})
            if line.startswith("PEER train"):
                e["train_seconds"] = float(fields["seconds"])
            else:
                e["eval_seconds"] += float(fields["seconds"])
                e[fields["split"]] = {"recall@20": float(fields["recall@20"]), "ndcg@20": float(fields["ndcg@20"])}
    # 1-based, complete epochs only (a killed run may end mid-epoch)
    return [epochs[k] for k in sorted(epochs) if "test" in epochs[k] and "train_seconds" in epochs[k]]


def budget(a, model):
    """The model's epoch budget: its --budgets entry, else --epochs."""
    for entry in filter(None, a.budgets.split(",")):
        name, _, value = entry.partition("=")
        if name == model:
            return int(value)
    return a.epochs


def reference_run(a, model, seed):
    """Runs (or reuses) one reference fit; returns its per-epoch records (reused when it has the budget's epochs
    or finished early by its own stopping rule)."""
    epochs_budget = budget(a, model)
    run_dir = os.path.abspath(os.path.join(a.runs, model, f"seed-{seed}"))
    log_path = os.path.join(run_dir, "run.log")
    summary = os.path.join(run_dir, "summary.json")
    if os.path.isfile(log_path):
        epochs = parse_reference_log(log_path)
        if len(epochs) >= epochs_budget or os.path.isfile(summary):
            return epochs, (json.load(open(summary, encoding="utf-8")) if os.path.isfile(summary) else None)
    env = dict(os.environ, MMREC_DIR=os.path.abspath(a.mmrec_dir), DATA_DIR=os.path.abspath(a.data),
               EPOCHS=str(epochs_budget), THREADS=str(a.threads), RUN_DIR=run_dir)
    args = zoo_settings.mmrec_args(model, seed) + ["--stopping-step", str(a.stopping_step)]
    if model == "BUIR":
        os.environ["SELFCF_DIR"] = os.path.abspath(a.selfcf_dir)
        env["SELFCF_DIR"] = os.environ["SELFCF_DIR"]
    env.update(zoo_settings.launcher_env(model, a.tools))
    log = os.path.join(os.path.abspath(a.runs), f"{model}-seed-{seed}.out")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        rc = subprocess.call(["bash", os.path.join(a.tools, "run_mmrec.sh")] + args, env=env, stdout=out,
                             stderr=subprocess.STDOUT)
    if rc != 0 or not os.path.isfile(summary):
        raise RuntimeError(f"reference run {model} seed {seed} failed (exit {rc}); see {log}")
    return parse_reference_log(log_path), json.load(open(summary, encoding="utf-8"))


def early_stop(valid_scores, budget, stopping_step):
    """MMRec's rule over per-epoch valid scores (already rounded): the 1-based best epoch within the budget."""
    best, best_epoch, cur = -1.0, 0, 0
    for epoch, score in enumerate(valid_scores[:budget], start=1):
        if score > best:
            best, best_epoch, cur = score, epoch, 0
        else:
            cur += 1
            if cur > stopping_step:
                break
    return best_epoch


def reference_result(epochs, budget, stopping_step):
    best = early_stop([e["valid"]["recall@20"] for e in epochs], budget, stopping_step)
    return {"best_epoch": best, "test": epochs[best - 1]["test"], "valid": epochs[best - 1]["valid"],
            "epochs": min(len(epochs), budget)}


def multirec_runs(compare_dirs, model):
    """Per seed, MultiRec's results.json and metrics.jsonl lines, from the run folders compare.json lists (the first
    of the comparison folders whose table has the model)."""
    row = None
    for compare_dir in compare_dirs:
        with open(os.path.join(compare_dir, "compare.json"), encoding="utf-8") as f:
            table = json.load(f)
        row = next((r for r in table["rows"] if r["model"] == model), None)
        if row is not None:
            break
    if row is None:
        raise SystemExit(f"no compare.json of {', '.join(compare_dirs)} has a row for {model}")
    out = {}
    for run in row["runs"]:
        # compare.json names each run folder as the comparison saw it; its tail runs/<model>/<setting>/seed-<s> is
        # relative to the comparison folder wherever that now is.
        parts = os.path.normpath(run).split(os.sep)
        folder = os.path.join(compare_dir, *parts[len(parts) - 1 - parts[::-1].index("runs"):])
        with open(os.path.join(folder, "results.json"), encoding="utf-8") as f:
            res = json.load(f)
        with open(os.path.join(folder, "compare-run.json"), encoding="utf-8") as f:
            seed = json.load(f)["seed"]
        with open(os.path.join(folder, "metrics.jsonl"), encoding="utf-8") as f:
            lines = [json.loads(x) for x in f if x.strip()]
        out[seed] = (res, lines)
    return out


def multirec_result(lines, budget, stopping_step):
    """The same rule over MultiRec's log (valid Recall@20 rounded to 4 decimals, as its valid_metric_decimals)."""
    best = early_stop([round(x["valid"]["recall@20"], 4) for x in lines], budget, stopping_step)
    line = lines[best - 1]
    assert line["epoch"] == best and "test" in line, f"metrics.jsonl has no test metrics at epoch {best}"
    return {"best_epoch": best, "test": line["test"], "valid": line["valid"], "epochs": min(len(lines), budget)}


def mean_sd(xs):
    return statistics.mean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)


def main():
    a = parse_args()
    models = a.models.split(",")
    seeds = [int(s) for s in a.seeds.split(",")]
    if not a.mmrec_dir or (("BUIR" in models) and not a.selfcf_dir):
        sys.exit("set --mmrec-dir (and --selfcf-dir for BUIR) to the extracted reference checkouts")
    jobs = [(m, s) for m in models for s in seeds]
    ref = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = {pool.submit(reference_run, a, m, s): (m, s) for m, s in jobs}
        for fut in concurrent.futures.as_completed(futures):
            m, s = futures[fut]
            epochs, summary = fut.result()
            if summary is not None and len(epochs) <= budget(a, m):  # self-check: the rule reproduces MMRec's own choice
                own = reference_result(epochs, len(epochs), a.stopping_step)["test"]["recall@20"]
                theirs = summary["fits"][0]["test_at_best_valid"]["recall@20"]
                if abs(own - theirs) > 1e-12:
                    raise SystemExit(f"reference {m} seed {s}: derived test recall@20 {own} != MMRec's {theirs}")
            ref[(m, s)] = epochs
            r = reference_result(epochs, budget(a, m), a.stopping_step)
            print(f"reference {m} seed {s}: best epoch {r['best_epoch']} of {r['epochs']}, "
                  f"test recall@20 {r['test']['recall@20']:.4f}", flush=True)

    rows = []
    for m in models:
        epochs_budget = budget(a, m)
        ours = multirec_runs(a.multirec, m)
        missing = [s for s in seeds if s not in ours]
        if missing:
            raise SystemExit(f"the MultiRec comparison has no {m} run for seeds {missing}")
        mine = {}
        for s in seeds:
            res, lines = ours[s]
            if len(lines) < min(epochs_budget, res["epochs_run"]) or (res["stopped_by"] != "early_stop" and len(lines) < epochs_budget):
                raise SystemExit(f"MultiRec {m} seed {s} ran {len(lines)} epochs, fewer than the budget {epochs_budget}")
            own = multirec_result(lines, len(lines), a.stopping_step)
            if own["best_epoch"] != res["best_epoch"] or own["test"]["recall@20"] != res["test"]["recall@20"]:
                raise SystemExit(f"MultiRec {m} seed {s}: derived best epoch {own['best_epoch']} != results.json's {res['best_epoch']}")
            mine[s] = multirec_result(lines, epochs_budget, a.stopping_step)
        theirs = {s: reference_result(ref[(m, s)], epochs_budget, a.stopping_step) for s in seeds}
        row = {"model": m, "seeds": seeds, "epoch_budget": epochs_budget,
               "best_epochs": {"multirec": [mine[s]["best_epoch"] for s in seeds],
                               "reference": [theirs[s]["best_epoch"] for s in seeds]}}
        # Valid Recall@20 at the chosen epochs: a diagnostic for a test difference (same curve, other test figure).
        row["valid_recall@20"] = {"multirec": [mine[s]["valid"]["recall@20"] for s in seeds],
                                  "reference": [theirs[s]["valid"]["recall@20"] for s in seeds]}
        for metric in ("recall@20", "ndcg@20"):
            mr = [mine[s]["test"][metric] for s in seeds]
            rf = [theirs[s]["test"][metric] for s in seeds]
            (m1, s1), (m2, s2) = mean_sd(mr), mean_sd(rf)
            pooled = math.sqrt((s1 * s1 + s2 * s2) / 2)
            z = abs(m1 - m2) / pooled if pooled > 0 else (0.0 if m1 == m2 else math.inf)
            row[metric] = {"multirec": mr, "reference": rf, "multirec_mean": m1, "multirec_sd": s1,
                           "reference_mean": m2, "reference_sd": s2, "diff_in_pooled_sd": z, "agree": z <= 2.0}
        ep_ours = statistics.median(x["train_seconds"] for s in seeds for x in ours[s][1][1:epochs_budget])
        ev_ours = statistics.median(x["eval_seconds"] for s in seeds for x in ours[s][1][1:epochs_budget])
        ep_ref = statistics.median(e["train_seconds"] for s in seeds for e in ref[(m, s)][1:epochs_budget])
        ev_ref = statistics.median(e["eval_seconds"] for s in seeds for e in ref[(m, s)][1:epochs_budget])
        row.update({"seconds_per_epoch": {"multirec": ep_ours, "reference": ep_ref},
                    "seconds_per_evaluation": {"multirec": ev_ours, "reference": ev_ref}})
        rows.append(row)

    print()
    budgets = ", ".join(f"{r['model']} {r['epoch_budget']}" for r in rows)
    print(f"epoch budgets {budgets}; stopping_step {a.stopping_step}; seeds {seeds}; mean ± sample sd; "
          f"Δ / sd = |difference of the means| / pooled sd; seconds are medians over epochs 2.. of all seeds")
    print("| model | MultiRec test R@20 | reference test R@20 | Δ / sd | MultiRec test N@20 | reference test N@20 "
          "| Δ / sd | agree | s/epoch MultiRec | s/epoch reference | ratio | s/eval MultiRec | s/eval reference | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        v = r["valid_recall@20"]
        print(f"<!-- {r['model']} best epochs: MultiRec {r['best_epochs']['multirec']}, reference "
              f"{r['best_epochs']['reference']}; valid R@20 there: MultiRec {statistics.mean(v['multirec']):.4f}, "
              f"reference {statistics.mean(v['reference']):.4f} -->")
    for r in rows:
        rc, nd = r["recall@20"], r["ndcg@20"]
        ep, ev = r["seconds_per_epoch"], r["seconds_per_evaluation"]
        print(f"| {r['model']} | {rc['multirec_mean']:.4f} ± {rc['multirec_sd']:.4f} | {rc['reference_mean']:.4f} ± "
              f"{rc['reference_sd']:.4f} | {rc['diff_in_pooled_sd']:.2f} | {nd['multirec_mean']:.4f} ± {nd['multirec_sd']:.4f} "
              f"| {nd['reference_mean']:.4f} ± {nd['reference_sd']:.4f} | {nd['diff_in_pooled_sd']:.2f} | "
              f"{'yes' if rc['agree'] and nd['agree'] else 'NO'} | {ep['multirec']:.3f} | {ep['reference']:.3f} | "
              f"{ep['reference'] / ep['multirec']:.1f}× | {ev['multirec']:.3f} | {ev['reference']:.3f} | "
              f"{ev['reference'] / ev['multirec']:.1f}× |")
    if a.json:
        tmp = a.json + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=2)
        os.replace(tmp, a.json)
    return 0 if all(r["recall@20"]["agree"] and r["ndcg@20"]["agree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
