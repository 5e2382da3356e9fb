"""How much each benchmark runs: the full settings of `make bench` and the small ones of
`--quick` (which proves the harness works, on small data, and asserts no speed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Settings:
    """Sizes, repetitions and paths of one harness run."""

    quick: bool
    root: Path
    bin_dir: Path
    python: str
    results_dir: Path
    threads: list[int] = field(default_factory=lambda: [1, 2])
    # Training (trainbook-bench vs PyTorch and NumPy).
    data: str = "fashion"
    train_limit: int | None = None
    test_limit: int | None = None
    mlp_epochs: int = 10
    mlp_runs: int = 3
    cnn_epochs: int = 2
    cnn_runs: int = 2
    cnn_limit: int | None = None
    # Compute efficiency: a large square product.
    square_size: int = 2048
    square_repeats: int = 5
    # Inference latency.
    inference_threads: int = 2
    inference_budget: float = 2.0
    inference_max_calls: int = 2000
    inference_runs: int = 3
    # Kernels (Trainbook vs ipykernel).
    kernel_starts: int = 10
    round_trips: int = 500
    printed_lines: int = 100_000
    printed_runs: int = 3
    # Interpreter cells.
    loop_iterations: int = 1_000_000
    function_calls: int = 100_000
    collection_inserts: int = 100_000
    interpreter_runs: int = 5
    # Tuning (trainbook-tune-bench vs Optuna): seeds and trials of the sampler-quality runs,
    # trials of the overhead run, seeds, trials and epochs of the pruning runs.
    tuning_seeds: int = 20
    tuning_trials: int = 100
    overhead_trials: int = 1000
    pruning_seeds: int = 20
    pruning_trials: int = 60
    pruning_epochs: int = 9

    @staticmethod
    def make(quick: bool, root: Path, bin_dir: Path, python: str) -> Settings:
        settings = Settings(
            quick=quick, root=root, bin_dir=bin_dir, python=python,
            results_dir=root / "bench" / "results",
        )  # fmt: skip
        if quick:
            settings.data = "mnist5k"
            settings.train_limit, settings.test_limit = 1024, 500
            settings.mlp_epochs, settings.mlp_runs = 2, 1
            settings.cnn_epochs, settings.cnn_runs, settings.cnn_limit = 2, 1, 256
            settings.square_size, settings.square_repeats = 512, 2
            settings.inference_budget, settings.inference_max_calls = 0.2, 50
            settings.inference_runs = 1
            settings.kernel_starts, settings.round_trips = 2, 50
            settings.printed_lines, settings.printed_runs = 10_000, 1
            settings.loop_iterations, settings.function_calls = 100_000, 10_000
            settings.collection_inserts = 10_000
            settings.interpreter_runs = 1
            settings.tuning_seeds, settings.tuning_trials = 2, 12
            settings.overhead_trials = 15
            settings.pruning_seeds, settings.pruning_trials = 2, 12
        return settings

    def override(self, assignments: list[str]) -> None:
        """Applies NAME=VALUE overrides (`--set cnn_limit=12000`) to numeric fields, for runs
        that must fit a time budget; the report quotes the command line with them."""
        for assignment in assignments:
            name, _, text = assignment.partition("=")
            current = getattr(self, name, None)
            if name in ("quick", "root", "bin_dir", "python", "results_dir") or not text:
                raise SystemExit(f"--set: cannot set {assignment!r}")
            if name == "threads":
                self.threads = [int(part) for part in text.split(",")]
            elif name == "data":
                self.data = text
            elif isinstance(current, float):
                setattr(self, name, float(text))
            elif isinstance(current, int) or (current is None and name.endswith("limit")):
                setattr(self, name, int(text))
            else:
                raise SystemExit(f"--set: no numeric setting named {name!r}")

    @property
    def peers_dir(self) -> Path:
        return self.root / "bench" / "peers"

    def binary(self, name: str) -> str:
        return str(self.bin_dir / name)

    def peer_script(self, name: str) -> str:
        return str(self.peers_dir / name)
