"""Reproduces a pruned Trainbook model's logits from its sparse (CSR) safetensors file with
NumPy alone: no safetensors package, no SciPy, no Trainbook.

Usage: csr_logits.py DIRECTORY — reads DIRECTORY/pruned.safetensors (a pruned MLP saved by
CSRNumPyInteropTests, its architecture in the metadata) and DIRECTORY/io.safetensors (inputs `x`
and Trainbook's logits `logits`), rebuilds every CSR weight (docs/sparse-safetensors.md), runs the
forward pass and checks the logits agree to float32 rounding.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import numpy as np

DTYPES = {"F32": "<f4", "I32": "<i4", "U8": "u1", "I8": "i1"}


def read_safetensors(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The tensors and the metadata of a safetensors file, parsed by hand."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        array = np.frombuffer(data[base + start : base + end], dtype=DTYPES[info["dtype"]])
        tensors[name] = array.reshape(info["shape"])
    return tensors, metadata


def dense_weights(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every CSR group NAME.csr.* replaced by the dense tensor NAME."""
    result = {name: value for name, value in tensors.items() if ".csr." not in name}
    for key in tensors:
        if not key.endswith(".csr.values"):
            continue
        name = key[: -len(".csr.values")]
        values = tensors[key]
        pointers = tensors[name + ".csr.row_ptr"].astype(np.int64)
        if name + ".csr.col_indices_u16" in tensors:
            columns = tensors[name + ".csr.col_indices_u16"].view("<u2").astype(np.int64)
        else:
            columns = tensors[name + ".csr.col_indices"].astype(np.int64)
        shape = tuple(int(size) for size in tensors[name + ".csr.shape"])
        rows, width = shape[0], int(np.prod(shape[1:]))
        matrix = np.zeros((rows, width), dtype=np.float32)
        matrix[np.repeat(np.arange(rows), np.diff(pointers)), columns] = values
        result[name] = matrix.reshape(shape)
    return result


def activation(name: str, x: np.ndarray) -> np.ndarray:
    if name == "identity":
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    raise SystemExit(f"csr_logits.py: activation {name} is not handled")


def forward(architecture: dict, weights: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The Sequential's forward pass: Flatten, Dense and activation layers."""
    assert architecture["type"] == "Sequential", architecture["type"]
    for index, child in enumerate(architecture["children"]):
        kind, options = child["type"], child.get("options", {})
        if kind == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif kind == "Dense":
            x = x @ weights[f"{index}.weight"].T
            if f"{index}.bias" in weights:
                x = x + weights[f"{index}.bias"]
            x = activation(options.get("activation", "identity"), x)
        elif kind in ("ReLU", "Tanh", "Sigmoid"):
            x = activation(kind.lower(), x)
        else:
            raise SystemExit(f"csr_logits.py: layer {kind} is not handled")
    return x


def main() -> int:
    directory = Path(sys.argv[1])
    tensors, metadata = read_safetensors(directory / "pruned.safetensors")
    sparse = sorted(key[: -len(".csr.values")] for key in tensors if key.endswith(".csr.values"))
    assert sparse, "the file holds no CSR weights"
    assert not any(name in tensors for name in sparse), "a pruned weight is also stored dense"
    weights = dense_weights(tensors)
    architecture = json.loads(metadata["trainbook.architecture"])
    io, _ = read_safetensors(directory / "io.safetensors")
    logits = forward(architecture, weights, io["x"].astype(np.float32))
    expected = io["logits"]
    difference = float(np.max(np.abs(logits - expected)))
    scale = float(np.max(np.abs(expected)))
    zeros = sum(int(np.sum(weights[name] == 0)) for name in sparse)
    total = sum(weights[name].size for name in sparse)
    print(f"csr_logits.py: {len(sparse)} CSR weights ({zeros / total:.1%} zero), "
          f"logits {logits.shape}, max difference {difference:.2e} (scale {scale:.2f})")
    if difference > 1e-5 * max(scale, 1):
        print("csr_logits.py: the logits differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
