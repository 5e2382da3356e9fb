"""bench/cluster/allreduce_copies.py: allReduce from a rank's cell, before and after it reduced
in place (one copy of the tensor instead of about four), against MPI_Allreduce from the minimal
C program under the cluster's own mpirun options (as bench/cluster/run.py), in one run,
alternating (C, before, after, …), each timed as the C program times itself; the median of the
per-round ratios and their range; only same-run ratios mean anything.

usage: python bench/cluster/allreduce_copies.py BEFORE_DIR AFTER_DIR [--rounds N]
  (each DIR holds a trainbook and its trainbook-worker)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    c_program = compile_c_allreduce()
    env = dict(os.environ, **MPI_ENV)
    os.environ.update(MPI_ENV)
    kernels = {}
    for name, directory in (("before", options.before), ("after", options.after)):
        kernel = start_allreduce_ranks(Path(directory) / "trainbook", f"tb-bench-copies-{name}")
        kernels[name] = kernel
    times: dict[str, dict[str, list[float]]] = {k: {"0.4 MB": [], "40 MB": []} for k in ("C", "before", "after")}
    for round_index in range(options.rounds):
        output = subprocess.run(
            ["mpirun", "--bind-to", "none", "-np", "2", str(c_program), str(SAMPLES),
             "409600", "41943040"],
            env=env, check=True, capture_output=True, text=True).stdout
        for line in output.splitlines():
            record = json.loads(line)
            if record["bytes"] == 409600:
                times["C"]["0.4 MB"].append(record["seconds"])
            if record["bytes"] == 41943040:
                times["C"]["40 MB"].append(record["seconds"])
        for name, kernel in kernels.items():
            small, large = cell_allreduce_seconds(kernel)
            times[name]["0.4 MB"].append(small)
            times[name]["40 MB"].append(large)
        print(f"round {round_index + 1}/{options.rounds} done", file=sys.stderr)
    for kernel in kernels.values():
        kernel.run("%cluster stop")
        kernel.close()
    median = {k: {size: statistics.median(v) for size, v in sizes.items()} for k, sizes in times.items()}

    def ratios(name: str, size: str) -> dict[str, float]:
        """C's time over the build's, per round: median and range."""
        values = sorted(c / t for c, t in zip(times["C"][size], times[name][size]))
        return {"median": statistics.median(values), "min": values[0], "max": values[-1]}

    result = {
        "cpu": cpu_name(), "rounds": options.rounds, "load_average": os.getloadavg(),
        "seconds_per_allreduce": median, "seconds_by_round": times,
        "throughput_vs_C": {
            name: {size: ratios(name, size) for size in ("0.4 MB", "40 MB")}
            for name in ("before", "after")
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
