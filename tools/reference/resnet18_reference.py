#!/usr/bin/python3
"""Independent float64 evaluation of the ResNet18 image feature graph, for MultiRec's image encoder fixture.

Neither onnx nor onnxruntime is installed here. This script parses the two ONNX files of the NuGet package
Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (ResNetPreprocess.onnx: RGB planes -> BGR minus the ImageNet
mean image; ResNet18.onnx: the network up to its global average pool) with a minimal protobuf reader and
evaluates their nodes (Split, Concat, Sub, Conv, BatchNormalization, Relu, MaxPool, Add, AveragePool) with
torch float64. It cross-checks ONNX Runtime and MultiRec's wiring of the two graphs, not the weights.

The input is synthetic and defined by a formula, so that C# can build the same planes without an image codec:
    plane[c, y, x] = (x * 7 + y * 13 + c * 50 + (x * y) % 31) % 256      (c = 0 R, 1 G, 2 B; 224 x 224)
Usage: /usr/bin/python3 tools/reference/resnet18_reference.py PACKAGE_DIR OUT.json
       (PACKAGE_DIR = ~/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1)
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minilm_reference import fields, varint  # noqa: E402  (the same minimal protobuf reader)


def attribute(buf):
    name, value = None, None
    ints, floats = [], []
    for number, v in fields(buf):
        if number == 1:
            name = v.decode()
        elif number == 2:
            value = np.frombuffer(v, "<f4")[0].item()
        elif number == 3:
            value = v if v < (1 << 63) else v - (1 << 64)
        elif number == 4:
            value = v.decode()
        elif number == 7:
            floats.extend(np.frombuffer(v, "<f4").tolist())
        elif number == 8:
            if isinstance(v, bytes):  # packed
                i = 0
                while i < len(v):
                    x, i = varint(v, i)
                    ints.append(x if x < (1 << 63) else x - (1 << 64))
            else:
                ints.append(v if v < (1 << 63) else v - (1 << 64))
    return name, (ints if ints else floats if floats else value)


def load_graph(path):
    model = open(path, "rb").read()
    graph = next(v for n, v in fields(model) if n == 7)
    tensors, nodes = {}, []
    for number, value in fields(graph):
        if number == 5:
            dims, name, raw, floats = [], None, None, b""
            for n2, v2 in fields(value):
                if n2 == 1:
                    dims.append(v2)
                elif n2 == 8:
                    name = v2.decode()
                elif n2 == 9:
                    raw = v2
                elif n2 == 4:
                    floats = v2
            data = np.frombuffer(raw if raw is not None else floats, "<f4").reshape(dims)
            tensors[name] = torch.from_numpy(data.astype(np.float64))
        elif number == 1:
            inputs, outputs, op, attributes = [], [], None, {}
            for n2, v2 in fields(value):
                if n2 == 1:
                    inputs.append(v2.decode())
                elif n2 == 2:
                    outputs.append(v2.decode())
                elif n2 == 4:
                    op = v2.decode()
                elif n2 == 5:
                    key, val = attribute(v2)
                    attributes[key] = val
            nodes.append((op, inputs, outputs, attributes))
    return tensors, nodes


def pad(x, pads, value=0.0):
    """ONNX pads [top, left, bottom, right] (begins then ends) applied explicitly, so asymmetric pads work."""
    top, left, bottom, right = pads
    return F.pad(x, (left, right, top, bottom), value=value) if any(pads) else x


def run(path, inputs):
    values, nodes = load_graph(path)
    values.update(inputs)
    for op, ins, outs, at in nodes:
        if at.get("auto_pad", "NOTSET") != "NOTSET":
            raise ValueError(f"{op}: auto_pad {at['auto_pad']} is not handled (explicit pads only)")
        x = [values[name] for name in ins if name]
        if op == "Split":
            sizes = at.get("split") or [x[0].shape[at["axis"]] // len(outs)] * len(outs)
            result = torch.split(x[0], sizes, dim=at["axis"])
        elif op == "Concat":
            result = [torch.cat(x, dim=at["axis"])]
        elif op == "Sub":
            result = [x[0] - x[1]]
        elif op == "Add":
            result = [x[0] + x[1]]
        elif op == "Relu":
            result = [torch.relu(x[0])]
        elif op == "Conv":
            result = [F.conv2d(pad(x[0], at.get("pads", [0, 0, 0, 0])), x[1], x[2] if len(x) > 2 else None,
                               stride=tuple(at.get("strides", [1, 1])), dilation=tuple(at.get("dilations", [1, 1])),
                               groups=at.get("group", 1))]
        elif op == "BatchNormalization":
            scale, bias, mean, var = (t.view(1, -1, 1, 1) for t in x[1:5])
            result = [(x[0] - mean) / torch.sqrt(var + at.get("epsilon", 1e-5)) * scale + bias]
        elif op == "MaxPool":
            result = [F.max_pool2d(pad(x[0], at.get("pads", [0, 0, 0, 0]), float("-inf")),
                                   tuple(at["kernel_shape"]), tuple(at.get("strides", [1, 1])))]
        elif op == "AveragePool":
            if any(at.get("pads", [0, 0, 0, 0])) or at.get("ceil_mode", 0):
                raise ValueError("padded or ceil-mode AveragePool is not handled")
            result = [F.avg_pool2d(x[0], tuple(at["kernel_shape"]), tuple(at.get("strides", [1, 1])))]
        else:
            raise ValueError(f"unhandled op {op}")
        for name, value in zip(outs, result):
            values[name] = value
    return values


def main():
    package, out_path = sys.argv[1:3]
    c, y, x = np.meshgrid(np.arange(3), np.arange(224), np.arange(224), indexing="ij")
    planes = ((x * 7 + y * 13 + c * 50 + (x * y) % 31) % 256).astype(np.float64)[None]
    models = os.path.join(package, "tools", "DnnImageModels")
    prepared = run(os.path.join(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx"),
                   {"OriginalInput": torch.from_numpy(planes)})["PreprocessedInput"]
    pooled = run(os.path.join(models, "ResNet18Onnx", "ResNet18.onnx"), {"Input247": prepared})["Pooling395_Output_0"]
    vector = pooled.reshape(-1).numpy()
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump({
            "source": "tools/reference/resnet18_reference.py: torch float64 evaluation of ResNetPreprocess.onnx + ResNet18.onnx "
                      "from Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 on formula planes",
            "formula": "plane[c, y, x] = (x * 7 + y * 13 + c * 50 + (x * y) % 31) % 256, c = 0 R, 1 G, 2 B",
            "vector": [round(float(v), 6) for v in vector],
        }, out)
        out.write("\n")
    print(f"wrote {out_path}: {vector.shape[0]} values, min {vector.min():.4f}, max {vector.max():.4f}")


if __name__ == "__main__":
    main()
