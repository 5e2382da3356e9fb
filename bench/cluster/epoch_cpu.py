"""bench/cluster/epoch_cpu.py: where a data-parallel epoch's time goes on a loaded machine. The
CPU time each rank spends per epoch of the MLP (bench/cluster/run.py's, 2 ranks × 1 thread,
batch 64 on each rank's shard) with data-parallel training and without any communication (each
rank fitting its shard alone), for two builds, in alternating rounds; also the wall time of both
against one process × 2 threads (batch 128), as run.py measures it.

On 2 vCPUs shared with a load of 20, a rank runs at well under a tenth of a CPU (`perf stat`),
so the wall time follows the CPU time: what the communication costs in CPU is what a loaded
machine makes it cost in time, roughly tenfold.

usage: python bench/cluster/epoch_cpu.py BEFORE_DIR AFTER_DIR [--rounds N] [--after-env K=V ...]
  (each DIR holds a trainbook and its trainbook-worker; a Python with jupyter_client;
  --after-env: environment variables for the AFTER kernel and its ranks only, e.g.
  TRAINBOOK_CLUSTER_ALLREDUCE=mpi to compare against Open MPI's own allreduce)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import MLP, MPI_ENV, UNITS, Kernel, cpu_name, seconds  # noqa: E402

EPOCHS = 3


def fit(kernel: Kernel, distributed: bool) -> tuple[float, float]:
    """Rank 0's wall seconds and the ranks' mean CPU seconds, per epoch."""
    text = kernel.run(
        "%%cluster\nseed(1)\nlet m = makeModel()\n"
        f"%time m.fit(data.shard(rank, of: worldSize), epochs: {EPOCHS}, batchSize: 64, "
        "optimizer: SGD(learningRate: 0.05), verbose: false"
        + (", distributed: .dataParallel)" if distributed else ")"))
    cpu = re.findall(r"\[rank \d\] CPU times: .*total: ([0-9.]+) (ns|µs|us|ms|s)", text)
    mean_cpu = sum(float(v) * UNITS[u] for v, u in cpu) / len(cpu)
    return seconds(text, "Wall time:", rank=0) / EPOCHS, mean_cpu / EPOCHS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--after-env", nargs="*", default=[])
    options = parser.parse_args()
    os.environ.update(MPI_ENV)
    kernels = {}
    for name, directory in (("before", options.before), ("after", options.after)):
        saved = dict(os.environ)
        if name == "after":
            os.environ.update(setting.split("=", 1) for setting in options.after_env)
        kernel = Kernel(Path(directory) / "trainbook", f"tb-bench-epoch-cpu-{name}")
        kernel.run("%cluster start 2 --threads-per-rank 1 --timeout 300", timeout=400)
        os.environ.clear()
        os.environ.update(saved)
        kernel.run("%%cluster\n" + MLP)
        kernels[name] = kernel
    single = Kernel(Path(options.after) / "trainbook", "tb-bench-epoch-cpu-single")
    single.run(MLP)
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for round_index in range(options.rounds):
        # Every other round the other build goes first: which one runs first in a round
        # matters here (an A/A control of the same build gave the second 0.83-0.93x the time).
        order = list(kernels.items())
        for name, kernel in order if round_index % 2 == 0 else reversed(order):
            for label, distributed in (("data-parallel", True), ("no communication", False)):
                w, c = fit(kernel, distributed)
                wall.setdefault(f"{name}, {label}", []).append(w)
                cpu.setdefault(f"{name}, {label}", []).append(c)
        text = single.run(
            "seed(1)\nlet m = makeModel()\n"
            f"%time m.fit(data, epochs: {EPOCHS}, batchSize: 128, optimizer: SGD(learningRate: 0.05), verbose: false)")
        wall.setdefault("1 process x 2 threads", []).append(seconds(text, "Wall time:") / EPOCHS)
        # The one process keeps a CPU busy for about 0.1 s after its fit returns (90-110 ms of
        # CPU in the next 0.1 s, measured): the next round's first data-parallel fit, which
        # followed at once, then ran at ~35 ms an epoch instead of ~12 on an idle machine.
        time.sleep(0.5)
        print(f"round {round_index + 1}/{options.rounds} done", file=sys.stderr)
    for kernel in (*kernels.values(), single):
        if kernel is not single:
            kernel.run("%cluster stop")
        kernel.close()
    one = wall["1 process x 2 threads"]
    result = {
        "cpu": cpu_name(), "rounds": options.rounds, "load_average": os.getloadavg(),
        "cpu_ms_per_rank_per_epoch_median": {k: statistics.median(v) * 1e3 for k, v in cpu.items()},
        "speed_vs_one_process_median_of_rounds": {
            k: statistics.median(s / t for s, t in zip(one, v))
            for k, v in wall.items() if k != "1 process x 2 threads"
        },
        "cpu_seconds_by_round": cpu, "wall_seconds_by_round": wall,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
