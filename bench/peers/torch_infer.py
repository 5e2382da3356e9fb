"""PyTorch peer of `trainbook-latency`: the MLP's or CNN's forward pass in evaluation mode under
`torch.inference_mode()`, each call timed alone on the same input after warm-up calls, with the
same budget rules, printing the same JSON lines.

    python torch_infer.py mlp|cnn [--batch-sizes 1,256] [--threads T] [--budget SECONDS]
                                  [--max-calls N] [--warm-up N]
                                  [--precision float32|int8-dynamic|int8-static]

With --precision int8-dynamic the model is `torch.ao.quantization.quantize_dynamic(model,
{nn.Linear}, dtype=torch.qint8)`: PyTorch's int8 path for Linear layers (fbgemm/onednn engine);
it leaves convolutions in float32. With --precision int8-static it is FX graph mode post-training
static quantization (`prepare_fx` with the engine's default qconfig mapping, calibrated on 256
uniform random images as trainbook-latency calibrates, then `convert_fx`): convolutions and Linear
layers in int8, ReLUs fused, on the first engine of fbgemm, x86, onednn, qnnpack that this build
of PyTorch supports (Debian's 1.13 has onednn and qnnpack, no fbgemm).
"""

from __future__ import annotations

import argparse
import os
import time

from report import emit
from torch_train import model


def quantile(values: list[float], fraction: float) -> float:
    """Nearest-rank quantile, as trainbook-latency computes it."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = round(fraction * (len(ordered) - 1))
    return ordered[min(max(rank, 0), len(ordered) - 1)]


def quantize_static(torch, network):
    """`network` quantized by FX graph mode post-training static quantization, and the engine."""
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

    supported = torch.backends.quantized.supported_engines
    engine = next(name for name in ("fbgemm", "x86", "onednn", "qnnpack") if name in supported)
    torch.backends.quantized.engine = engine
    generator = torch.Generator().manual_seed(0)
    calibration = torch.rand(256, 1, 28, 28, generator=generator)
    prepared = prepare_fx(network, get_default_qconfig_mapping(engine), example_inputs=(calibration[:1],))
    with torch.inference_mode():
        prepared(calibration)
    return convert_fx(prepared), engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", choices=["mlp", "cnn"])
    parser.add_argument("--batch-sizes", default="1,256")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--budget", type=float, default=2.0)
    parser.add_argument("--max-calls", type=int, default=2000)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument(
        "--precision", choices=["float32", "int8-dynamic", "int8-static"], default="float32"
    )
    options = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(options.threads))
    import torch
    from torch import nn

    torch.set_num_threads(options.threads)
    torch.manual_seed(0)
    network = model(options.model, nn)
    network.eval()
    engine = None
    if options.precision == "int8-dynamic":
        network = torch.ao.quantization.quantize_dynamic(network, {nn.Linear}, dtype=torch.qint8)
    elif options.precision == "int8-static":
        network, engine = quantize_static(torch, network)
    minimum_calls = min(5, options.max_calls)
    for batch_size in [int(size) for size in options.batch_sizes.split(",")]:
        x = torch.rand(batch_size, 1, 28, 28)
        seconds: list[float] = []
        with torch.inference_mode():
            for _ in range(options.warm_up):
                network(x)
            start = time.perf_counter()
            while len(seconds) < options.max_calls:
                call_start = time.perf_counter()
                network(x)
                now = time.perf_counter()
                seconds.append(now - call_start)
                if len(seconds) >= minimum_calls and now - start >= options.budget:
                    break
        emit(
            "latency", model=options.model, precision=options.precision, batch_size=batch_size,
            threads=torch.get_num_threads(), calls=len(seconds), engine=engine,
            median_ms=quantile(seconds, 0.5) * 1000, p90_ms=quantile(seconds, 0.9) * 1000,
            p99_ms=quantile(seconds, 0.99) * 1000, min_ms=min(seconds) * 1000,
        )  # fmt: skip


if __name__ == "__main__":
    main()
