"""Tuning: Trainbook's samplers and pruners (trainbook-tune-bench) side by side with Optuna's
(bench/peers/optuna_tune.py, Optuna pinned in bench/requirements.txt), on the same functions.

- Sampler quality: mean simple regret (best value found − the known minimum) after 20, 50 and
  100 trials over many seeds on Branin, Hartmann-6 and a 5-D Rosenbrock with one categorical
  dimension; Trainbook's TPE against Optuna's TPESampler, Trainbook's GP against Optuna's
  GPSampler, random against random as the floor. Optuna's GPSampler needs PyTorch ≥ 2 (it
  enters `torch.device` as a context manager, which Debian's python3-torch 1.13 cannot): the
  full run's venv has PyTorch from PyPI; without it (--quick) our GP is compared with Optuna's
  TPESampler instead, and the row says so. The target: ours no worse than Optuna's within the
  seeds' standard error.
- Overhead: the process CPU time of one trial outside its (microsecond) objective — asking the
  sampler, recording the result — at 100 and 1,000 finished trials. Target ≤ 0.1× Optuna's.
- Pruning: a synthetic learning curve (LearningCurve.swift, the same formula in the peer), TPE
  with Hyperband or ASHA against Optuna's TPE with its HyperbandPruner or
  SuccessiveHalvingPruner: epochs spent until a complete trial reaches the best accuracy every
  run reached, and until it is within half a point of the best accuracy any parameters reach
  (when every contestant got there in some seed); the best accuracy and the epochs after all
  trials.
"""

from __future__ import annotations

import math
import statistics
import subprocess

from .figures import Figure
from .process import run_json_lines
from .settings import Settings

FUNCTION_TITLES = {"branin": "Branin", "hartmann6": "Hartmann-6", "rosenbrock5c": "Rosenbrock 5-D + categorical"}
SAMPLER_TITLES = {"tpe": "TPE", "gp": "GP", "random": "random"}
PRUNER_TITLES = {"none": "no pruning", "hyperband": "Hyperband", "asha": "ASHA"}
# Whose Optuna sampler each of ours is compared with (the GP's, when Optuna's GPSampler can run).
PEER_SAMPLER = {"tpe": "tpe", "gp": "gp", "random": "random"}
PEER_SAMPLER_WITHOUT_TORCH = {"tpe": "tpe", "gp": "tpe", "random": "random"}


def mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def standard_error(values: list[float]) -> float:
    return statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0


def best_curve_accuracy(epochs: int) -> float:
    """The highest accuracy after `epochs` epochs that any parameters of LearningCurve reach
    (units 128 and dropout 0.2 are optimal for any rate; the rate by a fine search)."""
    best = -math.inf
    for index in range(30_001):
        rate = 10 ** (-4 + 3 * index / 30_000)
        final = 0.92 - 0.05 * (math.log10(rate) + 2.5) ** 2
        speed = 0.15 * math.sqrt(rate / 1e-3)
        best = max(best, final - (final - 0.1) * math.exp(-epochs * speed))
    return best


class TuningBenchmark:
    def __init__(self, settings: Settings, log) -> None:
        self.settings = settings
        self.log = log

    def command(self, library: str, task: str, **lists: str) -> list[str]:
        s = self.settings
        flags = [f"--{name}={value}" for name, value in lists.items()]
        if library == "trainbook":
            base = [s.binary("trainbook-tune-bench"), task]
            flags = [part for flag in flags for part in flag.split("=", 1)]
        else:
            base = [s.python, s.peer_script("optuna_tune.py"), task]
        return base + flags

    def lines(self, library: str, task: str, **lists: str) -> list[dict]:
        self.log(f"tuning {task} {library}: {' '.join(f'{k}={v}' for k, v in lists.items())}")
        command = self.command(library, task, **lists)
        return run_json_lines(command, env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}).events(task)

    def optuna_gp_runs(self) -> bool:
        """Whether Optuna's GPSampler works in the peer's Python (PyTorch 2 or later and SciPy)."""
        probe = (
            "import torch, optuna, scipy; "
            "raise SystemExit(0 if int(torch.__version__.split('.')[0]) >= 2 else 1)"
        )
        try:
            return subprocess.run([self.settings.python, "-c", probe], capture_output=True, timeout=300).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    def run(self, parts: list[str]) -> list[Figure]:
        figures: list[Figure] = []
        if "samplers" in parts:
            figures += self.regret()
        if "overhead" in parts:
            figures += self.overhead()
        if "pruning" in parts:
            figures += self.pruning()
        return figures

    # MARK: sampler quality

    def regret(self) -> list[Figure]:
        s = self.settings
        functions = ",".join(FUNCTION_TITLES)
        common = {"functions": functions, "seeds": str(s.tuning_seeds), "trials": str(s.tuning_trials)}
        peer_samplers = PEER_SAMPLER if self.optuna_gp_runs() else PEER_SAMPLER_WITHOUT_TORCH
        if peer_samplers["gp"] != "gp":
            self.log("tuning samplers: Optuna's GPSampler needs PyTorch 2: our GP is compared with Optuna's TPE")
        ours = self.lines("trainbook", "regret", samplers="tpe,gp,random", **common)
        theirs = self.lines("optuna", "regret", samplers=",".join(sorted(set(peer_samplers.values()))), **common)
        checkpoints = [n for n in (20, 50, 100) if n <= s.tuning_trials] or [s.tuning_trials]

        def regrets(lines: list[dict], function: str, sampler: str, trials: int) -> list[float]:
            return [
                line["best"][trials - 1] - line["minimum"]
                for line in lines
                if line["function"] == function and line["sampler"] == sampler
            ]

        figures = []
        for function, title in FUNCTION_TITLES.items():
            for trials in checkpoints:
                for sampler in ("tpe", "gp", "random"):
                    peer_sampler = peer_samplers[sampler]
                    mine = regrets(ours, function, sampler, trials)
                    peer = regrets(theirs, function, peer_sampler, trials)
                    tolerance = math.hypot(standard_error(mine), standard_error(peer))
                    peer_mean = mean(peer)
                    figures.append(
                        Figure(
                            key=f"tuning.regret.{function}.{sampler}.{trials}", group="Tuning: sampler quality",
                            name=f"{title}, {SAMPLER_TITLES[sampler]}, regret after {trials} trials "
                                 f"(mean of {len(mine)} seeds)",
                            unit="", trainbook=mean(mine), peer_name=f"Optuna {SAMPLER_TITLES[peer_sampler]}",
                            peer=peer_mean,
                            max_value=None if peer_mean is None else peer_mean + tolerance,
                            note=f"standard errors {standard_error(mine):.3g} and {standard_error(peer):.3g}",
                            samples={"trainbook": mine, "optuna": peer},
                        )
                    )  # fmt: skip
        return figures

    # MARK: overhead

    def overhead(self) -> list[Figure]:
        s = self.settings
        common = {"functions": "hartmann6", "seeds": "1", "trials": str(s.overhead_trials)}
        ours = self.lines("trainbook", "overhead", samplers="tpe,random", **common)
        theirs = self.lines("optuna", "overhead", samplers="tpe,random", **common)
        checkpoints = [n for n in (100, 1000) if n <= s.overhead_trials] or [s.overhead_trials]

        def per_trial(lines: list[dict], sampler: str, trials: int) -> list[float]:
            # The 10 trials that end at `trials` finished trials (fewer in quick runs).
            window = min(10, max(trials - 10, 1))
            return [
                value
                for line in lines
                if line["sampler"] == sampler
                for value in line["milliseconds"][trials - window : trials]
            ]

        figures = []
        for sampler in ("tpe", "random"):
            for trials in checkpoints:
                mine, peer = per_trial(ours, sampler, trials), per_trial(theirs, sampler, trials)
                figures.append(
                    Figure(
                        key=f"tuning.overhead.{sampler}.{trials}", group="Tuning: overhead per trial",
                        name=f"{SAMPLER_TITLES[sampler]}, CPU time per trial at {trials} trials "
                             "(Hartmann-6; ask, suggest, tell)",
                        unit="ms", trainbook=statistics.median(mine) if mine else None,
                        peer_name=f"Optuna {SAMPLER_TITLES[sampler]}",
                        peer=statistics.median(peer) if peer else None,
                        max_ratio=0.1 if sampler == "tpe" else None,
                        samples={"trainbook_ms": mine, "optuna_ms": peer},
                    )
                )  # fmt: skip
        return figures

    # MARK: pruning

    def pruning(self) -> list[Figure]:
        s = self.settings
        common = {
            "samplers": "tpe", "pruners": "none,hyperband,asha", "seeds": str(s.pruning_seeds),
            "trials": str(s.pruning_trials), "epochs": str(s.pruning_epochs),
        }  # fmt: skip
        ours = self.lines("trainbook", "pruning", **common)
        theirs = self.lines("optuna", "pruning", **common)
        # Two targets: within half a point of the best accuracy any parameters reach (the full
        # run's question, which a short run may not answer), and the best accuracy that every
        # run of both libraries reached (always answered: "the same best value").
        near_best = best_curve_accuracy(s.pruning_epochs) - 0.005
        finals = [line["best"][-1] for line in ours + theirs]
        common_best = min(value if value is not None else -math.inf for value in finals)

        def epochs_to(line: dict, target: float) -> float | None:
            for epochs, best in zip(line["epochs"], line["best"]):
                if best is not None and best >= target:
                    return epochs
            return None

        figures = []
        for pruner in ("none", "hyperband", "asha"):
            mine = [line for line in ours if line["pruner"] == pruner]
            peer = [line for line in theirs if line["pruner"] == pruner]
            for key, target, title in (
                ("epochs_to_common_best", common_best, f"the best every run reached ({common_best:.4f})"),
                ("epochs_to_near_best", near_best, f"within 0.5 points of the best possible ({near_best + 0.005:.4f})"),
            ):
                mine_epochs = [epochs_to(line, target) for line in mine]
                peer_epochs = [epochs_to(line, target) for line in peer]
                reached = (sum(e is not None for e in mine_epochs), sum(e is not None for e in peer_epochs))
                if key == "epochs_to_near_best" and 0 in reached:
                    self.log(f"tuning pruning {pruner}: within 0.5 points of the best reached by "
                             f"{reached[0]} and {reached[1]} seeds of {len(mine)}: no figure")
                    continue
                figures.append(
                    Figure(
                        key=f"tuning.pruning.{pruner}.{key}", group="Tuning: pruning",
                        name=f"TPE, {PRUNER_TITLES[pruner]}: epochs until {title} (mean over the seeds that got there)",
                        unit="epochs", trainbook=mean([e for e in mine_epochs if e is not None]),
                        peer_name=f"Optuna, {PRUNER_TITLES[pruner]}",
                        peer=mean([e for e in peer_epochs if e is not None]),
                        note=f"seeds that reached it: {reached[0]} of {len(mine)} and {reached[1]} of {len(peer)}",
                        samples={"trainbook": mine_epochs, "optuna": peer_epochs},
                    )
                )  # fmt: skip
            figures.append(
                Figure(
                    key=f"tuning.pruning.{pruner}.best", group="Tuning: pruning",
                    name=f"TPE, {PRUNER_TITLES[pruner]}: best accuracy after {s.pruning_trials} trials (mean)",
                    unit="", trainbook=mean([line["best"][-1] for line in mine if line["best"][-1] is not None]),
                    peer_name=f"Optuna, {PRUNER_TITLES[pruner]}",
                    peer=mean([line["best"][-1] for line in peer if line["best"][-1] is not None]),
                    samples={"trainbook": [line["best"][-1] for line in mine],
                             "optuna": [line["best"][-1] for line in peer]},
                )
            )  # fmt: skip
            figures.append(
                Figure(
                    key=f"tuning.pruning.{pruner}.epochs", group="Tuning: pruning",
                    name=f"TPE, {PRUNER_TITLES[pruner]}: epochs used by {s.pruning_trials} trials (mean)",
                    unit="epochs", trainbook=mean([line["epochs"][-1] for line in mine]),
                    peer_name=f"Optuna, {PRUNER_TITLES[pruner]}",
                    peer=mean([line["epochs"][-1] for line in peer]),
                    samples={"trainbook": [line["epochs"][-1] for line in mine],
                             "optuna": [line["epochs"][-1] for line in peer]},
                )
            )  # fmt: skip
        return figures
