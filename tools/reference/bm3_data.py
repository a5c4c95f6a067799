# Loads an MMRec dataset folder (<name>.inter plus optional image_feat.npy / text_feat.npy) the way MMRec does.
"""MMRec dataset loading for the BM3 reference.

Rules (MMRec `src/utils/dataset.py`, see docs/bm3-reference.md section 3):
- `<name>.inter` is tab-separated with a header row; only the columns `userID`, `itemID` and `x_label` are read,
  picked by header name (other columns are ignored, and may be absent).
- x_label 0 = train, 1 = valid, 2 = test.
- U = max(userID) + 1 and I = max(itemID) + 1 over the whole file (all three splits).
- valid and test rows of users without any training row are dropped (`filter_out_cod_start_users`).
- `image_feat.npy` and `text_feat.npy` are optional; they are cast to float32 and must have I rows.
"""

import os
from dataclasses import dataclass, field
from typing import Dict, Optional, Sequence

import numpy as np

REQUIRED_COLUMNS = ("userID", "itemID", "x_label")
MODALITY_FILES = {"image": "image_feat.npy", "text": "text_feat.npy"}
SPLIT_LABELS = {0: "train", 1: "valid", 2: "test"}


class DataFormatError(ValueError):
    """Bad input data; the message names the file and, where known, the line."""

    def __init__(self, path: str, problem: str, line: Optional[int] = None):
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line


@dataclass
class Split:
    """One split as parallel arrays of user and item ids, in file order (int64)."""

    users: np.ndarray
    items: np.ndarray

    def __len__(self) -> int:
        return int(self.users.shape[0])


@dataclass
class MMRecDataset:
    """An MMRec dataset: id space sizes, the three splits and the raw modality feature tables (float32)."""

    name: str
    n_users: int
    n_items: int
    train: Split
    valid: Split
    test: Split
    features: Dict[str, np.ndarray] = field(default_factory=dict)
    dropped_cold_rows: int = 0

    def split(self, name: str) -> Split:
        return {"train": self.train, "valid": self.valid, "test": self.test}[name]


def read_inter(path: str):
    """Reads userID, itemID, x_label columns (by header name) of an .inter file; returns three int64 arrays."""
    if not os.path.isfile(path):
        raise DataFormatError(path, "file not found")
    with open(path, "r", encoding="utf-8") as handle:
        header_line = handle.readline().rstrip("\r\n")
        if not header_line:
            raise DataFormatError(path, "empty file: a header row with userID, itemID, x_label is required", 1)
        header = header_line.split("\t")
        positions = {}
        for column in REQUIRED_COLUMNS:
            if column not in header:
                raise DataFormatError(path, f"header has no '{column}' column (columns: {', '.join(header)})", 1)
            positions[column] = header.index(column)
        width = len(header)
        users, items, labels = [], [], []
        for line_number, raw in enumerate(handle, start=2):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            cells = line.split("\t")
            if len(cells) != width:
                raise DataFormatError(path, f"expected {width} tab-separated fields, found {len(cells)}", line_number)
            values = []
            for column in REQUIRED_COLUMNS:
                text = cells[positions[column]]
                try:
                    value = int(text)
                except ValueError:
                    raise DataFormatError(path, f"field '{column}' is not an integer: '{text}'", line_number) from None
                if value < 0:
                    raise DataFormatError(path, f"field '{column}' is negative: {value}", line_number)
                values.append(value)
            if values[2] not in SPLIT_LABELS:
                raise DataFormatError(path, f"field 'x_label' must be 0, 1 or 2, found {values[2]}", line_number)
            users.append(values[0])
            items.append(values[1])
            labels.append(values[2])
    if not users:
        raise DataFormatError(path, "no interaction rows after the header")
    return (np.asarray(users, dtype=np.int64), np.asarray(items, dtype=np.int64),
            np.asarray(labels, dtype=np.int64))


def read_features(path: str, n_items: int) -> np.ndarray:
    """Reads a (n_items, dim) feature table with np.load and casts it to float32."""
    try:
        table = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as error:
        raise DataFormatError(path, f"not a readable .npy file ({error})") from None
    if table.ndim != 2:
        raise DataFormatError(path, f"expected a 2-D array, found shape {table.shape}")
    if table.shape[0] != n_items:
        raise DataFormatError(path, f"expected {n_items} rows (max itemID + 1), found {table.shape[0]}")
    if not np.issubdtype(table.dtype, np.floating):
        raise DataFormatError(path, f"expected a float array, found dtype {table.dtype}")
    return np.ascontiguousarray(table, dtype=np.float32)


def load_dataset(folder: str, modalities: Optional[Sequence[str]] = None,
                 inter_file: Optional[str] = None) -> MMRecDataset:
    """Loads `folder/<basename>.inter` (or `inter_file`) and the requested modality tables.

    modalities=None loads whichever of image_feat.npy / text_feat.npy exist (the reference behaviour);
    an explicit list requires each named file and loads only those.
    """
    folder = os.path.normpath(folder)
    name = os.path.basename(folder)
    path = inter_file if inter_file is not None else os.path.join(folder, f"{name}.inter")
    users, items, labels = read_inter(path)
    n_users = int(users.max()) + 1
    n_items = int(items.max()) + 1

    is_train = labels == 0
    has_train = np.zeros(n_users, dtype=bool)
    has_train[users[is_train]] = True
    keep = is_train | has_train[users]

    def take(label: int) -> Split:
        rows = (labels == label) & keep
        return Split(users=users[rows].copy(), items=items[rows].copy())

    features = {}
    wanted = list(MODALITY_FILES) if modalities is None else list(modalities)
    for modality in wanted:
        if modality not in MODALITY_FILES:
            raise ValueError(f"unknown modality '{modality}' (expected image or text)")
        feature_path = os.path.join(folder, MODALITY_FILES[modality])
        if os.path.isfile(feature_path):
            features[modality] = read_features(feature_path, n_items)
        elif modalities is not None:
            raise DataFormatError(feature_path, f"modality '{modality}' was requested but the file is missing")

    return MMRecDataset(name=name, n_users=n_users, n_items=n_items, train=take(0), valid=take(1),
                        test=take(2), features=features, dropped_cold_rows=int((~keep).sum()))
