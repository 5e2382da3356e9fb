"""bench/cluster/allreduce_algorithms.py: allReduce from a rank's cell (2 ranks, the
point-to-point path) against MPI_Allreduce from the minimal C program (allreduce.c) under Open
MPI's own algorithm selection (`coll_tuned`: default rules, and forced by
`--mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allreduce_algorithm N`, N = 3 recursive
doubling, 4 ring, 6 rabenseifner), and against the cell with every allreduce left to Open
MPI (`TRAINBOOK_CLUSTER_ALLREDUCE=mpi`: `MPI_Iallreduce`, i.e. libnbc, which coll_tuned does
not drive: its default, and its ring forced by `coll_libnbc_iallreduce_algorithm=1`), for
0.4 MB and 40 MB, in one run, alternating (C default, C 3, C 4, C 6, cell, cell mpi, cell
mpi ring, …), each timed as the C program times itself; the per-round ratios (the other's
time over the cell's: above 1, the cell's point-to-point path is faster) with their median
and range; only same-run ratios mean anything.

usage: python bench/cluster/allreduce_algorithms.py BUILD_DIR [--rounds N]
  (BUILD_DIR holds a trainbook and its trainbook-worker; run from a Python with jupyter_client)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import MPI_ENV, SAMPLES, cell_allreduce_seconds, compile_c_allreduce, cpu_name, start_allreduce_ranks  # noqa: E402

ALGORITHMS = {"C default": [], "C 3 recursive doubling": ["3"], "C 4 ring": ["4"], "C 6 rabenseifner": ["6"]}
SIZES = {409600: "0.4 MB", 41943040: "40 MB"}
CELLS = {
    "cell": {},
    "cell mpi": {"TRAINBOOK_CLUSTER_ALLREDUCE": "mpi"},
    "cell mpi ring": {"TRAINBOOK_CLUSTER_ALLREDUCE": "mpi", "OMPI_MCA_coll_libnbc_iallreduce_algorithm": "1"},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    c_program = compile_c_allreduce()
    env = dict(os.environ, **MPI_ENV)
    os.environ.update(MPI_ENV)
    kernels = {}
    for name, settings in CELLS.items():
        saved = dict(os.environ)
        os.environ.update(settings)
        kernel = start_allreduce_ranks(Path(options.build) / "trainbook", f"tb-bench-algorithms-{len(kernels)}")
        os.environ.clear()
        os.environ.update(saved)
        kernels[name] = kernel
    names = [*ALGORITHMS, *CELLS]
    times: dict[str, dict[str, list[float]]] = {k: {s: [] for s in SIZES.values()} for k in names}
    for round_index in range(options.rounds):
        for name, algorithm in ALGORITHMS.items():
            mca = (["--mca", "coll_tuned_use_dynamic_rules", "1", "--mca", "coll_tuned_allreduce_algorithm", algorithm[0]]
                   if algorithm else [])  # fmt: skip
            output = subprocess.run(
                ["mpirun", "--bind-to", "none", *mca, "-np", "2", str(c_program), str(SAMPLES),
                 *map(str, SIZES)],
                env=env, check=True, capture_output=True, text=True).stdout  # fmt: skip
            for line in output.splitlines():
                record = json.loads(line)
                times[name][SIZES[record["bytes"]]].append(record["seconds"])
        for name, kernel in kernels.items():
            small, large = cell_allreduce_seconds(kernel)
            times[name]["0.4 MB"].append(small)
            times[name]["40 MB"].append(large)
        print(f"round {round_index + 1}/{options.rounds} done", file=sys.stderr)
    for kernel in kernels.values():
        kernel.run("%cluster stop")
        kernel.close()

    def ratios(name: str, size: str) -> dict[str, float]:
        values = sorted(c / t for c, t in zip(times[name][size], times["cell"][size]))
        return {"median": statistics.median(values), "min": values[0], "max": values[-1]}

    result = {
        "cpu": cpu_name(), "rounds": options.rounds, "load_average": os.getloadavg(),
        "seconds_median": {k: {s: statistics.median(v) for s, v in by.items()} for k, by in times.items()},
        "seconds_by_round": times,
        "time_over_cell_time": {name: {s: ratios(name, s) for s in SIZES.values()} for name in names if name != "cell"},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
