"""Optuna's side of the tuning benchmarks (bench/harness/tuning.py): the same test functions,
synthetic learning curves and JSON lines as trainbook-tune-bench, with Optuna's samplers and
pruners at their defaults (TPESampler: multivariate with the constant liar, 10 start-up trials).

python optuna_tune.py regret|overhead|pruning [--functions F,…] [--samplers tpe,gp,random]
    [--pruners none,hyperband,asha] [--seeds N] [--first-seed N] [--trials N] [--epochs N]
(every combination of the lists, each for every seed; one JSON line per study).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import time

import optuna

BRANIN_MINIMUM = 0.397887357729739
HARTMANN6_MINIMUM = -3.322368011415515
MINIMA = {"branin": BRANIN_MINIMUM, "hartmann6": HARTMANN6_MINIMUM, "rosenbrock5c": 0.0}

HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def branin(x1: float, x2: float) -> float:
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(x: list[float]) -> float:
    total = 0.0
    for i in range(4):
        exponent = sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-exponent)
    return -total


def rosenbrock(x: list[float]) -> float:
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def evaluate(function: str, trial: optuna.Trial) -> float:
    """The test function at the parameters the trial asks for (the domains of TestFunction.swift)."""
    if function == "branin":
        return branin(trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15))
    if function == "hartmann6":
        return hartmann6([trial.suggest_float(f"x{i}", 0, 1) for i in range(1, 7)])
    x = [trial.suggest_float(f"x{i}", -2, 2) for i in range(1, 5)]
    x.append(float(trial.suggest_categorical("x5", ["-1", "0", "1", "2"])))
    return rosenbrock(x)


class LearningCurve:
    """The synthetic training run of LearningCurve.swift: the same formula."""

    def __init__(self, trial: optuna.Trial) -> None:
        self.rate = trial.suggest_float("learningRate", 1e-4, 1e-1, log=True)
        self.units = trial.suggest_categorical("units", [32, 64, 128, 256])
        self.dropout = trial.suggest_float("dropout", 0, 0.5)

    @property
    def final(self) -> float:
        rate = math.log10(self.rate) + 2.5
        width = math.log2(self.units / 128)
        drop = self.dropout - 0.2
        return 0.92 - 0.05 * rate * rate - 0.01 * width * width - 0.3 * drop * drop

    def accuracy(self, epoch: int) -> float:
        speed = 0.15 * math.sqrt(self.rate / 1e-3)
        return self.final - (self.final - 0.1) * math.exp(-epoch * speed)


def sampler(name: str, seed: int) -> optuna.samplers.BaseSampler:
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed)
    return optuna.samplers.RandomSampler(seed=seed)


def pruner(name: str, epochs: int) -> optuna.pruners.BasePruner:
    if name == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=epochs, reduction_factor=3)
    if name == "asha":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    return optuna.pruners.NopPruner()


def header(event: str, options: argparse.Namespace, seed: int) -> dict:
    return {"event": event, "library": "optuna", "optuna": optuna.__version__, "function": options.function,
            "sampler": options.sampler, "seed": seed, "trials": options.trials}  # fmt: skip


def regret(options: argparse.Namespace, seed: int) -> dict:
    study = optuna.create_study(
        study_name=f"bench-{seed}", direction="minimize", sampler=sampler(options.sampler, seed)
    )
    best, trace = math.inf, []
    start = time.perf_counter()
    for _ in range(options.trials):
        trial = study.ask()
        value = evaluate(options.function, trial)
        study.tell(trial, value)
        best = min(best, value)
        trace.append(best)
    return header("regret", options, seed) | {
        "minimum": MINIMA[options.function], "seconds": time.perf_counter() - start, "best": trace,
    }  # fmt: skip


def overhead(options: argparse.Namespace, seed: int) -> dict:
    study = optuna.create_study(
        study_name=f"bench-{seed}", direction="minimize", sampler=sampler(options.sampler, seed)
    )
    milliseconds = []
    for _ in range(options.trials):
        # The process's CPU time for the whole trial (ask, the suggestions, tell), as
        # trainbook-tune-bench measures it.
        start = time.process_time()
        trial = study.ask()
        study.tell(trial, evaluate(options.function, trial))
        milliseconds.append((time.process_time() - start) * 1000)
    return header("overhead", options, seed) | {"milliseconds": milliseconds}


def pruning(options: argparse.Namespace, seed: int) -> dict:
    # A fixed name: Optuna's Hyperband assigns brackets by a hash of the study's name.
    study = optuna.create_study(
        study_name=f"bench-{seed}", direction="maximize", sampler=sampler(options.sampler, seed),
        pruner=pruner(options.pruner, options.epochs),
    )  # fmt: skip
    epochs, best, pruned = 0, -math.inf, 0
    epoch_trace, best_trace = [], []
    for _ in range(options.trials):
        trial = study.ask()
        curve = LearningCurve(trial)
        value, stopped = math.nan, False
        for epoch in range(1, options.epochs + 1):
            epochs += 1
            value = curve.accuracy(epoch)
            trial.report(value, epoch)
            if trial.should_prune():
                stopped = True
                break
        if stopped:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            pruned += 1
        else:
            study.tell(trial, value)
            best = max(best, value)
        epoch_trace.append(float(epochs))
        best_trace.append(best if math.isfinite(best) else None)
    return header("pruning", options, seed) | {
        "pruner": options.pruner, "pruned": pruned, "epochs": epoch_trace, "best": best_trace,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(prog="optuna_tune.py")
    parser.add_argument("task", choices=["regret", "overhead", "pruning"])
    parser.add_argument("--functions", default="branin")
    parser.add_argument("--samplers", default="tpe")
    parser.add_argument("--pruners", default="none")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=9)
    options = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    task = {"regret": regret, "overhead": overhead, "pruning": pruning}[options.task]
    lists = {"functions": sorted(MINIMA), "samplers": ["tpe", "gp", "random"], "pruners": ["none", "hyperband", "asha"]}
    chosen = {}
    for name, allowed in lists.items():
        chosen[name] = getattr(options, name).split(",")
        if unknown := [item for item in chosen[name] if item not in allowed]:
            parser.error(f"--{name} takes {', '.join(allowed)}, not {', '.join(unknown)}")
    for function, sampler_name, pruner_name in itertools.product(*chosen.values()):
        options.function, options.sampler, options.pruner = function, sampler_name, pruner_name
        for seed in range(options.first_seed, options.first_seed + options.seeds):
            print(json.dumps(task(options, seed)), flush=True)


if __name__ == "__main__":
    main()
