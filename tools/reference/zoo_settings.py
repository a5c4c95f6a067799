"""The settings under which the reference's own code runs for parity and speed comparisons with MultiRec.

MultiRec's default for each catalog model (configs/model/<M>.yaml) as MMRec config keys, pinned to one value so that
MMRec trains that setting instead of its grid, and the launcher each model needs: MMRec's models run through the
shared MMRec tools' mmrec_launch.py; BUIR (not in MMRec) runs SelfCF's class under MMRec's trainer through
buir_mmrec_launch.py. Used by parity.py and side_by_side.py.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TOOLS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "tools", "mmrec"))

# FREEDOM's feat_embed_dim must equal embedding_size (64 on both sides). BM3's n_layers 1, dropout 0.5 and
# reg_weight 0.1 (MultiRec's default, the paper's Baby setting) are mmrec_launch.py's own defaults.
PINNED = {
    "BM3": [],
    "BPR": ["embedding_size=64", "reg_weight=0.001"],
    "LightGCN": ["embedding_size=64", "n_layers=4", "reg_weight=0.01"],
    "VBPR": ["embedding_size=64", "reg_weight=0.001"],
    "BUIR": ["embedding_size=64"],
    "FREEDOM": ["embedding_size=64", "feat_embed_dim=64", "knn_k=10", "mm_image_weight=0.1", "n_mm_layers=1",
                "n_ui_layers=2", "dropout=0.8", "reg_weight=0.001"],
    # Model zoo II. Their yamls grid learning_rate (MMGCN's first value is 1e-4, GRCN's 1, DualGNN's 0.1): pinned to MultiRec's
    # 1e-3. reg_weight is pinned to MultiRec's default (the references ship only grids for it); SLMRec's reg is read by
    # no code and its weight_decay 1e-4 comes from its own yaml.
    "MMGCN": ["embedding_size=64", "reg_weight=0.0001", "learning_rate=0.001"],
    "GRCN": ["embedding_size=64", "latent_embedding=64", "n_layers=3", "reg_weight=0.001", "learning_rate=0.001"],
    "DualGNN": ["embedding_size=64", "aggr_mode=add", "reg_weight=0.001", "learning_rate=0.001"],
    "LATTICE": ["embedding_size=64", "feat_embed_dim=64", "weight_size=[64,64]", "lambda_coeff=0.9", "knn_k=10",
                "n_layers=1", "cf_model=lightgcn", "reg_weight=0.001", "learning_rate=0.001",
                "learning_rate_scheduler=[0.96,50]"],
    "SLMRec": ["recdim=64", "layer_num=3", "temp=0.2", "ssl_temp=0.2", "ssl_alpha=0.1", "ssl_task=FAC",
               "mm_fusion_mode=concat", "learning_rate=0.001", "reg=0.0001"],
}
# The zoo II models run through zoo2_mmrec_launch.py (PyG and the CPU patches they need).
ZOO2 = {"MMGCN", "GRCN", "DualGNN", "LATTICE", "SLMRec"}
# Models that read no feature file (MMRec's is_multimodal_model False).
ID_ONLY = {"BPR", "LightGCN"}


def mmrec_args(model, seed=None):
    """run_mmrec.sh arguments for `model` at MultiRec's defaults."""
    if model not in PINNED:
        raise SystemExit(f"no reference settings for {model}; known: {', '.join(PINNED)}")
    args = ["--model", model]
    if seed is not None:
        args += ["--seed", str(seed)]
    for kv in PINNED[model]:
        args += ["--set", kv]
    if model in ID_ONLY:
        args.append("--id-only")
    return args


def launcher_env(model, tools):
    """Extra environment for run_mmrec.sh: BUIR's launcher (SELFCF_DIR must be set by the caller), or the zoo II
    launcher (PYG_DIR must be set by the caller for the PyG models)."""
    if model in ZOO2:
        return {"LAUNCH": os.path.join(HERE, "zoo2_mmrec_launch.py"),
                "MMREC_LAUNCHER": os.path.join(os.path.abspath(tools), "mmrec_launch.py")}
    if model != "BUIR":
        return {}
    if not os.environ.get("SELFCF_DIR"):
        raise SystemExit("BUIR's reference is SelfCF's class: set SELFCF_DIR to an extracted SelfCF checkout")
    return {"LAUNCH": os.path.join(HERE, "buir_mmrec_launch.py"),
            "MMREC_LAUNCHER": os.path.join(os.path.abspath(tools), "mmrec_launch.py")}
