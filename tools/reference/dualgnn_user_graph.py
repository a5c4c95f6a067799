"""DualGNN's user-user graph file (`user_graph_dict.npy`) as MMRec's preprocessing makes it, for the fixture harness
and the reference trainer. The counts come from the reference's own `gen_user_matrix`
(preprocessing/dualgnn-gen-u-u-matrix.py, imported from the MMRec checkout at run time; it fills a dense users x users
matrix and loops over user pairs); the ranking is that script's rule: per user, `torch.topk` of the dense row over
its non-zero count, at most 200. No reference code lives here."""
import importlib.util
import os

import numpy as np
import torch


def user_graph_dict(mmrec_root, users, items, n_users, cap=200):
    """{user: [neighbour ids, shared-item counts]} for the training rows (users[k], items[k])."""
    path = os.path.join(os.path.abspath(mmrec_root), "preprocessing", "dualgnn-gen-u-u-matrix.py")
    spec = importlib.util.spec_from_file_location("dualgnn_gen_u_u_matrix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pairs = np.stack([np.asarray(users), np.asarray(items) + n_users], axis=1)
    matrix = module.gen_user_matrix(pairs, n_users)
    graph = {}
    for user in range(n_users):
        found = int(len(torch.nonzero(matrix[user])))
        top = torch.topk(matrix[user], min(found, cap))
        graph[user] = [top.indices.numpy().tolist(), top.values.numpy().tolist()]
    return graph


def write_for_dataset(mmrec_root, folder, name, file_name="user_graph_dict.npy"):
    """Writes <folder>/<file_name> from <folder>/<name>.inter's training rows (x_label 0) unless it exists; the user
    count is the number of distinct users of the whole file, as the preprocessing script counts them."""
    import pandas as pd
    target = os.path.join(folder, file_name)
    if os.path.isfile(target):
        return target
    frame = pd.read_csv(os.path.join(folder, f"{name}.inter"), sep="\t")
    n_users = len(pd.unique(frame["userID"]))
    train = frame[frame["x_label"] == 0]
    graph = user_graph_dict(mmrec_root, train["userID"].to_numpy(), train["itemID"].to_numpy(), n_users)
    np.save(target, graph, allow_pickle=True)
    return target
