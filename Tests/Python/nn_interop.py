"""PyTorch state-dict interop for Trainbook's NN module, checked with NumPy and safetensors.

    python nn_interop.py write DIR    # torch-layout weights, inputs and NumPy reference outputs
    python nn_interop.py verify DIR   # checks what the Swift side computed and saved

`write` stores state dicts named and laid out exactly as `torch.nn.Module.state_dict()` gives
them for three architectures (an MLP, a CNN with BatchNorm, an Embedding + LayerNorm model),
computes each model's forward pass in NumPy with PyTorch's conventions (Linear: x·Wᵀ + b,
Conv2d: NCHW cross-correlation with a [out, in, kh, kw] weight, BatchNorm in eval mode from its
running statistics), and saves the outputs as references.

The Swift side (NNTests' PyTorchInteropTests, run by scripts/test-steps/46-nn-interop.sh)
builds the equivalent Trainbook models, loads the torch-layout files strictly, runs them, saves
the outputs, and saves freshly initialised models of its own with `save(_:to:)`.

`verify` checks (1) that Trainbook's outputs on torch weights match the NumPy references and
(2) that Trainbook's own files have exactly the names, shapes and dtypes torch's state_dict
has for the same architecture, carry the architecture in `__metadata__`, and give in NumPy the
outputs Trainbook computed from them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

TOLERANCE = 1e-4


# MARK: - NumPy forward passes with PyTorch's conventions


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """torch.nn.functional.linear: x · weightᵀ + bias, weight [out, in]."""
    y = x @ weight.T
    return y if bias is None else y + bias


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, stride: int = 1,
           padding: int = 0) -> np.ndarray:
    """torch.nn.functional.conv2d for NCHW x and [out, in, kh, kw] weight (cross-correlation)."""
    n, c, h, w = x.shape
    out, _, kh, kw = weight.shape
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (w + 2 * padding - kw) // stride + 1
    y = np.zeros((n, out, oh, ow), dtype=np.float64)
    for i in range(oh):
        for j in range(ow):
            window = padded[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = np.einsum("nchw,ochw->no", window, weight)
    return (y + bias[None, :, None, None]).astype(np.float32)


def batch_norm_eval(x: np.ndarray, state: dict, prefix: str, eps: float = 1e-5) -> np.ndarray:
    """torch.nn.BatchNorm2d in eval mode: running statistics, then the affine map."""
    shape = (1, -1, 1, 1)
    mean = state[prefix + "running_mean"].reshape(shape)
    var = state[prefix + "running_var"].reshape(shape)
    gamma = state[prefix + "weight"].reshape(shape)
    beta = state[prefix + "bias"].reshape(shape)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def max_pool2d(x: np.ndarray, k: int = 2) -> np.ndarray:
    """torch.nn.MaxPool2d(k) on sizes divisible by k."""
    n, c, h, w = x.shape
    return x.reshape(n, c, h // k, k, w // k, k).max(axis=(3, 5))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-5):
    """torch.nn.LayerNorm over the last axis."""
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def mlp_forward(state: dict, x: np.ndarray) -> np.ndarray:
    """nn.Sequential(Flatten(), Linear(784, 128), ReLU(), Linear(128, 10))."""
    h = x.reshape(x.shape[0], -1)
    h = relu(linear(h, state["1.weight"], state["1.bias"]))
    return linear(h, state["3.weight"], state["3.bias"])


def cnn_forward(state: dict, x: np.ndarray) -> np.ndarray:
    """nn.Sequential(Conv2d(1, 4, 3, padding=1), BatchNorm2d(4), ReLU(), MaxPool2d(2),
    Conv2d(4, 6, 3, stride=2), ReLU(), Flatten(), Linear(6, 3)) on [N, 1, 8, 8]."""
    h = conv2d(x, state["0.weight"], state["0.bias"], padding=1)
    h = relu(batch_norm_eval(h, state, "1."))
    h = max_pool2d(h)
    h = relu(conv2d(h, state["4.weight"], state["4.bias"], stride=2))
    h = h.reshape(h.shape[0], -1)
    return linear(h, state["7.weight"], state["7.bias"])


def embed_forward(state: dict, ids: np.ndarray) -> np.ndarray:
    """nn.Sequential(Embedding(10, 4), LayerNorm(4), Flatten(), Linear(12, 2)) on [N, 3] ids."""
    h = state["0.weight"][ids]
    h = layer_norm(h, state["1.weight"], state["1.bias"])
    h = h.reshape(h.shape[0], -1)
    return linear(h, state["3.weight"], state["3.bias"])


FORWARD = {"mlp": mlp_forward, "cnn": cnn_forward, "embed": embed_forward}

# What torch.nn.Module.state_dict() holds for each architecture: name → (shape, dtype).
TORCH_STATE = {
    "mlp": {
        "1.weight": ((128, 784), "float32"), "1.bias": ((128,), "float32"),
        "3.weight": ((10, 128), "float32"), "3.bias": ((10,), "float32"),
    },
    "cnn": {
        "0.weight": ((4, 1, 3, 3), "float32"), "0.bias": ((4,), "float32"),
        "1.weight": ((4,), "float32"), "1.bias": ((4,), "float32"),
        "1.running_mean": ((4,), "float32"), "1.running_var": ((4,), "float32"),
        "1.num_batches_tracked": ((), "int64"),
        "4.weight": ((6, 4, 3, 3), "float32"), "4.bias": ((6,), "float32"),
        "7.weight": ((3, 6), "float32"), "7.bias": ((3,), "float32"),
    },
    "embed": {
        "0.weight": ((10, 4), "float32"), "1.weight": ((4,), "float32"),
        "1.bias": ((4,), "float32"), "3.weight": ((2, 12), "float32"),
        "3.bias": ((2,), "float32"),
    },
}

# The layer types of Trainbook's architecture for each model, in order.
ARCHITECTURE_TYPES = {
    "mlp": ["Flatten", "Dense", "ReLU", "Dense"],
    "cnn": ["Conv2D", "BatchNorm", "ReLU", "MaxPool2D", "Conv2D", "ReLU", "Flatten", "Dense"],
    "embed": ["Embedding", "LayerNorm", "Flatten", "Dense"],
}


def torch_like_state(name: str, rng: np.random.Generator) -> dict:
    """Random weights in torch's layout; BatchNorm gets non-trivial running statistics."""
    state = {}
    for key, (shape, dtype) in TORCH_STATE[name].items():
        if dtype == "int64":
            state[key] = np.array(17, dtype=np.int64)
        elif key.endswith("running_var"):
            state[key] = rng.uniform(0.5, 2.0, shape).astype(np.float32)
        else:
            state[key] = rng.normal(0, 0.5, shape).astype(np.float32)
    return state


def inputs(rng: np.random.Generator) -> dict:
    return {
        "mlp": rng.uniform(0, 1, (5, 1, 28, 28)).astype(np.float32),
        "cnn": rng.normal(0, 1, (3, 1, 8, 8)).astype(np.float32),
        "embed": rng.integers(0, 10, (4, 3)).astype(np.int32),
    }


# MARK: - Phases


def write(directory: Path) -> None:
    rng = np.random.default_rng(2024)
    xs = inputs(rng)
    save_file(xs, str(directory / "inputs.safetensors"))
    references = {}
    for name in FORWARD:
        state = torch_like_state(name, rng)
        save_file(state, str(directory / f"torch_{name}.safetensors"))
        references[name] = FORWARD[name](state, xs[name]).astype(np.float32)
    save_file(references, str(directory / "reference.safetensors"))


def verify(directory: Path) -> None:
    xs = load_file(str(directory / "inputs.safetensors"))
    references = load_file(str(directory / "reference.safetensors"))
    outputs = load_file(str(directory / "swift_outputs.safetensors"))
    failures = []
    for name in FORWARD:
        # 1. Trainbook's outputs on torch's weights.
        got = outputs[f"torch_{name}"]
        if got.shape != references[name].shape or not np.allclose(
                got, references[name], atol=TOLERANCE, rtol=TOLERANCE):
            failures.append(f"{name}: Trainbook on torch weights differs from NumPy by "
                            f"{np.abs(got - references[name]).max()}")
        # 2. Trainbook's own file: torch's names, shapes and dtypes, and its architecture.
        path = directory / f"trainbook_{name}.safetensors"
        state = load_file(str(path))
        expected = TORCH_STATE[name]
        if set(state) != set(expected):
            failures.append(f"{name}: names {sorted(state)} instead of torch's {sorted(expected)}")
            continue
        for key, (shape, dtype) in expected.items():
            if state[key].shape != shape:
                failures.append(f"{name}: {key} has shape {state[key].shape}, torch {shape}")
            # Integer buffers are written as int32; torch's load_state_dict converts them.
            allowed = {dtype, "int32"} if dtype == "int64" else {dtype}
            if str(state[key].dtype) not in allowed:
                failures.append(f"{name}: {key} is {state[key].dtype}, torch {dtype}")
        with safe_open(str(path), framework="numpy") as handle:
            metadata = handle.metadata() or {}
        if metadata.get("format") != "pt":
            failures.append(f"{name}: metadata format is {metadata.get('format')!r}")
        architecture = json.loads(metadata.get("trainbook.architecture", "{}"))
        types = [child.get("type") for child in architecture.get("children", [])]
        if architecture.get("type") != "Sequential" or types != ARCHITECTURE_TYPES[name]:
            failures.append(f"{name}: architecture {architecture}")
        own = FORWARD[name](state, xs[name]).astype(np.float32)
        got = outputs[f"trainbook_{name}"]
        if not np.allclose(got, own, atol=TOLERANCE, rtol=TOLERANCE):
            failures.append(f"{name}: NumPy on Trainbook's weights differs from Trainbook by "
                            f"{np.abs(got - own).max()}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"nn interop: {len(FORWARD)} architectures match PyTorch's layout both ways")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "verify"):
        sys.exit(__doc__)
    {"write": write, "verify": verify}[sys.argv[1]](Path(sys.argv[2]))
