"""bench/run's harness: python -m harness [--quick] [--only NAME[,NAME…]] --bin-dir DIR
[--configuration release|debug] [--update-readme] [--command TEXT]

Benchmarks, in order: training-mlp, training-cnn, efficiency (uses training-mlp's runs, so it
brings them along), inference, sparse-product, quantization, kernel, interpreter,
tuning-samplers, tuning-overhead, tuning-pruning (Trainbook's Tune against Optuna). --only keeps those whose name contains one
of the given words ("training" keeps both training benchmarks).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import sys
import time
import traceback
from pathlib import Path

from . import report
from .efficiency import EfficiencyBenchmark
from .environment import describe
from .figures import Figure
from .inference import InferenceBenchmark
from .interpreter import InterpreterBenchmark
from .kernel_client import KernelEnvironment
from .kernels import KernelBenchmark, RunningKernels
from .quantization import QuantizationBenchmark
from .settings import Settings
from .sparse import SparseProductBenchmark
from .training import TrainingBenchmark
from .tuning import TuningBenchmark

BENCHMARKS = [
    "training-mlp", "training-cnn", "efficiency", "inference", "sparse-product", "quantization", "kernel",
    "interpreter",
    "tuning-samplers", "tuning-overhead", "tuning-pruning",
]  # fmt: skip


def selected(only: str | None) -> list[str]:
    if not only:
        return list(BENCHMARKS)
    words = [word.strip() for word in only.split(",") if word.strip()]
    chosen = [name for name in BENCHMARKS if any(word in name for word in words)]
    unknown = [word for word in words if not any(word in name for name in BENCHMARKS)]
    if unknown:
        raise SystemExit(f"--only: no benchmark named like {', '.join(unknown)} (have: {', '.join(BENCHMARKS)})")
    if "efficiency" in chosen and "training-mlp" not in chosen:
        chosen.insert(0, "training-mlp")
    return chosen


def missing_values(figures: list[Figure], has_torch: bool) -> list[str]:
    """Figures without a Trainbook value, or without a peer value for a peer that ran."""
    problems = []
    for figure in figures:
        if figure.trainbook is None:
            problems.append(f"{figure.key}: no Trainbook value")
        if figure.peer is None and (has_torch or figure.peer_name != "PyTorch"):
            problems.append(f"{figure.key}: no {figure.peer_name} value")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each: proves the harness works")
    parser.add_argument("--only", help="comma-separated benchmark names (or parts of them)")
    parser.add_argument("--bin-dir", required=True, help="where trainbook, trainbook-bench and trainbook-latency are")
    parser.add_argument("--configuration", default="release")
    parser.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    parser.add_argument("--command", default="bench/run", help="the command line to quote in the report")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a setting")
    options = parser.parse_args()

    root = Path(__file__).resolve().parents[2]
    settings = Settings.make(options.quick, root, Path(options.bin_dir), sys.executable)
    settings.override(options.set)
    has_torch = importlib.util.find_spec("torch") is not None
    chosen = selected(options.only)
    began = time.time()

    def log(message: str) -> None:
        print(f"[{time.time() - began:7.1f} s] {message}", file=sys.stderr, flush=True)

    environment = describe(options.configuration, settings.bin_dir)
    log(f"benchmarks: {', '.join(chosen)}; PyTorch {'present' if has_torch else 'absent: its figures are skipped'}")
    figures: list[Figure] = []
    failures: list[str] = []
    training = TrainingBenchmark(settings, has_torch, log)

    def attempt(name: str, body) -> None:
        if name not in chosen:
            return
        try:
            figures.extend(body())
        except Exception as error:
            failures.append(f"{name}: {error}")
            log(f"{name} FAILED: {error}")
            traceback.print_exc(file=sys.stderr)

    attempt("training-mlp", lambda: training.run(["mlp"]))
    attempt("training-cnn", lambda: training.run(["cnn"]))
    attempt("efficiency", lambda: EfficiencyBenchmark(settings, training, log).run())
    attempt("inference", lambda: InferenceBenchmark(settings, has_torch, log).run())
    attempt("sparse-product", lambda: SparseProductBenchmark(settings, log).run())
    attempt("quantization", lambda: QuantizationBenchmark(settings, has_torch, log).run())
    if "kernel" in chosen or "interpreter" in chosen:
        kernel_environment = KernelEnvironment(settings.binary("trainbook"), sys.executable)
        kernels = RunningKernels(log)
        try:
            attempt("kernel", lambda: KernelBenchmark(settings, kernels, log).run())
            attempt("interpreter", lambda: InterpreterBenchmark(settings, kernels, log).run())
        finally:
            kernels.close()
            kernel_environment.close()

    tuning = TuningBenchmark(settings, log)
    for part in ("samplers", "overhead", "pruning"):
        attempt(f"tuning-{part}", lambda part=part: tuning.run([part]))

    environment["load_average_at_end"] = [round(value, 2) for value in __import__("os").getloadavg()]
    now = datetime.datetime.now(datetime.timezone.utc)
    markdown = report.markdown(figures, environment, options.command, settings.threads, now.strftime("%Y-%m-%d %H:%M UTC"))
    document = {
        "started": datetime.datetime.fromtimestamp(began, datetime.timezone.utc).isoformat(),
        "duration_seconds": round(time.time() - began, 1), "quick": options.quick,
        "benchmarks": chosen, "environment": environment,
        "settings": {key: str(value) if isinstance(value, Path) else value for key, value in vars(settings).items()},
        "figures": [figure.as_json() for figure in figures], "failures": failures,
    }  # fmt: skip
    written = report.write_results(settings.results_dir, now.strftime("%Y%m%d-%H%M%S"), options.quick, document, markdown)
    print(report.text(figures, environment, settings.threads))
    for path in written:
        log(f"wrote {path.relative_to(root)}")
    if options.update_readme:
        report.update_readme(root / "README.md", markdown)
        log("updated README.md's Performance section")
    problems = failures + missing_values(figures, has_torch)
    for problem in problems:
        log(f"problem: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
