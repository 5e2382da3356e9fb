"""Records Optuna's pruning decisions on fixed learning curves, for the unit test that replays
the same curves through Trainbook's pruners (Tests/TuneTests/OptunaPrunerParityTests.swift).

python optuna_pruner_decisions.py > Tests/TuneTests/Fixtures/optuna-pruner-decisions.json

The curves are deterministic (a linear congruential generator, values rounded to 4 decimals so
that JSON carries them exactly): each trial climbs towards its own final accuracy at its own
speed, with noise, as validation accuracies do. Each case runs the trials one after another,
reporting steps 1…9 and stopping a trial the first time Optuna's pruner says so; the fixture
holds, per case, the step each trial was pruned at (null when it completed).
"""

from __future__ import annotations

import json
import math

import optuna

TRIALS = 40
STEPS = 9


def curves() -> list[list[float]]:
    state = 12345

    def uniform() -> float:
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (state >> 11) / 2**53

    result = []
    for _ in range(TRIALS):
        final = 0.6 + 0.3 * uniform()
        speed = 0.1 + 0.9 * uniform()
        result.append([
            round(final - (final - 0.1) * math.exp(-speed * step) + 0.01 * (uniform() - 0.5), 4)
            for step in range(1, STEPS + 1)
        ])
    return result


CASES = {
    "successiveHalving(minResource: 1, reductionFactor: 3)":
        lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3),
    "successiveHalving(minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 1)":
        lambda: optuna.pruners.SuccessiveHalvingPruner(
            min_resource=1, reduction_factor=3, min_early_stopping_rate=1),
    "successiveHalving(minResource: 2, reductionFactor: 2)":
        lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=2, reduction_factor=2),
    "median(warmupSteps: 0, startupTrials: 5)":
        lambda: optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0),
    "median(warmupSteps: 3, startupTrials: 5)":
        lambda: optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=3),
}


def run(pruner: optuna.pruners.BasePruner, values: list[list[float]]) -> list[int | None]:
    study = optuna.create_study(direction="maximize", pruner=pruner)
    pruned_at: list[int | None] = []
    for curve in values:
        trial = study.ask()
        stopped = None
        for step, value in enumerate(curve, start=1):
            trial.report(value, step)
            if trial.should_prune():
                stopped = step
                break
        if stopped is None:
            study.tell(trial, curve[-1])
        else:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        pruned_at.append(stopped)
    return pruned_at


def main() -> None:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    values = curves()
    cases = {name: run(make(), values) for name, make in CASES.items()}
    print(json.dumps({"optuna": optuna.__version__, "curves": values, "prunedAt": cases}, indent=1))


if __name__ == "__main__":
    main()
