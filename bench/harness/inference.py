"""Inference: batch-1 and batch-256 forward-pass latency of the MLP and the CNN in evaluation
mode, trainbook-latency vs the PyTorch peer (bench/peers/torch_infer.py), alternating runs."""

from __future__ import annotations

from .figures import Figure, median, rotations
from .process import run_json_lines
from .settings import Settings
from .training import TITLES, plural, thread_environment

BATCH_SIZES = [1, 256]


class InferenceBenchmark:
    def __init__(self, settings: Settings, has_torch: bool, log) -> None:
        self.settings = settings
        self.has_torch = has_torch
        self.log = log

    def command(self, contestant: str, model: str) -> list[str]:
        s = self.settings
        flags = [
            "--batch-sizes", ",".join(map(str, BATCH_SIZES)), "--threads", str(s.inference_threads),
            "--budget", str(s.inference_budget), "--max-calls", str(s.inference_max_calls),
        ]  # fmt: skip
        if contestant == "trainbook":
            return [s.binary("trainbook-latency"), model, *flags]
        return [s.python, s.peer_script("torch_infer.py"), model, *flags]

    def run(self) -> list[Figure]:
        s = self.settings
        contestants = ["trainbook"] + (["pytorch"] if self.has_torch else [])
        figures: list[Figure] = []
        for model in ("mlp", "cnn"):
            # medians[contestant][batch] = [per-run median ms, ...]
            medians: dict[str, dict[int, list[float]]] = {}
            p99: dict[str, dict[int, list[float]]] = {}
            for run, order in enumerate(rotations(contestants, s.inference_runs)):
                for contestant in order:
                    self.log(f"inference {model} {contestant} run {run + 1}/{s.inference_runs}")
                    result = run_json_lines(
                        self.command(contestant, model), env=thread_environment(s.inference_threads)
                    )
                    for line in result.events("latency"):
                        batch = line["batch_size"]
                        medians.setdefault(contestant, {}).setdefault(batch, []).append(line["median_ms"])
                        p99.setdefault(contestant, {}).setdefault(batch, []).append(line["p99_ms"])
            for batch in BATCH_SIZES:
                trainbook = medians.get("trainbook", {}).get(batch, [])
                peer = medians.get("pytorch", {}).get(batch, [])
                figures.append(
                    Figure(
                        key=f"inference.{model}.batch{batch}", group="Inference",
                        name=f"{TITLES[model]} forward, batch {batch}, {plural(s.inference_threads, 'thread')} (median)",
                        unit="ms", trainbook=median(trainbook), peer_name="PyTorch", peer=median(peer),
                        samples={
                            "trainbook_median_ms": trainbook, "pytorch_median_ms": peer,
                            "trainbook_p99_ms": p99.get("trainbook", {}).get(batch, []),
                            "pytorch_p99_ms": p99.get("pytorch", {}).get(batch, []),
                        },
                    )
                )  # fmt: skip
        return figures
