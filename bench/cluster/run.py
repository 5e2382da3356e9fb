"""bench/cluster: the cluster's two measured claims, side by side in one run (issue 16).

1. A data-parallel epoch of the MLP (784-128-10, the bundled MNIST subset's 4,000 training
   images) on 2 ranks × 1 thread, batch 64 per rank, against one process × 2 threads, batch 128:
   the same updates (see test_cluster.py), so the ratio is the cost of spreading the work.
2. allReduce throughput from a rank's cell for 0.4 MB and 40 MB tensors against MPI_Allreduce
   called from a minimal C program (allreduce.c) on the same 2 ranks.
Also the α–β fit of the C program's times (docs/distributed.md).

Runs alternate (C, Trainbook, C, …); medians; only same-run ratios mean anything.

usage: python bench/cluster/run.py [--rounds N] [--bin DIR]   (DIR: the build with trainbook and
       trainbook-worker; default: the release build if there is one, else the debug build)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def build_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    release = ROOT / ".build" / "release"
    if (release / "trainbook").exists() and (release / "trainbook-worker").exists():
        return release
    return ROOT / ".build" / "debug"


class Kernel:
    def __init__(self, binary: Path, name: str):
        base = tempfile.mkdtemp()
        subprocess.run([str(binary), "install", "--prefix", base, "--name", name], check=True, capture_output=True)
        os.environ["JUPYTER_PATH"] = base + "/share/jupyter"
        self.manager, self.client = start_new_kernel(kernel_name=name)

    def run(self, code: str, timeout: float = 1200) -> str:
        outputs = []
        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{code[:60]}…: {reply['content'].get('evalue')}\n{text}")
        return text

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def seconds(text: str, pattern: str, rank: int | None = None) -> float:
    prefix = f"\\[rank {rank}\\] " if rank is not None else ""
    match = re.search(prefix + pattern + r"\s*([0-9.]+) (ns|µs|us|ms|s)\b", text)
    if not match:
        raise RuntimeError(f"no {pattern} in {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


MLP = """
let data = MNIST().train
func makeModel() { Sequential { Flatten(); Dense(784, 128); ReLU(); Dense(128, 10) } }
seed(1)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bin")
    options = parser.parse_args()
    binaries = build_dir(options.bin)
    c_program = Path(tempfile.mkdtemp()) / "allreduce"
    subprocess.run(["mpicc", "-O2", str(ROOT / "bench/cluster/allreduce.c"), "-o", str(c_program)], check=True)
    env = dict(os.environ, **MPI_ENV)
    os.environ.update(MPI_ENV)

    ranks = Kernel(binaries / "trainbook", "tb-bench-cluster")
    try:
        run_rounds(options, ranks, binaries, c_program, env)
    except Exception:  # the kernels' client threads would keep a failed run alive
        import traceback

        traceback.print_exc()
        os._exit(1)
    ranks.close()


def run_rounds(options, ranks, binaries, c_program, env) -> None:
    single = Kernel(binaries / "trainbook", "tb-bench-single")
    ranks.run("%cluster start 2 --threads-per-rank 1 --timeout 300", timeout=400)
    ranks.run("%%cluster\n" + MLP + "let small = Tensor.zeros([102_400])\nlet large = Tensor.zeros([10_485_760])")
    single.run(MLP)

    c_times: dict[int, list[float]] = {}
    cell_small, cell_large, epoch_ranks, epoch_single = [], [], [], []
    for round_index in range(options.rounds):
        output = subprocess.run(
            ["mpirun", "--oversubscribe", "--bind-to", "none", "-np", "2", str(c_program), "3"],
            env=env, check=True, capture_output=True, text=True).stdout
        for line in output.splitlines():
            record = json.loads(line)
            c_times.setdefault(record["bytes"], []).append(record["seconds"])
        text = ranks.run(
            "%%cluster\nbarrier()\n%time for _ in 0..<20 { allReduce(small) }\n"
            "barrier()\n%time for _ in 0..<3 { allReduce(large) }")
        walls = re.findall(r"\[rank 0\] Wall time: ([0-9.]+) (ns|µs|us|ms|s)", text)
        cell_small.append(float(walls[0][0]) * UNITS[walls[0][1]] / 20)
        cell_large.append(float(walls[1][0]) * UNITS[walls[1][1]] / 3)
        text = ranks.run(
            "%%cluster\nseed(1)\nlet m = makeModel()\n"
            "%time m.fit(data.shard(rank, of: worldSize), epochs: 1, batchSize: 64, "
            "optimizer: SGD(learningRate: 0.05), verbose: false, distributed: .dataParallel)")
        epoch_ranks.append(seconds(text, "Wall time:", rank=0))
        text = single.run(
            "seed(1)\nlet m = makeModel()\n"
            "%time m.fit(data, epochs: 1, batchSize: 128, optimizer: SGD(learningRate: 0.05), verbose: false)")
        epoch_single.append(seconds(text, "Wall time:"))
        print(f"round {round_index + 1}/{options.rounds} done", file=sys.stderr)
    # Compute per step (batch 64, 1 thread, no communication) for the α–β scaling estimate.
    cnn = ("Sequential { Conv2D(1, 32, kernelSize: 3, activation: .relu); MaxPool2D(2); "
           "Conv2D(32, 64, kernelSize: 3, activation: .relu); MaxPool2D(2); Flatten(); "
           "Dense(1600, 128, activation: .relu); Dense(128, 10) }")
    text = ranks.run(
        "%%cluster\nseed(2)\nlet alone = makeModel()\n"
        "%time alone.fit(data.prefix(2048), epochs: 1, batchSize: 64, optimizer: SGD(learningRate: 0.05), verbose: false)\n"
        f"let conv = {cnn}\n"
        "%time conv.fit(data.prefix(512), epochs: 1, batchSize: 64, optimizer: SGD(learningRate: 0.05), verbose: false)")
    step_times = re.findall(r"\[rank 0\] Wall time: ([0-9.]+) (ns|µs|us|ms|s)", text)
    mlp_step = float(step_times[0][0]) * UNITS[step_times[0][1]] / 32
    cnn_step = float(step_times[1][0]) * UNITS[step_times[1][1]] / 8
    ranks.run("%cluster stop")
    single.close()

    median = statistics.median
    c = {size: median(times) for size, times in c_times.items()}
    # α–β: one allreduce of n bytes on p = 2 ranks (ring or recursive doubling: 2 steps of
    # α + n/2 β each for the ring) ≈ 2α + n β; least squares over the sizes.
    sizes = sorted(c)
    xs, ys = [float(s) for s in sizes], [c[s] for s in sizes]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    beta = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    alpha = max(c[sizes[0]] / 2, 0.0)
    result = {
        "cpu": cpu_name(), "build": binaries.name, "rounds": options.rounds,
        "load_average": os.getloadavg(),
        "mlp_epoch_seconds": {"2 ranks x 1 thread": median(epoch_ranks), "1 process x 2 threads": median(epoch_single)},
        "mlp_speed_ratio": median(epoch_single) / median(epoch_ranks),
        "allreduce_seconds": {
            "0.4 MB": {"trainbook cell": median(cell_small), "C MPI_Allreduce": c[409600]},
            "40 MB": {"trainbook cell": median(cell_large), "C MPI_Allreduce": c[41943040]},
        },
        "allreduce_throughput_ratio": {
            "0.4 MB": c[409600] / median(cell_small), "40 MB": c[41943040] / median(cell_large)},
        "alpha_seconds": alpha, "beta_seconds_per_byte": beta,
        "c_allreduce_seconds_by_bytes": c,
        "step_seconds_batch64_1thread": {"mlp": mlp_step, "cnn": cnn_step},
        "parameters": {"mlp": 101_770, "cnn": 225_034},
    }
    out = ROOT / "bench/results/cluster-latest.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
