"""Records the log densities of Optuna's Parzen estimator (the model inside its TPESampler) for
fixed observations, for the unit test that builds the same estimator in Trainbook
(Tests/TuneTests/OptunaParzenParityTests.swift).

python optuna_parzen_densities.py > Tests/TuneTests/Fixtures/optuna-parzen-densities.json

One space has a float, a log-scaled float and a choice of four, another three integers (plain,
log-scaled, with a step); observations and query points are fixed. Both libraries evaluate a log-scaled float's kernels on its logarithm.
"""

from __future__ import annotations

import json
import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

SPACE = {
    "x": FloatDistribution(-5, 10),
    "rate": FloatDistribution(1e-4, 1e-1, log=True),
    "kind": CategoricalDistribution(["a", "b", "c", "d"]),
}
OBSERVATIONS = [
    [-4.0, 3e-4, 0], [2.5, 1e-2, 1], [9.0, 5e-2, 3], [0.1, 1e-3, 1], [3.3, 2e-3, 2],
    [7.7, 8e-2, 0], [-1.2, 4e-4, 1], [5.0, 1.5e-4, 3],
]
QUERIES = [[-4.5, 2e-4, 0], [0.0, 1e-3, 1], [3.0, 3e-3, 2], [9.9, 9e-2, 3], [6.0, 1e-2, 1]]
# Integers: Optuna's discrete kernels (a kernel's mass on the value's cell, ± half a step).
DISCRETE_SPACE = {
    "layers": IntDistribution(1, 6),
    "units": IntDistribution(8, 512, log=True),
    "batch": IntDistribution(16, 256, step=16),
}
DISCRETE_OBSERVATIONS = [[2, 64, 32], [5, 300, 128], [1, 9, 256], [3, 128, 64], [6, 512, 16]]
DISCRETE_QUERIES = [[1, 8, 16], [2, 64, 32], [4, 100, 96], [6, 500, 256], [3, 20, 240]]


def main() -> None:
    parameters = _ParzenEstimatorParameters(
        prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False,
        weights=default_weights, multivariate=True,
    )

    def densities(space: dict, rows: list, queries: list) -> list[float]:
        observations = {name: np.array([row[i] for row in rows], dtype=float) for i, name in enumerate(space)}
        estimator = _ParzenEstimator(observations, space, parameters)
        samples = {name: np.array([q[i] for q in queries], dtype=float) for i, name in enumerate(space)}
        return estimator.log_pdf(samples).tolist()

    cases = [
        {"observations": OBSERVATIONS[:count], "logDensities": densities(SPACE, OBSERVATIONS[:count], QUERIES)}
        for count in (1, 3, len(OBSERVATIONS))
    ]
    discrete = [
        {"observations": DISCRETE_OBSERVATIONS[:count],
         "logDensities": densities(DISCRETE_SPACE, DISCRETE_OBSERVATIONS[:count], DISCRETE_QUERIES)}
        for count in (1, len(DISCRETE_OBSERVATIONS))
    ]  # fmt: skip
    print(json.dumps({
        "optuna": optuna.__version__, "queries": QUERIES, "cases": cases,
        "discreteQueries": DISCRETE_QUERIES, "discreteCases": discrete,
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
