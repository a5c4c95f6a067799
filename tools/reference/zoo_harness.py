# Runs one baseline-zoo case (BPR, LightGCN, VBPR, FREEDOM, SLMRec, MMGCN, DualGNN, LATTICE, GRCN from MMRec; BUIR from SelfCF) on
# the reference's own model classes, imported in-process from an extracted checkout, and dumps every step. No
# reference code lives here.
"""Worker of make_zoo_fixtures.py: one case per process (MMRec and SelfCF both have top-level `models`/`utils`
packages, so each case runs in a fresh interpreter).

The reference checkouts are NOT part of this repository. They are imported from the folders given on the command
line (MMRec: the root that holds src/; SelfCF: the root that holds models/). What this module adds at run time:

* compatibility shims: np.float/np.int/np.bool/np.object for numpy >= 1.24 and inert stand-ins for lmdb,
  torchvision, PIL, matplotlib and sklearn when they are not installed (MMRec and SelfCF import them at module
  level; none of these models uses them);
* injected randomness: the batches (users, positives, negatives) are built by the driver and fed to the
  trainer's own `_train_epoch`; torch.multinomial (FREEDOM's edge pruning) and np.random.random / torch.rand
  (BUIR's edge dropout) are replaced, only while the reference calls them, by functions that return pre-drawn
  values;
* observers: the optimizer's step is wrapped to dump gradients before and parameters/moments after the step,
  model.calculate_loss is wrapped to dump the batch and the loss, forward hooks record the loss terms.
"""

import json
import os
import random
import shutil
import sys
import tempfile
import types

import numpy as np
import torch

MMREC_COMMIT = "e775373b3ab1354a92165b0885ce4ab3dc4d7497"
SELFCF_COMMIT = "4e9db6f4894ca88f97781f15fde42ade723c33f4"
INIT_SEED = 999          # MMRec's/SelfCF's default seed (init_seed(999) before the model is built)
PRUNE_SEED = 2024        # FREEDOM kept-edge draws: numpy RandomState(PRUNE_SEED + epoch)
DROP_SEED = 4242         # BUIR: numpy RandomState(DROP_SEED) for r, torch.Generator(DROP_SEED) for the uniforms
PAD_SEED = 77            # DualGNN padding picks: numpy RandomState(PAD_SEED + epoch)


# ---------------------------------------------------------------------------------------------- small helpers
def write_json(path, payload):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        json.dump(payload, out, indent=2, sort_keys=False)
        out.write("\n")


def save_f4(folder, name, array):
    os.makedirs(folder, exist_ok=True)
    if isinstance(array, torch.Tensor):
        array = array.detach().cpu().numpy()
    np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(np.asarray(array, dtype="<f4")))


def save_i8(folder, name, array):
    os.makedirs(folder, exist_ok=True)
    if isinstance(array, torch.Tensor):
        array = array.detach().cpu().numpy()
    np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(np.asarray(array, dtype="<i8")))


def save_raw(folder, name, array, dtype):
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(np.asarray(array, dtype=dtype)))


def exact(t):
    """A float32 scalar tensor (shape [] or [1]) as a Python float: json writes the full repr, which is exact."""
    return float(t.detach().reshape(()).item())


def install_shims():
    applied = []
    for name, val in (("float", float), ("int", int), ("bool", bool), ("object", object)):
        if name not in np.__dict__:
            setattr(np, name, val)
            applied.append("np." + name)

    class _Inert(types.ModuleType):
        def __getattr__(self, item):
            if item.startswith("__"):
                raise AttributeError(item)
            return _InertObj()

    class _InertObj:
        def __call__(self, *a, **k):
            return _InertObj()

        def __getattr__(self, item):
            return _InertObj()

        def __hash__(self):
            return id(self)

    for mod, subs in (("lmdb", []),
                      ("torchvision", ["torchvision.transforms", "torchvision.transforms.functional"]),
                      ("PIL", ["PIL.Image"]),
                      ("matplotlib", ["matplotlib.pyplot"]),
                      ("sklearn", ["sklearn.metrics"]),        # SelfCF's utils/metrics.py (AUC etc., unused)
                      ("torch_scatter", [])):                  # SLMRec imports scatter (unused under FAC)
        try:
            __import__(mod)
            for s in subs:
                __import__(s)
        except Exception:
            for m in [mod] + subs:
                sys.modules[m] = _Inert(m)
            applied.append("stub:" + mod)
    return applied


def coo_sorted(sparse):
    """(rows, cols, values) of a torch sparse matrix, coalesced (duplicates summed) and sorted by (row, col)."""
    c = sparse.detach().coalesce()
    idx = c.indices().numpy()
    return idx[0].astype(np.int64), idx[1].astype(np.int64), c.values().numpy().astype(np.float32)


def save_coo(folder, prefix, sparse):
    rows, cols, vals = coo_sorted(sparse)
    save_i8(folder, prefix + "_rows", rows)
    save_i8(folder, prefix + "_cols", cols)
    save_f4(folder, prefix + "_values", vals)
    return int(rows.shape[0])


def jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


# ---------------------------------------------------------------------------------------------- model builders
def build_mmrec(spec, mmrec_root, data_root):
    """Builds the model through MMRec's own Config, RecDataset, TrainDataLoader, init_seed and Trainer."""
    src = os.path.join(os.path.abspath(mmrec_root), "src")
    if not os.path.isfile(os.path.join(src, "models", spec["model_file"] + ".py")):
        raise SystemExit(f"not an MMRec checkout (no src/models/{spec['model_file']}.py): {mmrec_root}")
    os.chdir(src)                     # MMRec reads configs/ relative to the working directory
    sys.path.insert(0, src)
    from utils.configurator import Config
    from utils.dataset import RecDataset
    from utils.dataloader import TrainDataLoader
    from utils.utils import init_seed, get_model
    from common.trainer import Trainer

    cfg = {
        "gpu_id": 0, "use_gpu": False,
        # the dataset fields of configs/dataset/baby.yaml, for a dataset without a yaml of its own
        "USER_ID_FIELD": "userID", "ITEM_ID_FIELD": "itemID", "TIME_FIELD": "timestamp",
        "filter_out_cod_start_users": True, "inter_file_name": "tiny.inter",
        "vision_feature_file": "image_feat.npy", "text_feature_file": "text_feat.npy",
        "user_graph_dict_file": "user_graph_dict.npy", "field_separator": "\t",
        "data_path": data_root.rstrip("/") + "/",
        "train_batch_size": spec["batch_size"], "epochs": spec["epochs"], "seed": [INIT_SEED],
        "save_recommended_topk": False,
    }
    cfg.update(spec["settings"])
    config = Config(spec["reference_model"], "tiny", cfg)
    # quick_start: the grid point's values replace the yaml lists (one point: our settings, seed 999)
    for key in config["hyper_parameters"]:
        if isinstance(config[key], list):
            config[key] = spec["settings"][key] if key in spec["settings"] else config[key][0]
    config["seed"] = INIT_SEED
    dataset = RecDataset(config)
    str(dataset)                      # quick_start logs str(dataset) of each split; that call sets inter_num
    train_ds, valid_ds, test_ds = dataset.split()
    for part in (train_ds, valid_ds, test_ds):
        str(part)
    train_data = TrainDataLoader(config, train_ds, batch_size=config["train_batch_size"], shuffle=True)
    init_seed(config["seed"])
    train_data.pretrain_setup()
    if spec["kind"] == "mmgcn":
        patch_mmgcn_latent(spec)
    model = get_model(config["model"])(config, train_data).to(config["device"])
    if spec["kind"] == "dualgnn":
        # On CPU `nn.Parameter(...).to(device)` is the Parameter itself, so result_embed becomes a registered float64
        # parameter and the first forward fails assigning a Tensor to it (spec 9.1): drop it before the optimizer.
        del model._parameters["result_embed"]
        model.k = spec["user_k"]      # spec 9.8: 3 neighbours on 7 users, so both the keep and the padding paths run
    trainer = Trainer(config, model)
    ref_cfg = {k: jsonable(v) for k, v in config.final_config_dict.items() if k not in ("data_path", "device")}
    ref_cfg["data_path"] = "<the folder that holds tiny/>"
    train_rows = (train_ds.df["userID"].values.astype(np.int64), train_ds.df["itemID"].values.astype(np.int64))
    return model, trainer, ref_cfg, train_rows


class _DuckConfig(dict):
    def __getitem__(self, key):
        return dict.get(self, key)


class _DuckDataset:
    def __init__(self, n_users, n_items):
        self._num = {"userID": n_users, "itemID": n_items}

    def num(self, field):
        return self._num[field]


class _DuckTrainLoader:
    """What SelfCF's BUIR reads from its training data loader: dataset.num(field) and inter_matrix('coo'), the
    U x I COO of the training rows in file order with value 1 (as SelfCF's TrainDataLoader builds it)."""

    def __init__(self, users, items, n_users, n_items):
        import scipy.sparse as sp
        self.dataset = _DuckDataset(n_users, n_items)
        self._coo = sp.coo_matrix((np.ones(len(users)), (users, items)), shape=(n_users, n_items))

    def inter_matrix(self, form="coo", value_field=None):
        assert form == "coo" and value_field is None
        return self._coo.copy()


def build_selfcf(spec, selfcf_root, data, work_dir):
    root = os.path.abspath(selfcf_root)
    if not os.path.isfile(os.path.join(root, "models", "buir.py")):
        raise SystemExit(f"not a SelfCF/ImRec checkout (no models/buir.py): {selfcf_root}")
    os.chdir(work_dir)                # SelfCF's Trainer creates checkpoint_dir ('saved') in the working directory
    sys.path.insert(0, root)
    import yaml
    from models.buir import BUIR
    from models.common.trainer import Trainer
    from utils.utils import init_seed

    cfg = _DuckConfig()
    for name in ("overall.yaml", os.path.join("model", "BUIR.yaml")):
        with open(os.path.join(root, "configs", name), "r", encoding="utf-8") as f:
            cfg.update(yaml.safe_load(f) or {})
    cfg.update({"USER_ID_FIELD": "userID", "ITEM_ID_FIELD": "itemID", "model": "BUIR", "dataset": "tiny",
                "gpu_id": 0, "use_gpu": False, "device": torch.device("cpu"),
                "train_batch_size": spec["batch_size"], "epochs": spec["epochs"], "seed": INIT_SEED,
                "save_recommended_topk": False, "checkpoint_dir": "saved"})
    cfg.update(spec["settings"])
    users, items = data["train_users"], data["train_items"]
    loader = _DuckTrainLoader(users, items, data["n_users"], data["n_items"])
    init_seed(INIT_SEED)
    model = BUIR(cfg, loader)
    trainer = Trainer(cfg, model)
    ref_cfg = {k: jsonable(v) for k, v in cfg.items() if k not in ("device", "data_path")}
    return model, trainer, ref_cfg, (users, items)


def write_user_graph_dict(mmrec_root, data, folder, out):
    """DualGNN's user_graph_dict.npy for the tiny training split (dualgnn_user_graph.py: the reference's own
    gen_user_matrix and its script's ranking rule), also dumped flat for the C# test: user_graph_ptr (U + 1),
    user_graph_ids, user_graph_counts."""
    import dualgnn_user_graph
    graph = dualgnn_user_graph.user_graph_dict(mmrec_root, data["train_users"], data["train_items"], data["n_users"])
    ptr, ids, counts = [0], [], []
    for user in range(data["n_users"]):
        ids += graph[user][0]
        counts += graph[user][1]
        ptr.append(len(ids))
    np.save(os.path.join(folder, "user_graph_dict.npy"), graph, allow_pickle=True)
    save_i8(out, "user_graph_ptr", np.array(ptr))
    save_i8(out, "user_graph_ids", np.array(ids))
    save_f4(out, "user_graph_counts", np.array(counts))


# ---------------------------------------------------------------------------------------------- MMGCN hooks
MMGCN_FIXED = ("id_embedding", "v_gcn.preference", "t_gcn.preference")


def add_pyg(pyg_root):
    """Puts an extracted PyTorch Geometric (the folder that holds torch_geometric/) first on sys.path."""
    root = os.path.abspath(pyg_root or "")
    if not os.path.isdir(os.path.join(root, "torch_geometric")):
        raise SystemExit(f"--pyg must be the folder that holds torch_geometric/ (MMGCN and DualGNN import it): {pyg_root!r}")
    sys.path.insert(0, root)


def patch_mmgcn_latent(spec):
    """MMGCN builds its image branch with a hard-coded dim_latent=256; the fixture narrows it (spec["dim_latent"])
    so the files stay small. The module's GCN name is swapped for a factory that passes the narrow width; the real
    class is put back while it runs (its __init__ calls super(GCN, self), which must see the class)."""
    import importlib
    module = importlib.import_module("models.mmgcn")
    base = module.GCN
    latent = spec["dim_latent"]

    def narrow_latent_gcn(*args, dim_latent=None, **kwargs):
        module.GCN = base
        try:
            return base(*args, dim_latent=(latent if dim_latent else None), **kwargs)
        finally:
            module.GCN = narrow_latent_gcn

    module.GCN = narrow_latent_gcn


def mmgcn_fixed(model):
    """The reference's untrained tensors that are not in its state_dict, by the names MultiRec's checkpoints use."""
    out = {"id_embedding": model.id_embedding}
    if model.v_feat is not None:
        out["v_gcn.preference"] = model.v_gcn.preference
    if model.t_feat is not None:
        out["t_gcn.preference"] = model.t_gcn.preference
    return out


def mmgcn_terms(model, n_users, interaction, captured):
    """The two loss terms, from the batch and the representation the step's forward cached (model.result): the
    log-sigmoid ranking term, and the untrained tensors' mean-square term before its weight reg_weight."""
    users = interaction[0]
    rep = captured.detach()
    pos = (rep[users] * rep[interaction[1] + n_users]).sum(1)
    neg = (rep[users] * rep[interaction[2] + n_users]).sum(1)
    bpr = -torch.log(torch.sigmoid(pos - neg)).mean()
    ids = model.id_embedding.detach()
    users2 = users.repeat_interleave(2)
    items2 = torch.stack((interaction[1], interaction[2])).t().reshape(-1) + n_users
    reg = (ids[users2] ** 2 + ids[items2] ** 2).mean()
    if model.v_feat is not None:
        reg = reg + (model.v_gcn.preference.detach() ** 2).mean()
    return {"bpr": exact(bpr), "reg": exact(reg)}


# ---------------------------------------------------------------------------------------------- GRCN hooks
class _TorchWithCat:
    """The `torch` a module sees, with cat() putting `fill()` in place of a None entry: the text-only GRCN case uses
    it to give the reference's misspelt `conetent_rep` its evident role (content_rep stays None otherwise)."""

    def __init__(self, fill):
        self._fill = fill

    def __getattr__(self, name):
        return getattr(torch, name)

    def cat(self, tensors, *args, **kwargs):
        return torch.cat([self._fill() if t is None else t for t in tensors], *args, **kwargs)


def grcn_hooks(model, n_users, out, notes, spec):
    """Observers of one GRCN forward (spec 8.8): every GAT call of each content graph (the routing calls' user rows
    must be exactly 0; the last call's α must sum to 1 into every target with edges, and the item without training
    rows must keep C = X), the edge weights EGCN receives (= relu(max_m α^m conf[source, m]) exactly). Returns the
    step-terms function and the per-step state."""
    import importlib
    module = importlib.import_module("models.grcn")
    state = {"calls": {}, "cgcn": {}, "live": {}}
    n_nodes = n_users + model.n_items
    branches = [(name, getattr(model, attr)) for name, attr, feat in
                (("image", "v_gcn", model.v_feat), ("text", "t_gcn", model.t_feat)) if feat is not None]
    for name, gcn in branches:
        conv = gcn.conv_embed_1
        original_conv = conv.forward

        def conv_forward(x, edge_index, size=None, _orig=original_conv, _name=name):
            res = _orig(x, edge_index, size)
            state["calls"].setdefault(_name, []).append((x.detach().clone(), edge_index.clone(), res.detach().clone()))
            return res

        conv.forward = conv_forward
        original_cgcn = gcn.forward

        def cgcn_forward(edge_index, _orig=original_cgcn, _name=name):
            rep, alpha = _orig(edge_index)
            state["cgcn"][_name] = (rep.detach().clone(), alpha.detach().clone())
            state["live"][_name] = rep
            return rep, alpha

        gcn.forward = cgcn_forward
    original_egcn = model.id_gcn.forward

    def egcn_forward(edge_index, weight):
        state["egcn"] = (edge_index.clone(), weight.detach().clone())
        return original_egcn(edge_index, weight)

    model.id_gcn.forward = egcn_forward
    if model.v_feat is None:
        # The reference binds the text representation to `conetent_rep` and concatenates content_rep = None.
        module.torch = _TorchWithCat(lambda: state["live"]["text"])        # the graph-attached C_t
        notes["text_only_patch"] = ("with text only the reference's forward assigns t_rep to a misspelt name and "
                                    "concatenates None; the harness gives models.grcn a torch whose cat() puts the "
                                    "text content representation C_t in place of that None (its evident intent)")

    def check_forward(step_dir, step):
        e1 = model.edge_index
        n_edges = e1.shape[1]
        alphas = []
        for name, _ in branches:
            calls = state["calls"].pop(name)
            assert len(calls) == dict(branches)[name].num_routing + 1, f"{name}: {len(calls)} GAT calls"
            for x, edges, res in calls[:-1]:
                assert torch.equal(edges, e1)
                assert torch.equal(res[:n_users], torch.zeros_like(res[:n_users])), f"{name}: routing user rows not 0"
            x, edges, res = calls[-1]
            assert torch.equal(edges, torch.cat((e1, e1[[1, 0]]), dim=1))
            rep, alpha = state["cgcn"][name]
            alpha = alpha.view(-1)
            sums = torch.zeros(n_nodes, dtype=torch.float64).index_add_(0, edges[1], alpha.double())
            has_in = torch.zeros(n_nodes, dtype=torch.bool)
            has_in[edges[1]] = True
            assert torch.allclose(sums[has_in], torch.ones_like(sums[has_in]), rtol=0, atol=1e-6), f"{name}: α sums"
            cold = n_users + 11
            assert not has_in[cold] and torch.equal(res[cold], torch.zeros_like(res[cold])), "item 11 has edges"
            assert torch.equal(rep[cold], x[cold]), f"{name}: C row of item 11 != X row"
            alphas.append(alpha)
            if step == 0:
                save_f4(step_dir, f"alpha_{name}", alpha)
        edges, weight = state["egcn"]
        assert torch.equal(edges, e1)
        conf = model.model_specific_conf.detach()
        want = torch.relu(torch.max(torch.stack(alphas, dim=1) * torch.cat((conf[e1[0]], conf[e1[1]]), dim=0),
                                    dim=1)[0]).view(-1, 1)
        assert torch.equal(weight, want), "w != relu(max_m α^m conf[source, m])"
        if step == 0:
            save_i8(step_dir, "edges", torch.cat((e1, e1[[1, 0]]), dim=1))
            save_f4(step_dir, "edge_weights", weight.view(-1))
        assert n_edges == 30

    return state, check_forward


def grcn_terms(model, interaction, rep):
    """The two loss terms from the batch, the step's representation and the raw parameters (before the step): the
    log-sigmoid ranking term and the regulariser before its weight reg_weight."""
    n_users = model.n_users
    users2 = interaction[0].repeat_interleave(2)
    items2 = torch.stack((interaction[1], interaction[2])).t().reshape(-1) + n_users
    rep = rep.detach()
    pos = (rep[interaction[0]] * rep[interaction[1] + n_users]).sum(1)
    neg = (rep[interaction[0]] * rep[interaction[2] + n_users]).sum(1)
    bpr = -torch.mean(torch.log(torch.sigmoid(pos - neg)))
    ids = model.id_gcn.id_embedding.detach()
    reg = (ids[users2] ** 2 + ids[items2] ** 2).mean()
    if model.v_feat is not None:
        reg = reg + (model.v_gcn.preference.detach() ** 2).mean()
    content = torch.zeros(1)
    if model.v_feat is not None:
        content = content + (model.v_gcn.preference.detach()[users2] ** 2).mean()
    if model.t_feat is not None:
        content = content + (model.t_gcn.preference.detach()[users2] ** 2).mean()
    return {"bpr": exact(bpr), "reg": exact(reg + content)}


# ---------------------------------------------------------------------------------------------- the run
class Recorder:
    def __init__(self, out, model, optimizer, spec):
        self.out, self.model, self.optimizer, self.spec = out, model, optimizer, spec
        # The checkpoint names of a freshly built model. A model that later assigns one of its parameters to another
        # attribute (DualGNN's self.v_preference = v_gcn.preference) registers an alias; dumps use the first name.
        self.names = {id(p): key for key, p in model.state_dict(keep_vars=True).items()}
        self.aliases = {}
        self.step = -1
        self.terms = {}
        self.loss_record = None

    def step_dir(self):
        return os.path.join(self.out, f"step{self.step}")

    def wrap_loss(self, extra_terms):
        original = self.model.calculate_loss
        rec = self

        def calculate_loss(interaction):
            rec.step += 1
            rec.terms = {}
            folder = rec.step_dir()
            save_i8(folder, "users", interaction[0])
            save_i8(folder, "pos", interaction[1])
            if interaction.shape[0] == 3:
                save_i8(folder, "neg", interaction[2])
            loss = original(interaction)
            terms = extra_terms(rec) if extra_terms else {}
            rec.loss_record = {"total": exact(loss), "terms": {**rec.terms, **terms}}
            return loss

        self.model.calculate_loss = calculate_loss

    def hook_term(self, module, name):
        rec = self

        def hook(_module, _inputs, output):
            rec.terms[name] = exact(output)

        module.register_forward_hook(hook)

    def wrap_step(self):
        original = self.optimizer.step
        rec, model, opt = self, self.model, self.optimizer

        def canonical(items):
            for key, p in items:
                name = rec.names.get(id(p), key)
                if name != key:
                    rec.aliases[key] = name
                yield name, p

        def step(*args, **kwargs):
            folder = rec.step_dir()
            none_grads = []
            for key, p in canonical(model.named_parameters()):
                if p.grad is None:
                    none_grads.append(key)
                else:
                    save_f4(os.path.join(folder, "grads"), key, p.grad)
            result = original(*args, **kwargs)
            for key, t in canonical(model.state_dict(keep_vars=True).items()):
                save_f4(os.path.join(folder, "after"), key, t)
            no_state = []
            for key, p in canonical(model.named_parameters()):
                st = opt.state.get(p, {})
                if "exp_avg" in st:
                    save_f4(os.path.join(folder, "exp_avg"), key, st["exp_avg"])
                    save_f4(os.path.join(folder, "exp_avg_sq"), key, st["exp_avg_sq"])
                    adam_t = int(st["step"].item()) if isinstance(st["step"], torch.Tensor) else int(st["step"])
                else:
                    no_state.append(key)
            record = dict(rec.loss_record)
            record["grad_none"] = none_grads
            record["adam_skipped"] = no_state
            record["adam_t"] = adam_t
            write_json(os.path.join(folder, "loss.json"), record)
            return result

        self.optimizer.step = step


def run_case(case, spec, mmrec, selfcf, data_dir, batches_file, out, pyg=None):
    torch.set_num_threads(1)
    shims = install_shims()
    if spec["kind"] in ("mmgcn", "dualgnn", "grcn"):
        add_pyg(pyg)
    work = tempfile.mkdtemp(prefix="zoo-work-")
    try:
        # a private copy of the data folder: FREEDOM caches its item graph there (mm_adj_freedomdsp_*.pt)
        data_root = os.path.join(work, "data")
        shutil.copytree(data_dir, os.path.join(data_root, "tiny"))
        batch_npz = np.load(batches_file)
        data = {k: batch_npz[k] for k in batch_npz.files}
        data["n_users"], data["n_items"] = int(data["n_users"]), int(data["n_items"])
        out = os.path.abspath(out)
        os.makedirs(out, exist_ok=True)
        if spec["kind"] == "grcn":
            # GRCN's loss builds torch.zeros(1).cuda(); on CPU .cuda() is made the identity
            torch.Tensor.cuda = lambda self, *args, **kwargs: self
        if spec["kind"] == "lattice":
            # LATTICE moves its frozen item graphs to the GPU with a hard-coded .cuda(); on CPU it is the identity
            torch.Tensor.cuda = lambda self, *args, **kwargs: self
        if spec["kind"] == "dualgnn":
            write_user_graph_dict(mmrec, data, os.path.join(data_root, "tiny"), out)
        if spec["source"] == "mmrec":
            model, trainer, ref_cfg, train_rows = build_mmrec(spec, mmrec, data_root)
        else:
            model, trainer, ref_cfg, train_rows = build_selfcf(spec, selfcf, data, work)
        assert model.n_users == data["n_users"] and model.n_items == data["n_items"]
        assert np.array_equal(train_rows[0], data["train_users"]) and np.array_equal(train_rows[1], data["train_items"])
        notes = {}
        model.eval()
        for key, t in model.state_dict().items():
            save_f4(os.path.join(out, "init"), key, t)
        optimizer = trainer.optimizer
        opt_cfg = {k: jsonable(v) for k, v in optimizer.defaults.items()}
        rec = Recorder(out, model, optimizer, spec)
        n_users = model.n_users

        kind = spec["kind"]
        extra_terms = None
        if kind in ("bpr", "vbpr"):
            rec.hook_term(model.loss, "bpr")
            rec.hook_term(model.reg_loss, "reg")
        if kind == "vbpr":
            # the projected feature matrix is text then image (columns 0..5 text, 6..17 image here)
            assert torch.equal(model.item_raw_features, torch.cat((model.t_feat, model.v_feat), -1))
            notes["item_raw_features"] = (f"text (columns 0..{model.t_feat.shape[1] - 1}) then image (columns "
                                          f"{model.t_feat.shape[1]}..{model.item_raw_features.shape[1] - 1}); "
                                          "a plain tensor, not in the state_dict")
        elif kind == "lightgcn":
            rec.hook_term(model.mf_loss, "bpr")
            rec.hook_term(model.reg_loss, "reg")
            notes["adjacency_nnz"] = save_coo(out, "adjacency", model.norm_adj_matrix)
        elif kind == "freedom":
            original_bpr = model.bpr_loss
            names = ["bpr", "bpr_text", "bpr_image"]

            def bpr_loss(u, p, n):
                value = original_bpr(u, p, n)
                rec.terms[names[len(rec.terms)]] = exact(value)
                return value

            model.bpr_loss = bpr_loss
            notes["adjacency_nnz"] = save_coo(out, "adjacency", model.norm_adj)
            notes["mm_adj_is_coalesced"] = bool(model.mm_adj.is_coalesced())
            notes["mm_adj_stored_entries"] = int(model.mm_adj._nnz())
            notes["mm_adj_nnz"] = save_coo(out, "mm_adj", model.mm_adj)
            save_i8(out, "train_edges", model.edge_indices)
            save_f4(out, "edge_values", model.edge_values)
        elif kind == "slmrec":
            # infonce_criterion (one nn.CrossEntropyLoss) computes the main term, then FAC's image and text terms
            names = ["main", "ssl_v", "ssl_t"]

            def ce_hook(_module, _inputs, output):
                rec.terms[names[len(rec.terms)]] = exact(output)

            model.infonce_criterion.register_forward_hook(ce_hook)
            # the G2 ("pre") graph: under its own name, as check_graphs holds every adjacency_* to the G1 recipe
            notes["adjacency_nnz"] = save_coo(out, "adjacency_g2", model.norm_adj)
            notes["cache"] = ("epoch<e>/all_users|all_items.npy: the vectors full_sort_predict scores, cached by the "
                              "epoch's last training forward (before its last optimizer step); scores.npy = "
                              "sigmoid(all_users all_items^T)")
        elif kind == "buir":
            enc = model.online_encoder
            rows_t, cols_t = enc.sparse_norm_adj._indices().numpy()
            order = np.lexsort((cols_t, rows_t))          # construction order -> sorted (row, col) order
            notes["adjacency_nnz"] = save_coo(out, "adjacency", enc.sparse_norm_adj)
            notes["adjacency_construction_order_is_sorted"] = bool(np.array_equal(order, np.arange(len(order))))
            notes["n_layers_used"] = len(enc.layers)
            buir_state = {"draws": [], "queue": []}
            np_rng = np.random.RandomState(DROP_SEED)
            t_gen = torch.Generator().manual_seed(DROP_SEED)
            real_np_random, real_torch_rand = np.random.random, torch.rand
            nnz = enc.sparse_norm_adj._nnz()

            def fake_np_random(*args, **kwargs):
                assert not args and not kwargs, "BUIR calls np.random.random() without arguments"
                r = 0.0 if spec.get("drop_rate_zero") else float(np_rng.random_sample())
                buir_state["queue"].append({"r": r})
                return r

            def fake_torch_rand(*args, **kwargs):
                assert len(args) == 1 and int(args[0]) == nnz and not kwargs, (args, kwargs)
                u = real_torch_rand(nnz, generator=t_gen)
                buir_state["queue"][-1]["u"] = u.clone()
                return u

            for encoder in (model.online_encoder, model.target_encoder):
                orig_drop = encoder.sparse_dropout

                def sparse_dropout(x, rate, noise_shape, _orig=orig_drop):
                    out_adj = _orig(x, rate, noise_shape)
                    draw = buir_state["queue"][-1]
                    assert draw["r"] == rate
                    xi = x._indices().numpy()
                    oi = out_adj._indices().numpy()
                    kept = set(zip(oi[0].tolist(), oi[1].tolist()))
                    mask = np.array([(a, b) in kept for a, b in zip(xi[0].tolist(), xi[1].tolist())])
                    # the rule the fixture documents: keep iff floor(fl32(1 - r) + u) >= 1, value * fl32(1/(1-r))
                    rule = torch.floor((1 - rate) + draw["u"]).type(torch.bool).numpy()
                    assert np.array_equal(mask, rule)
                    vals = x._values()[torch.from_numpy(mask)].numpy()
                    scale = np.float32(1.0 / (1 - rate))
                    assert np.array_equal(out_adj._values().numpy(), (vals * scale).astype(np.float32))
                    draw["mask"] = mask
                    return out_adj

                encoder.sparse_dropout = sparse_dropout

            captured = {}
            original_forward = model.forward

            def forward(inputs):
                res = original_forward(inputs)
                captured["out"] = res
                return res

            model.forward = forward

            def buir_terms(r):
                import torch.nn.functional as F
                p_u, u_t, p_i, i_t = (t.detach() for t in captured["out"])
                ui = (2 - 2 * (F.normalize(p_u, dim=-1) * F.normalize(i_t, dim=-1)).sum(dim=-1)).mean()
                iu = (2 - 2 * (F.normalize(p_i, dim=-1) * F.normalize(u_t, dim=-1)).sum(dim=-1)).mean()
                draws = buir_state["queue"]
                assert len(draws) == 2, "one draw per encoder (online, then target)"
                folder = r.step_dir()
                for k, d in enumerate(draws, start=1):
                    save_raw(folder, f"r{k}", np.array([d["r"]]), "<f8")
                    save_f4(folder, f"rand{k}", d["u"].numpy()[order])
                    save_raw(folder, f"mask{k}", d["mask"][order], "|b1")
                buir_state["queue"] = []
                return {"ui_mean": exact(ui), "iu_mean": exact(iu)}

            extra_terms = buir_terms
            np.random.random, torch.rand = fake_np_random, fake_torch_rand
        elif kind == "lattice":
            original_bpr = model.bpr_loss

            def lattice_bpr_loss(u, p, n):
                mf, emb, reg = original_bpr(u, p, n)
                rec.terms.update({"bpr": exact(mf), "reg": exact(emb)})
                assert reg == 0.0
                return mf, emb, reg

            model.bpr_loss = lattice_bpr_loss
            notes["adjacency_nnz"] = save_coo(out, "norm_adj", model.norm_adj)
            save_f4(out, "image_original_adj", model.image_original_adj)
            save_f4(out, "text_original_adj", model.text_original_adj)

            def lattice_terms(r):
                # the item graph this step propagated over (rebuilt on an epoch's first batch, detached after)
                save_f4(r.step_dir(), "item_adj", model.item_adj)
                return {}

            extra_terms = lattice_terms
            notes["lr_per_epoch"] = []
        elif kind == "dualgnn":
            captured = {}
            original_forward = model.forward

            def forward(interaction):
                res = original_forward(interaction)
                captured["scores"] = res
                return res

            model.forward = forward

            def dualgnn_terms(r):
                pos, neg = (t.detach() for t in captured["scores"])
                return {"bpr": exact(-torch.mean(torch.log2(torch.sigmoid(pos - neg))))}

            extra_terms = dualgnn_terms
        elif kind == "mmgcn":
            fixed0 = {k: t.detach().clone() for k, t in mmgcn_fixed(model).items()}
            for key, t in fixed0.items():
                save_f4(os.path.join(out, "inputs"), key, t)
            save_f4(os.path.join(out, "inputs"), "result", model.result)
            notes["fixed_tensors"] = ("inputs/: the untrained tensors (not in the state_dict) and the initial "
                                      "scoring cache `result`; stepK/result.npy: the cache after step K's forward")
            notes["dim_latent"] = f"{spec['dim_latent']} (the reference hard-codes 256; narrowed by the harness)"
            notes["n_layers_used"] = sum(1 for name, _ in model.named_parameters() if ".conv_embed_" in name) \
                // model.num_modal
            notes["n_layers_configured"] = spec["settings"].get("n_layers")
            import torch_geometric
            notes["torch_geometric"] = torch_geometric.__version__
            mmgcn_state = {}

            def mmgcn_step_terms(r):
                batch = mmgcn_state["batch"]
                rep = model.result
                save_f4(r.step_dir(), "result", rep)
                for key, t in mmgcn_fixed(model).items():
                    assert torch.equal(t.detach(), fixed0[key]), f"{key} changed"
                mmgcn_state["last"] = rep.detach().clone()
                return mmgcn_terms(model, n_users, batch, rep)

            original_loss = model.calculate_loss

            def calculate_loss(interaction):
                mmgcn_state["batch"] = interaction
                return original_loss(interaction)

            model.calculate_loss = calculate_loss
            extra_terms = mmgcn_step_terms
        elif kind == "grcn":
            save_f4(os.path.join(out, "inputs"), "result", model.result)
            notes["result"] = ("inputs/result.npy: the reference's initial scoring cache (N x embedding_size, random); "
                               "stepK/result.npy: the cache (N x (embedding_size + M latent_embedding)) after step "
                               "K's forward; step0/alpha_<modality>, edge_weights: per edge of step0/edges (E1 then "
                               "its reverse; row 0 source, row 1 target)")
            import torch_geometric
            notes["torch_geometric"] = torch_geometric.__version__
            grcn_state, grcn_check = grcn_hooks(model, n_users, out, notes, spec)
            original_grcn_loss = model.calculate_loss

            def grcn_calculate_loss(interaction):
                grcn_state["batch"] = interaction
                return original_grcn_loss(interaction)

            model.calculate_loss = grcn_calculate_loss

            def grcn_step_terms(r):
                rep = model.result
                save_f4(r.step_dir(), "result", rep)
                grcn_check(r.step_dir(), r.step)
                grcn_state["last"] = rep.detach().clone()
                return grcn_terms(model, grcn_state["batch"], rep)

            extra_terms = grcn_step_terms
        rec.wrap_loss(extra_terms)
        rec.wrap_step()

        steps_per_epoch = int(data["steps_per_epoch"])
        kept_record = []
        for epoch in range(spec["epochs"]):
            if kind == "freedom":
                real_multinomial = torch.multinomial
                rng = np.random.RandomState(PRUNE_SEED + epoch)
                drawn = {}

                def fake_multinomial(inp, num_samples, replacement=False, **kw):
                    assert not replacement and not kw
                    p = inp.detach().numpy().astype(np.float64)
                    idx = rng.choice(p.shape[0], size=num_samples, replace=False, p=p / p.sum())
                    drawn["idx"] = idx.astype(np.int64)
                    return torch.from_numpy(drawn["idx"].copy())

                torch.multinomial = fake_multinomial
                try:
                    model.pre_epoch_processing()
                finally:
                    torch.multinomial = real_multinomial
                folder = os.path.join(out, f"epoch{epoch}")
                save_i8(folder, "kept_edges", drawn["idx"])
                save_coo(folder, "masked_adj", model.masked_adj)
                kept_record.append(len(drawn["idx"]))
            elif kind == "dualgnn":
                real_randint = np.random.randint
                pad_rng = np.random.RandomState(PAD_SEED + epoch)
                picks = []

                def fake_randint(low, high=None, *args, **kw):
                    assert low == 0 and high is not None and not args and not kw, (low, high, args, kw)
                    pick = int(pad_rng.randint(0, high))
                    picks.append((int(high), pick))
                    return pick

                np.random.randint = fake_randint
                try:
                    model.pre_epoch_processing()
                finally:
                    np.random.randint = real_randint
                folder = os.path.join(out, f"epoch{epoch}")
                save_i8(folder, "padding_picks", np.array(picks, dtype=np.int64).reshape(-1, 2))
                save_i8(folder, "epoch_user_graph", np.array(model.epoch_user_graph, dtype=np.int64))
                # torch reads a nested-list index with up to 32 entries as a tuple of per-dimension indices (7 users
                # here), and a longer one as one index array (any real dataset): hand it the array it would build.
                model.epoch_user_graph = torch.tensor(model.epoch_user_graph, dtype=torch.int64)
                notes["epoch_user_graph_as_tensor"] = ("the per-epoch neighbour lists are passed as a LongTensor: "
                                                       "torch indexes a nested list of <= 32 rows as a tuple")
                save_f4(folder, "user_weight_matrix", model.user_weight_matrix)
            else:
                model.pre_epoch_processing()
            batches = []
            for s in range(steps_per_epoch):
                k = epoch * steps_per_epoch + s
                cols = [data[f"step{k}_users"], data[f"step{k}_pos"]]
                if spec["neg"]:
                    cols.append(data[f"step{k}_neg"])
                batches.append(torch.from_numpy(np.stack(cols).astype(np.int64)))
            if kind == "lattice":
                notes["lr_per_epoch"].append(optimizer.param_groups[0]["lr"])
            trainer._train_epoch(batches, epoch)
            if kind == "lattice":
                trainer.lr_scheduler.step()   # as Trainer.fit does after every epoch (LambdaLR)
            model.eval()
            with torch.no_grad():
                scores = model.full_sort_predict((torch.arange(n_users, dtype=torch.int64),))
            save_f4(os.path.join(out, f"epoch{epoch}"), "scores", scores)
            if kind == "slmrec":
                save_f4(os.path.join(out, f"epoch{epoch}"), "all_users", model.all_users)
                save_f4(os.path.join(out, f"epoch{epoch}"), "all_items", model.all_items)
        if kind == "dualgnn":
            save_f4(out, "result_embed", model.result_embed)   # the stale cache the last epoch's scores came from
            if kind == "mmgcn":
                last = mmgcn_state["last"]
                assert torch.equal(scores, torch.matmul(last[:n_users], last[n_users:].t())), \
                    "MMGCN scores are not the cache of the epoch's last training forward"
                for key, t in mmgcn_fixed(model).items():
                    assert torch.equal(t.detach(), fixed0[key]), f"{key} changed"
        if kind == "grcn":
            last = grcn_state["last"]
            assert torch.equal(scores, torch.matmul(last[:n_users], last[n_users:].t())), \
                "GRCN scores are not the cache of the epoch's last training forward"
        if kind == "buir":
            np.random.random, torch.rand = real_np_random, real_torch_rand
        if kind == "freedom":
            notes["kept_edges_per_epoch"] = kept_record
        if rec.aliases:
            notes["aliases"] = rec.aliases
        return {"reference_config": ref_cfg, "optimizer": opt_cfg, "shims": shims, "notes": notes,
                "param_keys": [rec.names.get(id(p), k) for k, p in model.named_parameters()],
                "state_dict_keys": list(dict.fromkeys(rec.names.get(id(p), k)
                                                      for k, p in model.state_dict(keep_vars=True).items()))}
    finally:
        shutil.rmtree(work, ignore_errors=True)
