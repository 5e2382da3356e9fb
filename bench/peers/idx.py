"""IDX files (the MNIST family's format, raw or gzip) as NumPy arrays, for the Python peers.

The same files Trainbook reads: Fashion-MNIST from Debian's dataset-fashion-mnist, or the
5,000-image MNIST subset. Pixels become float32 in [0, 1] (as Trainbook's data sets give them),
labels int64.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

FASHION_DIRECTORY = Path("/usr/share/datasets/fashion-mnist")
MNIST5K_DIRECTORY = Path(__file__).resolve().parents[2] / "Sources/Data/Resources/mnist-5k"

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: Path) -> np.ndarray:
    """The array stored in one IDX file (magic, dimensions and length checked)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as file:
        raw = file.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic)")
    rank = raw[3]
    shape = struct.unpack(f">{rank}I", raw[4 : 4 + 4 * rank])
    dtype = np.dtype(_DTYPES[raw[2]])
    count = int(np.prod(shape, dtype=np.int64))
    body = raw[4 + 4 * rank :]
    if len(body) != count * dtype.itemsize:
        raise ValueError(f"{path}: {len(body)} data bytes for shape {shape}")
    return np.frombuffer(body, dtype=dtype).reshape(shape)


def _find(directory: Path, stem: str) -> Path:
    for name in (stem + ".gz", stem):
        if (directory / name).exists():
            return directory / name
    raise FileNotFoundError(f"{directory}: no {stem}[.gz]")


def load(data: str, directory: str | None = None):
    """(train_x, train_y, test_x, test_y): images [N, 28, 28] float32 in [0, 1], labels int64."""
    if directory:
        base = Path(directory)
    elif data == "fashion":
        base = FASHION_DIRECTORY
    elif data == "mnist5k":
        base = MNIST5K_DIRECTORY
    else:
        raise ValueError(f"unknown data set {data!r}: fashion or mnist5k")
    arrays = []
    for split in ("train", "t10k"):
        images = read_idx(_find(base, f"{split}-images-idx3-ubyte"))
        labels = read_idx(_find(base, f"{split}-labels-idx1-ubyte"))
        arrays.append(images.astype(np.float32) / np.float32(255))
        arrays.append(labels.astype(np.int64))
    return tuple(arrays)
