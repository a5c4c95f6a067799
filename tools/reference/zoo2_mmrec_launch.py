#!/usr/bin/env python3
"""The reference trainer for MMGCN, GRCN, DualGNN, LATTICE and SLMRec: MMRec's own model classes and its own trainer
(`quick_start`, through the MMRec launcher of the shared MMRec tools), on CPU.

MMRec (commit e775373) runs these five on a GPU. This launcher adds, at run time and without changing or copying
any of its files, what they need on a CPU-only machine, then hands over to `mmrec_launch.py`:
- PyTorch Geometric (MMGCN, GRCN and DualGNN import it): PYG_DIR, the folder that holds torch_geometric/ (an extracted
  PyG 2.3), is put first on sys.path;
- `Tensor.cuda()` returns the tensor itself when CUDA is absent (GRCN's `torch.zeros(1).cuda()` in its loss, LATTICE's
  `.cuda()` on its frozen item graphs);
- DualGNN: on CPU `nn.Parameter(...).to(device)` is the parameter itself, so `result_embed` becomes a registered
  float64 parameter that its first forward cannot assign to; it is removed from the parameters right after the model
  is built, before the trainer builds its optimizer (baselines-reference 9.1). Its `user_graph_dict.npy` is made in
  the dataset folder when absent (dualgnn_user_graph.py: the reference's own preprocessing function);
- SLMRec imports torch_scatter and never uses it: an inert module stands in when it is not installed.

Usage (from the repository root; run_mmrec.sh sets the data link, threads, timing and summary):
    PYG_DIR=<extracted PyG> MMREC_DIR=<extracted MMRec> DATA_DIR=<dataset folder> EPOCHS=1000 THREADS=2 \\
        LAUNCH=tools/reference/zoo2_mmrec_launch.py bash <shared>/tools/mmrec/run_mmrec.sh --model DualGNN --seed 999
Environment: MMREC_DIR (required), PYG_DIR (required for MMGCN, GRCN, DualGNN), MMREC_LAUNCHER (the MMRec launcher;
default: ../shared/tools/mmrec/mmrec_launch.py beside the repository).
"""
import importlib.util
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LAUNCHER = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "tools", "mmrec", "mmrec_launch.py"))
NEEDS_PYG = {"MMGCN", "GRCN", "DualGNN"}


def arg(name, default=None):
    """The value of --name in this process's arguments (the MMRec launcher parses them again)."""
    argv = sys.argv[1:]
    for k, a in enumerate(argv):
        if a == name and k + 1 < len(argv):
            return argv[k + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return default


class AbsentTorchScatter(types.ModuleType):
    """Stands in for torch_scatter, which SLMRec imports at module level and its FAC task never calls."""

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)

        def absent(*args, **kwargs):
            raise RuntimeError(f"torch_scatter.{item} was called, but torch_scatter is not installed")

        return absent


def cpu_patches(model, mmrec_src):
    import torch
    if not torch.cuda.is_available():
        torch.Tensor.cuda = lambda self, *args, **kwargs: self
    if "torch_scatter" not in sys.modules:
        try:
            import torch_scatter  # noqa: F401
        except ImportError:
            sys.modules["torch_scatter"] = AbsentTorchScatter("torch_scatter")
    if model == "DualGNN":
        sys.path.insert(0, mmrec_src)
        module = importlib.import_module("models.dualgnn")
        original_init = module.DualGNN.__init__

        def init_without_result_embed(self, config, dataset):
            original_init(self, config, dataset)
            self._parameters.pop("result_embed", None)

        module.DualGNN.__init__ = init_without_result_embed


def main():
    model = arg("--model", "BM3")
    mmrec = os.environ.get("MMREC_DIR")
    if not mmrec:
        sys.exit("set MMREC_DIR to the root of an extracted MMRec checkout (commit e775373)")
    mmrec = os.path.abspath(mmrec)
    if model in NEEDS_PYG:
        pyg = os.environ.get("PYG_DIR", "")
        if not os.path.isdir(os.path.join(pyg, "torch_geometric")):
            sys.exit(f"{model} imports PyTorch Geometric: set PYG_DIR to the folder that holds torch_geometric/")
        sys.path.insert(0, os.path.abspath(pyg))
    if model == "DualGNN":
        sys.path.insert(0, HERE)
        import dualgnn_user_graph
        name = arg("--dataset")
        data_path = arg("--data-path") or os.path.join(mmrec, "data")
        dualgnn_user_graph.write_for_dataset(mmrec, os.path.join(data_path, name), name)
    cpu_patches(model, os.path.join(mmrec, "src"))
    launcher = os.environ.get("MMREC_LAUNCHER", DEFAULT_LAUNCHER)
    if not os.path.isfile(launcher):
        sys.exit(f"MMRec launcher not found: {launcher} (set MMREC_LAUNCHER)")
    spec = importlib.util.spec_from_file_location("mmrec_launch", launcher)
    launch = importlib.util.module_from_spec(spec)
    sys.modules["mmrec_launch"] = launch
    spec.loader.exec_module(launch)
    launch.main()


if __name__ == "__main__":
    main()
