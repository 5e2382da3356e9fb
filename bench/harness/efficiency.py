"""Compute efficiency: the MLP epoch's floating-point operations over its time, against the
system OpenBLAS's own sgemm on the same shapes (trainbook-bench sgemm: the epoch's products
alone on preallocated buffers) and on a large square product (the practical limit). At one
thread the same comparison is also made in CPU seconds, which a loaded machine disturbs less."""

from __future__ import annotations

from .figures import Figure, median
from .process import run_json_lines
from .settings import Settings
from .training import TrainingBenchmark, plural, thread_environment

SGEMM_LIMIT_TARGET = 2.0
BASELINE_EXAMPLES = 60_000  # trainbook-bench sgemm times 60,000-example epochs


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

    def measure_limits(self, threads: int, examples: int) -> dict[str, list[float]]:
        """Per run: seconds of the epoch's sgemm products alone (wall and CPU, scaled to
        `examples`), and the large square's GFLOP/s (by wall and by CPU time)."""
        s = self.settings
        measured: dict[str, list[float]] = {
            "shapes": [], "shapes_cpu": [], "square": [], "square_cpu": [], "square_best": [],
        }  # fmt: skip
        for run in range(max(s.mlp_runs, 1)):
            self.log(f"sgemm threads={threads} run {run + 1}")
            baseline = run_json_lines(
                [s.binary("trainbook-bench"), "sgemm", "--batch-size", "128", "--threads", str(threads)],
                env=thread_environment(threads),
            ).event("sgemm_baseline")
            scale = examples / BASELINE_EXAMPLES
            measured["shapes"].append(median([baseline[f"epoch_seconds_{i}"] for i in (1, 2, 3)]) * scale)
            measured["shapes_cpu"].append(median([baseline[f"epoch_cpu_seconds_{i}"] for i in (1, 2, 3)]) * scale)
            # The limit runs on the kernels Trainbook's BLAS start-up chose (on a CPU OpenBLAS
            # does not know, its own choice would be the generic fallback).
            kernels = {"OPENBLAS_CORETYPE": baseline["blas_core"]} if baseline.get("blas_core") else {}
            square = run_json_lines(
                [s.python, s.peer_script("blas_sgemm.py"), "--size", str(s.square_size),
                 "--threads", str(threads), "--repeats", str(s.square_repeats)],
                env=thread_environment(threads) | kernels,
            ).event("sgemm_square")  # fmt: skip
            measured["square"].append(square["median_gflops"])
            measured["square_cpu"].append(square["median_cpu_gflops"])
            measured["square_best"].append(square["best_gflops"])
        return measured

    def run(self) -> list[Figure]:
        s = self.settings
        figures: list[Figure] = []
        for threads in s.threads:
            epoch, epoch_cpu, epoch_pace, examples = self.training.trainbook_epoch_seconds(threads)
            examples = examples or BASELINE_EXAMPLES
            measured = self.measure_limits(threads, examples)
            flops = mlp_flops_per_example() * examples
            threads_text = plural(threads, "thread")
            clocks = [("", epoch, "shapes", "square")]
            if threads == 1:
                clocks.append((" CPU time", epoch_cpu, "shapes_cpu", "square_cpu"))
            for clock, trainbook, shapes_key, square_key in clocks:
                key = "cpu." if clock else ""
                square_gflops = median(measured[square_key])
                limit_seconds = flops / (square_gflops * 1e9) if square_gflops else None
                figures += [
                    Figure(
                        key=f"efficiency.mlp.{key}threads{threads}.sgemm_shapes", group="Compute efficiency",
                        name=f"MLP epoch{clock} vs its sgemm products alone, {threads_text}", unit="s",
                        trainbook=trainbook, peer_name="OpenBLAS sgemm", peer=median(measured[shapes_key]),
                        samples={"sgemm_shapes_seconds": measured[shapes_key]},
                    ),
                    Figure(
                        key=f"efficiency.mlp.{key}threads{threads}.sgemm_limit", group="Compute efficiency",
                        name=f"MLP epoch{clock} vs sgemm limit ({flops / 1e9:.1f} GFLOP at {s.square_size}² speed), {threads_text}",
                        unit="s", trainbook=trainbook, peer_name=f"sgemm {s.square_size}²", peer=limit_seconds,
                        max_ratio=SGEMM_LIMIT_TARGET, samples={"square_gflops": measured[square_key]},
                    ),
                    Figure(
                        key=f"efficiency.mlp.{key}threads{threads}.gflops", group="Compute efficiency",
                        name=f"MLP training throughput{clock and ' (CPU time)'}, {threads_text}", unit="GFLOP/s",
                        trainbook=flops / trainbook / 1e9 if trainbook else None,
                        peer_name=f"sgemm {s.square_size}²", peer=square_gflops,
                        note="ratio = fraction of the machine's sgemm speed reached",
                    ),
                ]  # fmt: skip
            # Best against best: the epoch at its 10th-percentile batch's pace against the fastest
            # of the square products (on a shared machine, wall medians measure the other jobs).
            square_best = median(measured["square_best"])
            limit_best = flops / (square_best * 1e9) if square_best else None
            figures.append(
                Figure(
                    key=f"efficiency.mlp.pace.threads{threads}.sgemm_limit", group="Compute efficiency",
                    name=f"MLP epoch at its 10th-percentile batch's pace vs sgemm limit (fastest {s.square_size}² product), {threads_text}",
                    unit="s", trainbook=epoch_pace, peer_name=f"sgemm {s.square_size}², fastest", peer=limit_best,
                    max_ratio=SGEMM_LIMIT_TARGET, samples={"square_best_gflops": measured["square_best"]},
                )  # fmt: skip
            )
        return figures
