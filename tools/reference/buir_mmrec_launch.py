#!/usr/bin/env python3
"""BUIR's reference trainer: SelfCF's own BUIR model class, trained and evaluated by MMRec's own trainer on CPU.

MMRec (commit e775373) has no BUIR; the specification names SelfCF (enoche/SelfCF, commit 4e9db6f) as BUIR's
reference code, and SelfCF's trainer is the one MMRec's was derived from. To compare BUIR with MultiRec on the same
split, evaluation and early stopping as every other model, this launcher registers SelfCF's unmodified `BUIR` class
(with its `LightGCN_Encoder` and `GeneralRecommender`) as MMRec's `models.buir`, then hands over to the MMRec launcher
(`mmrec_launch.py` of the shared MMRec tools), which runs MMRec's `quick_start` with pinned settings and per-epoch
timing. No file of either checkout is changed and none is copied here.

The only adapter: SelfCF's `GeneralRecommender` asks its data loader for `dataset.num(field)`, where MMRec's dataset
has `get_user_num()` / `get_item_num()`. The model receives a view of MMRec's training loader that answers `num` from
those and passes everything else (notably `inter_matrix('coo')`, the training rows) through. BUIR's settings that
SelfCF keeps in its own `BUIR.yaml` (momentum 0.995, use_neg_sampling False) are passed as config values; n_layers
stays unset, so the encoder uses its default of 3.

Usage (from the repository root; run_mmrec.sh sets the data link, threads, timing and summary):
    SELFCF_DIR=<extracted SelfCF> MMREC_DIR=<extracted MMRec> DATA_DIR=<dataset folder> EPOCHS=1000 THREADS=2 \
        LAUNCH=tools/reference/buir_mmrec_launch.py bash <shared>/tools/mmrec/run_mmrec.sh --model BUIR --seed 999

Environment: SELFCF_DIR (required: the root that holds models/buir.py), MMREC_LAUNCHER (the MMRec launcher; default:
../shared/tools/mmrec/mmrec_launch.py beside the repository).
"""
import importlib.machinery
import importlib.util
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LAUNCHER = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "tools", "mmrec", "mmrec_launch.py"))


def load_as(name, path):
    """Executes the file at `path` as module `name` (registered in sys.modules before it runs)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class SelfCfLoaderView:
    """MMRec's training data loader as SelfCF's GeneralRecommender reads it."""

    def __init__(self, mmrec_loader, user_field, item_field):
        self._loader = mmrec_loader
        self.dataset = types.SimpleNamespace(num=self._num)
        self._counts = {user_field: mmrec_loader.dataset.get_user_num(),
                        item_field: mmrec_loader.dataset.get_item_num()}

    def _num(self, field):
        return self._counts[field]

    def inter_matrix(self, form="coo", value_field=None):
        return self._loader.inter_matrix(form=form, value_field=value_field)


def register_selfcf_buir(selfcf_root):
    models_dir = os.path.join(selfcf_root, "models")
    if not os.path.isfile(os.path.join(models_dir, "buir.py")):
        sys.exit(f"SELFCF_DIR is not a SelfCF checkout (no models/buir.py): {selfcf_root}")
    # SelfCF's modules import `models.common.*`; MMRec's `models` package has no `common`, so these names are free.
    load_as("models.common.abstract_recommender", os.path.join(models_dir, "common", "abstract_recommender.py"))
    load_as("models.common.encoders", os.path.join(models_dir, "common", "encoders.py"))
    selfcf_buir = load_as("selfcf_models_buir", os.path.join(models_dir, "buir.py"))

    def BUIR(config, train_data):  # the name MMRec's get_model looks up in models.buir
        view = SelfCfLoaderView(train_data, config["USER_ID_FIELD"], config["ITEM_ID_FIELD"])
        return selfcf_buir.BUIR(config, view)

    registered = types.ModuleType("models.buir")
    registered.__spec__ = importlib.machinery.ModuleSpec("models.buir", None)  # MMRec's get_model calls find_spec
    registered.BUIR = BUIR
    sys.modules["models.buir"] = registered


def main():
    selfcf = os.environ.get("SELFCF_DIR")
    if not selfcf:
        sys.exit("set SELFCF_DIR to the root of an extracted SelfCF checkout (commit 4e9db6f)")
    launcher = os.environ.get("MMREC_LAUNCHER", DEFAULT_LAUNCHER)
    if not os.path.isfile(launcher):
        sys.exit(f"MMRec launcher not found: {launcher} (set MMREC_LAUNCHER)")
    register_selfcf_buir(os.path.abspath(selfcf))
    # SelfCF's BUIR.yaml values, which MMRec's configurator cannot find (it has no configs/model/BUIR.yaml).
    sys.argv += ["--set", "momentum=0.995", "--set", "use_neg_sampling=false"]
    launch = load_as("mmrec_launch", launcher)
    launch.main()


if __name__ == "__main__":
    main()
