"""Reads Trainbook's int8 model files with NumPy alone and reproduces their logits.

    python int8_interop.py verify DIR

DIR holds what Int8InteropTests wrote: float32.safetensors, static.safetensors,
dynamic.safetensors, entropy.safetensors and logits.safetensors (the inputs and Trainbook's
logits for each). The layout is docs/int8-safetensors.md; this script is its executable reading.
scripts/test-steps/49-int8-interop.sh runs the Swift side, then this.
"""

from __future__ import annotations

import json
import os
import struct
import sys
from pathlib import Path

import numpy as np

DTYPES = {"F32": np.float32, "I8": np.int8, "U8": np.uint8, "I32": np.int32}


def read_safetensors(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The tensors and the metadata of a safetensors file, parsed by hand."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    metadata = header.pop("__metadata__", {})
    body = data[8 + length :]
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        dtype = np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<")
        tensors[name] = np.frombuffer(body[start:end], dtype=dtype).reshape(entry["shape"])
    return tensors, metadata


def quantize(x: np.ndarray, scale: np.float32, zero_point: np.float32) -> np.ndarray:
    """uint8 codes: clamp(round_half_even(x · (1 / scale)) + zero_point, 0, 255)."""
    inverse = np.float32(1) / scale
    level = x.astype(np.float32) * inverse + zero_point
    return np.rint(np.clip(level, 0, 255)).astype(np.uint8)


def quantized_dense(t: dict, prefix: str, options: dict, x: np.ndarray) -> np.ndarray:
    """One QuantizedDense: float32 or uint8 codes in, float32 or uint8 codes out."""
    weight = t[prefix + "weight"].astype(np.int32)  # [out, in], int8
    weight_scale = t[prefix + "weight_scale"]  # [out]
    assert not t[prefix + "weight_zero_point"].any(), "weights are symmetric"
    bias = t.get(prefix + "bias", np.zeros(weight.shape[0], np.float32))
    if options.get("mode", "static") == "static":
        scale, zero_point = t[prefix + "input_scale"][0], t[prefix + "input_zero_point"][0]
    else:  # dynamic: this batch's own range, widened to include 0
        low, high = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
        scale = np.float32((np.float32(high) - np.float32(low)) / np.float32(255)) if high > low else np.float32(1)
        zero_point = np.float32(min(255, max(0, round(-low / scale)))) if high > low else np.float32(0)
    codes = x if x.dtype == np.uint8 else quantize(x, scale, zero_point)
    rows = codes.reshape(-1, weight.shape[1]).astype(np.int32) - np.int32(zero_point)
    accumulators = (rows @ weight.T).astype(np.float32)  # exact int32 sums
    scales = (weight_scale * scale).astype(np.float32)
    relu = options.get("activation") == "relu"
    if options.get("requantizesOutput"):
        out_scale, out_zero = t[prefix + "output_scale"][0], t[prefix + "output_zero_point"][0]
        level = accumulators * (scales / out_scale) + (bias / out_scale) + out_zero
        low = out_zero if relu else np.float32(0)
        return np.rint(np.clip(level, low, 255)).astype(np.uint8)
    y = accumulators * scales + bias
    return np.maximum(y, 0) if relu else y


def dense(t: dict, prefix: str, options: dict, x: np.ndarray) -> np.ndarray:
    y = x @ t[prefix + "weight"].T + t.get(prefix + "bias", 0)
    return np.maximum(y, 0) if options.get("activation") == "relu" else y


def forward(path: Path, x: np.ndarray) -> np.ndarray:
    t, metadata = read_safetensors(path)
    architecture = json.loads(metadata["trainbook.architecture"])
    assert architecture["type"] == "Sequential"
    for index, layer in enumerate(architecture["children"]):
        prefix, options = f"{index}.", layer.get("options", {})
        if layer["type"] == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif layer["type"] == "QuantizedDense":
            x = quantized_dense(t, prefix, options, x)
        elif layer["type"] == "Dense":
            x = dense(t, prefix, options, x)
        else:
            raise SystemExit(f"{path.name}: layer type {layer['type']} is not covered")
    return x


def verify(directory: Path) -> None:
    logits, _ = read_safetensors(directory / "logits.safetensors")
    inputs = logits["inputs"]
    float_size = os.path.getsize(directory / "float32.safetensors")
    reference = forward(directory / "float32.safetensors", inputs)
    assert np.allclose(reference, logits["float32"], atol=1e-4), "float32 logits differ"
    for name in ["static", "dynamic", "entropy"]:
        path = directory / f"{name}.safetensors"
        tensors, _ = read_safetensors(path)
        assert tensors["1.weight"].dtype == np.int8 and tensors["1.weight_scale"].dtype == np.float32
        ours = forward(path, inputs)
        theirs = logits[name]
        spread = float(np.abs(theirs).max())
        difference = float(np.abs(ours - theirs).max())
        # Float rounding (an FMA in the C kernels) may move a code by one in rare ties.
        assert difference <= 1e-3 * spread + 1e-5, f"{name}: logits differ by {difference} (of {spread})"
        assert (ours.argmax(1) == theirs.argmax(1)).mean() >= 0.97, f"{name}: predictions differ"
        error = float(np.abs(ours - logits["float32"]).max())
        ratio = float_size / os.path.getsize(path)
        print(f"{name}: logits reproduced (max difference {difference:.2e}), "
              f"{error:.3f} from float32, file {ratio:.2f}x smaller")  # fmt: skip
        assert ratio > 3.5, f"{name}: the int8 file is only {ratio:.2f}x smaller"


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "verify":
        raise SystemExit(__doc__)
    verify(Path(sys.argv[2]))
