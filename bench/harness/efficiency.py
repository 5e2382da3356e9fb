"""Compute efficiency: the MLP epoch's floating-point operations over its time, against the
system OpenBLAS's own sgemm on the same shapes (trainbook-bench sgemm: the epoch's products
alone on preallocated buffers) and on a large square product (the practical limit)."""

from __future__ import annotations

from .figures import Figure, median
from .process import run_json_lines
from .settings import Settings
from .training import TrainingBenchmark, plural, thread_environment

SGEMM_LIMIT_TARGET = 2.0


def mlp_flops_per_example(inputs: int = 784, hidden: int = 128, classes: int = 10) -> int:
    """Multiply-adds ×2 of one example's forward and backward products: x·W1ᵀ and h·W2ᵀ
    forward; dW2, dh and dW1 backward (no gradient flows into the input)."""
    forward = 2 * (inputs * hidden + hidden * classes)
    backward = 2 * (hidden * classes) * 2 + 2 * inputs * hidden
    return forward + backward


class EfficiencyBenchmark:
    def __init__(self, settings: Settings, training: TrainingBenchmark, log) -> None:
        self.settings = settings
        self.training = training
        self.log = log

    def run(self) -> list[Figure]:
        s = self.settings
        figures: list[Figure] = []
        for threads in s.threads:
            epoch, examples = self.training.trainbook_epoch_seconds(threads)
            if not examples:
                examples = 60_000
            shapes, square = [], []
            for run in range(max(s.mlp_runs, 1)):
                self.log(f"sgemm threads={threads} run {run + 1}")
                baseline = run_json_lines(
                    [s.binary("trainbook-bench"), "sgemm", "--batch-size", "128", "--threads", str(threads)],
                    env=thread_environment(threads),
                ).event("sgemm_baseline")
                # Its epochs are 60,000 examples; scale to the examples trained on.
                per_example = median([baseline[f"epoch_seconds_{i}"] for i in (1, 2, 3)]) / 60_000
                shapes.append(per_example * examples)
                limit = run_json_lines(
                    [s.python, s.peer_script("blas_sgemm.py"), "--size", str(s.square_size),
                     "--threads", str(threads), "--repeats", str(s.square_repeats)],
                    env=thread_environment(threads),
                ).event("sgemm_square")  # fmt: skip
                square.append(limit["median_gflops"])
            flops = mlp_flops_per_example() * examples
            square_gflops = median(square)
            limit_seconds = flops / (square_gflops * 1e9) if square_gflops else None
            threads_text = plural(threads, "thread")
            figures += [
                Figure(
                    key=f"efficiency.mlp.threads{threads}.sgemm_shapes", group="Compute efficiency",
                    name=f"MLP epoch vs its sgemm products alone, {threads_text}", unit="s",
                    trainbook=epoch, peer_name="OpenBLAS sgemm", peer=median(shapes),
                    samples={"sgemm_shapes_seconds": shapes},
                ),
                Figure(
                    key=f"efficiency.mlp.threads{threads}.sgemm_limit", group="Compute efficiency",
                    name=f"MLP epoch vs sgemm limit ({flops / 1e9:.1f} GFLOP at large-square speed), {threads_text}",
                    unit="s", trainbook=epoch, peer_name=f"sgemm {s.square_size}²", peer=limit_seconds,
                    max_ratio=SGEMM_LIMIT_TARGET, samples={"square_gflops": square},
                ),
                Figure(
                    key=f"efficiency.mlp.threads{threads}.gflops", group="Compute efficiency",
                    name=f"MLP training throughput, {threads_text}", unit="GFLOP/s",
                    trainbook=flops / epoch / 1e9 if epoch else None,
                    peer_name=f"sgemm {s.square_size}²", peer=square_gflops,
                    note="ratio = fraction of the machine's sgemm speed reached",
                ),
            ]  # fmt: skip
        return figures
