"""safetensors interop between Python's reference implementation and Trainbook's Swift one.

    python safetensors_interop.py write DIR    # python.safetensors + python.json (expected values)
    python safetensors_interop.py verify DIR   # checks swift.safetensors against swift.json

The JSON files hold, per tensor, the stored dtype, the shape and the values as the reader must
see them: float32 bit patterns for floating types (so comparisons are exact) and integers for
integer types. scripts/test-steps/45-safetensors-interop.sh runs write, the Swift side, verify.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save, save_file

STORED = {
    np.dtype("float32"): "F32",
    np.dtype("float16"): "F16",
    np.dtype("float64"): "F64",
    np.dtype("int64"): "I64",
    np.dtype("int32"): "I32",
    np.dtype("uint32"): "U32",
    np.dtype("int16"): "I16",
    np.dtype("uint16"): "U16",
    np.dtype("int8"): "I8",
    np.dtype("uint8"): "U8",
    np.dtype("bool"): "BOOL",
}


def expectation(array: np.ndarray) -> dict:
    """What a reader that converts floats to float32 and integers to int32 must find."""
    entry = {"dtype": STORED[array.dtype], "shape": list(array.shape)}
    if array.dtype.kind == "f":
        entry["float32_bits"] = array.astype(np.float32).reshape(-1).view(np.uint32).tolist()
    else:
        entry["ints"] = [int(value) for value in array.reshape(-1)]
    return entry


def python_tensors() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(42)
    return {
        "0.weight": rng.standard_normal((4, 6), dtype=np.float32),
        "0.bias": rng.standard_normal(4, dtype=np.float32),
        "half": np.array([1, -2, 65504, 2.0**-24, np.inf, 0.1], dtype=np.float16),
        "double": np.array([0.1, -1e-30, 3e38], dtype=np.float64),
        "long": np.array([-3, 0, 2**31 - 1, -(2**31)], dtype=np.int64),
        "int": np.arange(-5, 7, dtype=np.int32).reshape(3, 4),
        "unsigned": np.array([0, 4_000_000_000 // 2], dtype=np.uint32),
        "short": np.array([-32768, 32767], dtype=np.int16),
        "ushort": np.array([0, 65535], dtype=np.uint16),
        "image": rng.integers(0, 256, (1, 28, 28), dtype=np.uint8),
        "codes": np.array([[-128, 0, 127]], dtype=np.int8),
        "mask": np.array([True, False, True]),
        "scalar": np.array(2.5, dtype=np.float32),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "unicode é \"name\"": np.ones(2, dtype=np.float32),
    }


PYTHON_METADATA = {"format": "np", "note": "é \"quoted\" \\ and\nnewline"}


def write(directory: Path) -> None:
    tensors = python_tensors()
    save_file(tensors, directory / "python.safetensors", metadata=PYTHON_METADATA)
    expected = {"tensors": {name: expectation(array) for name, array in tensors.items()}, "metadata": PYTHON_METADATA}
    (directory / "python.json").write_text(json.dumps(expected, ensure_ascii=False))


def verify(directory: Path) -> int:
    failures = []
    expected = json.loads((directory / "swift.json").read_text())
    path = directory / "swift.safetensors"
    loaded = load_file(path)
    with safe_open(path, framework="np") as handle:
        metadata = handle.metadata() or {}
    if metadata != expected["metadata"]:
        failures.append(f"metadata {metadata} != {expected['metadata']}")
    if set(loaded) != set(expected["tensors"]):
        failures.append(f"names {sorted(loaded)} != {sorted(expected['tensors'])}")
    for name, entry in expected["tensors"].items():
        array = loaded.get(name)
        if array is None:
            continue
        if STORED[array.dtype] != entry["dtype"] or list(array.shape) != entry["shape"]:
            failures.append(f"{name}: {STORED[array.dtype]} {list(array.shape)} != {entry['dtype']} {entry['shape']}")
        elif expectation(array) != entry:
            failures.append(f"{name}: values differ")
    # The reference writer, given the same tensors and metadata, writes the same bytes.
    again = save(loaded, metadata=expected["metadata"])
    if again != path.read_bytes():
        failures.append("the reference implementation writes different bytes for the same tensors")
    checks = 3 + len(expected["tensors"])
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"safetensors interop: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "write":
        write(directory)
    elif command == "verify":
        sys.exit(verify(directory))
    else:
        sys.exit(f"unknown command {command}")
