#!/usr/bin/env python3
"""Writes tests/MultiRec.Tests/fixtures/engine/adam_reference.json: torch.optim.Adam after three steps.

Run with a Python that has PyTorch (the fixture was made with torch 1.13):
    python3 tools/reference/make_adam_fixture.py
For each case the file holds the hyper-parameters and, per parameter, its shape, initial values, the gradient fed
at each step, and the parameter, exp_avg and exp_avg_sq after the last step. Every number is a float32 value
written as the shortest decimal that reads back to the same double. One embedding row gets a zero gradient at
steps 2 and 3 (Adam must still move it by momentum), and one column of the bias gets a zero gradient throughout.
"""
import json
import os

import torch

STEPS = 3
CASES = [
    {"name": "defaults", "lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0},
    {"name": "weight_decay", "lr": 1e-2, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1},
    # eps comparable to sqrt(v_hat): the result tells eps-after-sqrt apart from eps-inside-sqrt.
    {"name": "large_eps", "lr": 1e-2, "betas": (0.9, 0.999), "eps": 0.1, "weight_decay": 0.0},
]


def make_parameters(generator):
    """Named parameters (2-D, row-major) with values on the scale of BM3's weights."""
    return [
        ("embedding.weight", torch.randn(5, 4, generator=generator) * 0.1),
        ("linear.weight", torch.randn(3, 7, generator=generator) * 0.05),
        ("linear.bias", torch.randn(1, 3, generator=generator) * 0.02),
    ]


def make_gradients(generator, parameters):
    """One list of gradients per step."""
    steps = []
    for step in range(STEPS):
        grads = []
        for name, value in parameters:
            g = torch.randn(value.shape, generator=generator) * (0.5 if name == "linear.bias" else 1.0)
            if name == "embedding.weight" and step > 0:
                g[2].zero_()
            if name == "linear.bias":
                g[0, 1] = 0.0
            grads.append(g)
        steps.append(grads)
    return steps


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def run_case(case):
    generator = torch.Generator().manual_seed(20230101)
    named = make_parameters(generator)
    gradients = make_gradients(generator, named)
    params = [torch.nn.Parameter(v.clone()) for _, v in named]
    optimizer = torch.optim.Adam(params, lr=case["lr"], betas=case["betas"], eps=case["eps"],
                                 weight_decay=case["weight_decay"])
    for step in range(STEPS):
        for p, g in zip(params, gradients[step]):
            p.grad = g.clone()
        optimizer.step()
    out = []
    for i, (name, initial) in enumerate(named):
        state = optimizer.state[params[i]]
        out.append({
            "name": name,
            "rows": initial.shape[0],
            "cols": initial.shape[1],
            "initial": flat(initial),
            "grads": [flat(gradients[s][i]) for s in range(STEPS)],
            "param": flat(params[i]),
            "exp_avg": flat(state["exp_avg"]),
            "exp_avg_sq": flat(state["exp_avg_sq"]),
        })
    return {
        "name": case["name"],
        "lr": case["lr"],
        "beta1": case["betas"][0],
        "beta2": case["betas"][1],
        "eps": case["eps"],
        "weight_decay": case["weight_decay"],
        "steps": STEPS,
        "parameters": out,
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, "tests", "MultiRec.Tests", "fixtures", "engine", "adam_reference.json")
    document = {"torch_version": torch.__version__, "cases": [run_case(c) for c in CASES]}
    tmp = target + ".tmp"
    with open(tmp, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    os.replace(tmp, target)
    print("wrote", os.path.relpath(target, root))


if __name__ == "__main__":
    main()
