"""Records the log densities of Optuna's Parzen estimator (the model inside its TPESampler) for
fixed observations, for the unit test that builds the same estimator in Trainbook
(Tests/TuneTests/OptunaParzenParityTests.swift).

python optuna_parzen_densities.py > Tests/TuneTests/Fixtures/optuna-parzen-densities.json

The space has a float, a log-scaled float and a choice of four; observations and query points
are fixed. Both libraries evaluate a log-scaled float's kernels on its logarithm.
"""

from __future__ import annotations

import json
import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution
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


def main() -> None:
    parameters = _ParzenEstimatorParameters(
        prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False,
        weights=default_weights, multivariate=True,
    )
    cases = []
    for count in (1, 3, len(OBSERVATIONS)):
        rows = OBSERVATIONS[:count]
        observations = {name: np.array([row[i] for row in rows], dtype=float) for i, name in enumerate(SPACE)}
        estimator = _ParzenEstimator(observations, SPACE, parameters)
        samples = {name: np.array([q[i] for q in QUERIES], dtype=float) for i, name in enumerate(SPACE)}
        densities = estimator.log_pdf(samples)
        cases.append({"observations": rows, "logDensities": densities.tolist()})
    print(json.dumps({"optuna": optuna.__version__, "queries": QUERIES, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
