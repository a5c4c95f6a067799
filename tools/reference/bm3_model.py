# The BM3 model (WWW'23) as the MMRec reference computes it: parameters, graph propagation, losses and scores.
"""BM3 as an nn.Module, written from docs/bm3-reference.md sections 1.1-1.7 (not copied from MMRec).

Parameter names equal the MMRec state_dict keys: user_embedding.weight, item_id_embedding.weight,
image_embedding.weight, text_embedding.weight, image_trs.weight/bias, text_trs.weight/bias,
predictor.weight/bias.
"""

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

COSINE_EPS = 1e-8
DEGREE_EPS = 1e-7
# Key of each modality in the dropout-mask dict given to calculate_loss.
MASK_KEYS = {"image": "v", "text": "t"}
LOSS_TERMS = ("loss_rec_u", "loss_rec_i", "loss_align_image", "loss_align_text",
              "loss_mask_image", "loss_mask_text", "reg", "total")


@dataclass(frozen=True)
class BM3Options:
    """BM3 hyperparameters; defaults are the reference's (BM3.yaml, Baby's best grid point)."""

    embedding_size: int = 64          # d: ID embedding and projection size
    n_layers: int = 1                 # LightGCN layers L (grid [1, 2])
    dropout: float = 0.5              # drop probability of the target views (grid [0.3, 0.5])
    reg_weight: float = 0.1           # weight of (||H_u||_F + ||H_i||_F) / I (grid [0.1, 0.01])
    cl_weight: float = 2.0            # weight of the alignment + masked-feature losses
    modalities: Tuple[str, ...] = ("image", "text")  # subset of image/text; () = ID-only
    train_raw_features: bool = True   # True: raw feature tables are trainable (reference); False: frozen

    def validate(self) -> None:
        if self.embedding_size <= 0:
            raise ValueError("embedding_size must be positive")
        if self.n_layers < 0:
            raise ValueError("n_layers must be >= 0")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        for modality in self.modalities:
            if modality not in MASK_KEYS:
                raise ValueError(f"unknown modality '{modality}' (expected image or text)")


def normalized_adjacency(n_users: int, n_items: int, train_users: np.ndarray,
                         train_items: np.ndarray) -> torch.Tensor:
    """D^-1/2 A D^-1/2 of the bipartite training graph as a coalesced sparse COO float32 tensor.

    A is binary and symmetric over U + I nodes (items offset by U), duplicate pairs collapse, no self-loops,
    deg = row non-zero count + 1e-7. Values are computed in float64 and rounded to float32.
    """
    pairs = np.unique(np.stack([train_users, train_items], axis=1).astype(np.int64), axis=0)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1] + n_users])
    cols = np.concatenate([pairs[:, 1] + n_users, pairs[:, 0]])
    n_nodes = n_users + n_items
    degree = np.bincount(rows, minlength=n_nodes).astype(np.float64) + DEGREE_EPS
    inv_sqrt = np.power(degree, -0.5)
    values = (inv_sqrt[rows] * inv_sqrt[cols]).astype(np.float32)
    indices = torch.from_numpy(np.stack([rows, cols]))
    return torch.sparse_coo_tensor(indices, torch.from_numpy(values), (n_nodes, n_nodes)).coalesce()


class BM3(nn.Module):
    """BM3: LightGCN (mean of layers 0..L, item residual) + linear modality projections + shared predictor."""

    def __init__(self, n_users: int, n_items: int, train_users: np.ndarray, train_items: np.ndarray,
                 features: Dict[str, np.ndarray], options: BM3Options = BM3Options()):
        super().__init__()
        options.validate()
        self.options = options
        self.n_users = n_users
        self.n_items = n_items
        d = options.embedding_size

        self.user_embedding = nn.Embedding(n_users, d)
        self.item_id_embedding = nn.Embedding(n_items, d)
        nn.init.xavier_uniform_(self.user_embedding.weight)
        nn.init.xavier_uniform_(self.item_id_embedding.weight)
        self.norm_adj = normalized_adjacency(n_users, n_items, train_users, train_items)

        self.predictor = nn.Linear(d, d)
        nn.init.xavier_normal_(self.predictor.weight)

        self.modalities = tuple(m for m in ("image", "text") if m in options.modalities)
        for modality in self.modalities:
            if modality not in features:
                raise ValueError(f"modality '{modality}' requested but no {modality} features were given")
            table = torch.from_numpy(np.ascontiguousarray(features[modality], dtype=np.float32)).clone()
            if table.shape[0] != n_items:
                raise ValueError(f"{modality} features have {table.shape[0]} rows, expected {n_items}")
            raw = nn.Embedding.from_pretrained(table, freeze=not options.train_raw_features)
            projection = nn.Linear(table.shape[1], d)
            nn.init.xavier_normal_(projection.weight)
            setattr(self, f"{modality}_embedding", raw)
            setattr(self, f"{modality}_trs", projection)

    # ----- representations -------------------------------------------------------------------------------------

    def forward(self) -> Tuple[torch.Tensor, torch.Tensor]:
        """Online ID representations (H_u, H_i) over the full graph; no predictor applied."""
        ego = torch.cat([self.user_embedding.weight, self.item_id_embedding.weight], dim=0)
        layers = [ego]
        for _ in range(self.options.n_layers):
            ego = torch.sparse.mm(self.norm_adj, ego)
            layers.append(ego)
        readout = torch.stack(layers, dim=1).mean(dim=1)
        h_users, h_items = torch.split(readout, [self.n_users, self.n_items], dim=0)
        return h_users, h_items + self.item_id_embedding.weight

    def modality_representations(self) -> Dict[str, torch.Tensor]:
        """h_m = f_m(e_m) for every item and every present modality."""
        return {m: getattr(self, f"{m}_trs")(getattr(self, f"{m}_embedding").weight) for m in self.modalities}

    # ----- losses ----------------------------------------------------------------------------------------------

    def _target(self, online: torch.Tensor, key: str, masks: Optional[Dict[str, torch.Tensor]]) -> torch.Tensor:
        """Stop-gradient target view: F.dropout(h, p), or h * mask / (1 - p) with an explicit 0/1 mask."""
        p = self.options.dropout
        if masks is None:
            return F.dropout(online.clone(), p)
        mask = masks[key]
        if tuple(mask.shape) != tuple(online.shape):
            raise ValueError(f"mask '{key}' has shape {tuple(mask.shape)}, expected {tuple(online.shape)}")
        return online * mask.to(online.dtype) / (1.0 - p)

    def compute_loss(self, users: torch.Tensor, items: torch.Tensor,
                     masks: Optional[Dict[str, torch.Tensor]] = None):
        """Loss terms (dict of 0-d tensors, LOSS_TERMS keys) and the intermediate outputs of one batch.

        masks, when given, holds explicit 0/1 float tensors {"u": UxD, "i": IxD, "v": IxD, "t": IxD} that
        replace F.dropout in the targets (only the keys of present modalities are needed).
        """
        h_users, h_items = self.forward()
        h_modal = self.modality_representations()
        with torch.no_grad():
            t_users = self._target(h_users, "u", masks)
            t_items = self._target(h_items, "i", masks)
            t_modal = {m: self._target(h_modal[m], MASK_KEYS[m], masks) for m in self.modalities}

        p_users = self.predictor(h_users)
        p_items = self.predictor(h_items)
        p_modal = {m: self.predictor(h_modal[m]) for m in self.modalities}

        def one_minus_cos(online: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
            return 1.0 - F.cosine_similarity(online, target, dim=-1, eps=COSINE_EPS).mean()

        zero = torch.zeros((), dtype=h_users.dtype)
        terms = {
            "loss_rec_u": one_minus_cos(p_users[users], t_items[items]),
            "loss_rec_i": one_minus_cos(p_items[items], t_users[users]),
        }
        for m in ("image", "text"):
            if m in self.modalities:
                terms[f"loss_align_{m}"] = one_minus_cos(p_modal[m][items], t_items[items])
                terms[f"loss_mask_{m}"] = one_minus_cos(p_modal[m][items], t_modal[m][items])
            else:
                terms[f"loss_align_{m}"] = zero
                terms[f"loss_mask_{m}"] = zero
        terms["reg"] = (torch.norm(h_users) + torch.norm(h_items)) / self.n_items
        multimodal = (terms["loss_align_text"] + terms["loss_align_image"]
                      + terms["loss_mask_text"] + terms["loss_mask_image"])
        terms["total"] = ((terms["loss_rec_u"] + terms["loss_rec_i"])
                          + self.options.reg_weight * terms["reg"]
                          + self.options.cl_weight * multimodal)

        outputs = {"H_u": h_users, "H_i": h_items, "P_u": p_users, "P_i": p_items,
                   "T_u": t_users, "T_i": t_items}
        short = {"image": "v", "text": "t"}
        for m in self.modalities:
            outputs[f"h_{short[m]}"] = h_modal[m]
            outputs[f"P_{short[m]}"] = p_modal[m]
            outputs[f"T_{short[m]}"] = t_modal[m]
        return terms, outputs

    def calculate_loss(self, batch, masks: Optional[Dict[str, torch.Tensor]] = None) -> Dict[str, torch.Tensor]:
        """Loss terms of a batch; batch is a (2, B) LongTensor (users, items) or a (users, items) pair."""
        users, items = batch[0], batch[1]
        terms, _ = self.compute_loss(users, items, masks)
        return terms

    # ----- scoring ---------------------------------------------------------------------------------------------

    def full_sort_predict(self, users: torch.Tensor) -> torch.Tensor:
        """Scores (len(users) x I) = f_p(H_u)[users] . f_p(H_i)^T, re-running forward() like the reference."""
        h_users, h_items = self.forward()
        p_users = self.predictor(h_users)
        p_items = self.predictor(h_items)
        return torch.matmul(p_users[users], p_items.transpose(0, 1))


def parse_modalities(text: Optional[str]) -> Optional[Tuple[str, ...]]:
    """'image,text' | 'text' | 'image' | 'none' -> tuple; None stays None (= whichever feature files exist)."""
    if text is None:
        return None
    text = text.strip().lower()
    if text in ("none", ""):
        return ()
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    for name in names:
        if name not in MASK_KEYS:
            raise ValueError(f"unknown modality '{name}' (expected image, text, image,text or none)")
    return tuple(m for m in ("image", "text") if m in names)


def parameter_count(model: nn.Module, trainable_only: bool = False) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
