"""Quantization: int8 inference latency of the MLP and the CNN at batch 1 and 256, side by side
in one run — Trainbook's static and dynamic int8 (Compress, oneDNN's u8s8s32 products) vs
Trainbook's float32, and vs PyTorch's int8 and its float32 — alternating runs.

Trainbook's int8 models quantize the Dense layers and the CNN's convolutions (uint8 im2col and
the same integer product, ReLU fused). PyTorch has two int8 peers: `quantize_dynamic`, which
quantizes Linear layers only (the CNN's convolutions stay float32), and FX graph mode static
quantization (`int8-static`: convolutions and Linear layers, on fbgemm/x86, or onednn where the
build has no fbgemm, as Debian's 1.13), the like-for-like peer of Trainbook's static CNN."""

from __future__ import annotations

from .figures import Figure, median, rotations
from .process import run_json_lines
from .settings import Settings
from .training import TITLES, plural, thread_environment

BATCH_SIZES = [1, 256]
# Issue 15's targets at batch 256: int8 ≥ 1.5× faster than Trainbook's float32, and no slower
# than PyTorch's int8.
FLOAT_TARGET = 1 / 1.5
PYTORCH_INT8_TARGET = 1.0


class QuantizationBenchmark:
    def __init__(self, settings: Settings, has_torch: bool, log) -> None:
        self.settings = settings
        self.has_torch = has_torch
        self.log = log

    def contestants(self) -> list[tuple[str, str]]:
        ours = [("trainbook", "float32"), ("trainbook", "int8"), ("trainbook", "int8-dynamic")]
        theirs = [("pytorch", "float32"), ("pytorch", "int8-dynamic"), ("pytorch", "int8-static")]
        theirs = theirs if self.has_torch else []
        return ours + theirs

    def command(self, contestant: tuple[str, str], model: str) -> list[str]:
        s = self.settings
        who, precision = contestant
        flags = [
            "--batch-sizes", ",".join(map(str, BATCH_SIZES)), "--threads", str(s.inference_threads),
            "--budget", str(s.inference_budget), "--max-calls", str(s.inference_max_calls),
            "--precision", precision,
        ]  # fmt: skip
        if who == "trainbook":
            return [s.binary("trainbook-latency"), model, *flags]
        return [s.python, s.peer_script("torch_infer.py"), model, *flags]

    def run(self) -> list[Figure]:
        s = self.settings
        figures: list[Figure] = []
        for model in ("mlp", "cnn"):
            # medians[(who, precision)][batch] = [per-run median ms, ...]
            medians: dict[tuple[str, str], dict[int, list[float]]] = {}
            for run, order in enumerate(rotations(self.contestants(), s.inference_runs)):
                for contestant in order:
                    self.log(f"quantization {model} {'/'.join(contestant)} run {run + 1}/{s.inference_runs}")
                    result = run_json_lines(
                        self.command(contestant, model), env=thread_environment(s.inference_threads)
                    )
                    for line in result.events("latency"):
                        medians.setdefault(contestant, {}).setdefault(line["batch_size"], []).append(line["median_ms"])
            for batch in BATCH_SIZES:
                figures += self.figures(model, batch, medians)
        return figures

    def figures(self, model: str, batch: int, medians: dict) -> list[Figure]:
        s = self.settings
        threads = plural(s.inference_threads, "thread")

        def runs(who: str, precision: str) -> list[float]:
            return medians.get((who, precision), {}).get(batch, [])

        def figure(key: str, name: str, ours: tuple[str, str], peer: tuple[str, str], peer_name: str,
                   target: float | None) -> Figure:  # fmt: skip
            return Figure(
                key=f"quantization.{model}.batch{batch}.{key}", group="Quantization",
                name=f"{TITLES[model]} {name}, batch {batch}, {threads} (median)", unit="ms",
                trainbook=median(runs(*ours)), peer_name=peer_name, peer=median(runs(*peer)),
                max_ratio=target if batch == 256 else None,
                samples={"trainbook_median_ms": runs(*ours), "peer_median_ms": runs(*peer)},
            )  # fmt: skip

        rows = [
            figure("static-vs-float32", "int8 static vs float32", ("trainbook", "int8"),
                   ("trainbook", "float32"), "Trainbook float32", FLOAT_TARGET),
            figure("dynamic-vs-float32", "int8 dynamic vs float32", ("trainbook", "int8-dynamic"),
                   ("trainbook", "float32"), "Trainbook float32", FLOAT_TARGET),
        ]  # fmt: skip
        if self.has_torch:
            rows += [
                figure("static-vs-pytorch-static", "int8 static vs PyTorch static int8", ("trainbook", "int8"),
                       ("pytorch", "int8-static"), "PyTorch static int8 (FX)", PYTORCH_INT8_TARGET),
                figure("static-vs-pytorch-int8", "int8 static vs PyTorch int8", ("trainbook", "int8"),
                       ("pytorch", "int8-dynamic"), "PyTorch quantize_dynamic", PYTORCH_INT8_TARGET),
                figure("dynamic-vs-pytorch-int8", "int8 dynamic vs PyTorch int8", ("trainbook", "int8-dynamic"),
                       ("pytorch", "int8-dynamic"), "PyTorch quantize_dynamic", PYTORCH_INT8_TARGET),
                figure("float32-vs-pytorch", "float32 vs PyTorch float32", ("trainbook", "float32"),
                       ("pytorch", "float32"), "PyTorch float32", None),
            ]  # fmt: skip
        return rows
