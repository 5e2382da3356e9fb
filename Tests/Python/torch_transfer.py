"""A CNN trained in PyTorch, to be loaded by Trainbook as the body of a new model.

    python torch_transfer.py DIR

Trains a small `torch.nn.Sequential` CNN (convolutions, BatchNorm, pooling, Linear layers) for a
few seeded steps on synthetic 28×28 images (so its BatchNorm running statistics are not the
initial ones), puts it in evaluation mode and saves:

- DIR/torch_cnn.safetensors: `safetensors.torch.save_file(model.state_dict(), …)`, the file a
  PyTorch user ships;
- DIR/torch_cnn_reference.safetensors: fixed inputs, the body's output on them
  (`model[:-1]`, every layer but the last) and the whole model's logits, both in eval mode.

The Swift side (NNTests' PyTorchTransferTests, run by scripts/test-steps/46-nn-interop.sh) builds
the equivalent Trainbook model, loads the torch file strictly, checks both outputs, then puts
the body under a new head, freezes it and trains the head. Needs torch (Debian's python3-torch)
and safetensors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn


def build() -> nn.Sequential:
    """The architecture PyTorchTransferTests rebuilds in Trainbook, layer for layer."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 7 * 7, 32),
        nn.ReLU(),
        nn.Linear(32, 10),
    )


def images(count: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Noise images whose class (0–9) is the row band that is brighter."""
    labels = torch.randint(0, 10, (count,), generator=generator)
    x = 0.3 * torch.rand(count, 1, 28, 28, generator=generator)
    for index, label in enumerate(labels.tolist()):
        row = 1 + 2 * label + label // 2
        x[index, 0, row:row + 3, :] += 0.7
    return x, labels


def main(directory: Path) -> None:
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = images(256, generator)
    model.train()
    for step in range(40):
        batch = slice((step % 4) * 64, (step % 4 + 1) * 64)
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
        inputs, _ = images(6, generator)
        features = model[:-1](inputs)
        logits = model(inputs)
    assert accuracy > 0.5, f"the torch CNN did not learn its task ({accuracy})"
    directory.mkdir(parents=True, exist_ok=True)
    save_file(model.state_dict(), str(directory / "torch_cnn.safetensors"),
              metadata={"accuracy": f"{accuracy:.4f}"})
    transferred = nn.Sequential(model[:-1], nn.Linear(32, 3))
    names = {name: list(tensor.shape) for name, tensor in transferred.state_dict().items()}
    save_file({"inputs": inputs.contiguous(), "features": features.contiguous(),
               "logits": logits.contiguous()},
              str(directory / "torch_cnn_reference.safetensors"),
              metadata={"transferred_state": json.dumps(names, sort_keys=True)})
    print(f"torch {torch.__version__}: CNN trained to {accuracy:.3f} on its own images, "
          f"saved to {directory}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
