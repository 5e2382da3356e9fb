"""bench/cluster: the cluster's measured claims, side by side in one run (issue 16).

1. A data-parallel epoch of the MLP (784-128-10, the bundled MNIST subset's 4,000 training
   images) on 2 ranks × 1 thread, batch 64 per rank (allreduces overlapped with backward, and
   after it), against one process × 2 threads, batch 128 (the same updates, see
   test_cluster.py: the ratio is the cost of spreading the work), and against PyTorch DDP with
   the gloo backend on 2 processes × 1 thread, batch 64 each (torch_ddp.py; run by
   /usr/bin/python3, Debian's python3-torch, or --torch-python).
2. allReduce throughput from a rank's cell for 0.4 MB and 40 MB tensors against MPI_Allreduce
   called from a minimal C program (allreduce.c) on the same 2 ranks, both timed alike: per
   size a warm-up of as many calls as are timed, then 3 timed runs after a barrier, the median
   run (20 calls a run at 0.4 MB, 3 at 40 MB).
Also the α–β fit of the C program's times over sizes from 8 B to 64 MiB (docs/distributed.md).

The C program runs under the mpirun options %cluster start gives 2 ranks on this 2-CPU machine
(no --oversubscribe, which would make Open MPI yield while polling, --bind-to none).
Every round runs each contestant once, in turn (C, cell, overlapped epoch, epoch after backward,
one process, PyTorch DDP); each ratio is taken within a round, and the report gives the median
ratio over the rounds with its range; only same-run ratios mean anything.

usage: python bench/cluster/run.py [--rounds N] [--bin DIR] [--torch-python PATH]
       (DIR: the build with trainbook and trainbook-worker; default: the release build if there
       is one, else the debug build; run from a Python with jupyter_client, e.g. .venv-test)
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


def compile_c_allreduce() -> Path:
    """bench/cluster/allreduce.c built with mpicc into a temporary directory."""
    c_program = Path(tempfile.mkdtemp()) / "allreduce"
    subprocess.run(["mpicc", "-O2", str(ROOT / "bench/cluster/allreduce.c"), "-o", str(c_program)], check=True)
    return c_program


def start_allreduce_ranks(binary: Path, name: str) -> "Kernel":
    """A kernel with 2 ranks of 1 thread, each holding `small` (0.4 MB) and `large` (40 MB)
    tensors for cell_allreduce_seconds."""
    kernel = Kernel(binary, name)
    kernel.run("%cluster start 2 --threads-per-rank 1 --timeout 300", timeout=400)
    kernel.run("%%cluster\nlet small = Tensor.zeros([102_400])\nlet large = Tensor.zeros([10_485_760])")
    return kernel


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
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--bin")
    parser.add_argument("--torch-python", default="/usr/bin/python3")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch DDP out")
    options = parser.parse_args()
    binaries = build_dir(options.bin)
    c_program = compile_c_allreduce()
    env = dict(os.environ, **MPI_ENV)
    os.environ.update(MPI_ENV)

    ranks = Kernel(binaries / "trainbook", "tb-bench-cluster")
    single = Kernel(binaries / "trainbook", "tb-bench-single")
    try:
        run_rounds(options, ranks, single, binaries, c_program, env)
    except Exception:  # the kernels' client threads would keep a failed run alive
        import traceback

        traceback.print_exc()
        for kernel in (ranks, single):  # the ranks end with their kernel (their lifeline)
            kernel.manager.shutdown_kernel(now=True)
        os._exit(1)
    ranks.close()
    single.close()


# Epochs per measured fit: one epoch (63 steps, ~0.1 s) is too short to time on a loaded machine.
EPOCHS = 3


def torch_ddp_epoch(options, port: int) -> float | None:
    """The median of PyTorch DDP's epochs after its first (whose start builds the buckets)."""
    if options.no_torch:
        return None
    output = subprocess.run(
        [options.torch_python, str(ROOT / "bench/cluster/torch_ddp.py"), "--epochs", str(EPOCHS + 1),
         "--port", str(port)],
        check=True, capture_output=True, text=True, timeout=1800).stdout
    epochs = [json.loads(line)["seconds"] for line in output.splitlines() if line.startswith("{")]
    return statistics.median(epochs[1:]) if len(epochs) > 1 else epochs[0]


# The C program's method, repeated in the cell: per size, `loops` untimed calls (warm-up:
# buffers, pages, connections), then SAMPLES timed runs of `loops` calls each after a barrier;
# the median run per call.
SAMPLES = 3
ALLREDUCE_LOOPS = {"small": 20, "large": 3}


def allreduce_cell() -> str:
    lines = ["%%cluster"]
    for name, loops in ALLREDUCE_LOOPS.items():
        lines.append(f"for _ in 0..<{loops} {{ allReduce({name}) }}")
        for _ in range(SAMPLES):
            lines += ["barrier()", f"%time for _ in 0..<{loops} {{ allReduce({name}) }}"]
    return "\n".join(lines)


def cell_allreduce_seconds(kernel: Kernel) -> tuple[float, float]:
    """Seconds per allReduce of `small` and of `large` from rank 0's cell, timed as the C
    program times MPI_Allreduce (median of SAMPLES runs after a warm-up)."""
    text = kernel.run(allreduce_cell())
    walls = [float(v) * UNITS[u] for v, u in re.findall(r"\[rank 0\] Wall time: ([0-9.]+) (ns|µs|us|ms|s)", text)]
    if len(walls) != SAMPLES * len(ALLREDUCE_LOOPS):
        raise RuntimeError(f"expected {SAMPLES * len(ALLREDUCE_LOOPS)} timings in {text!r}")
    small = statistics.median(walls[:SAMPLES]) / ALLREDUCE_LOOPS["small"]
    large = statistics.median(walls[SAMPLES:]) / ALLREDUCE_LOOPS["large"]
    return small, large


def dp_epoch(ranks: Kernel, distribution: str) -> float:
    """Seconds per epoch of a data-parallel fit of EPOCHS epochs on the 2 ranks."""
    text = ranks.run(
        "%%cluster\nseed(1)\nlet m = makeModel()\n"
        f"%time m.fit(data.shard(rank, of: worldSize), epochs: {EPOCHS}, batchSize: 64, "
        f"optimizer: SGD(learningRate: 0.05), verbose: false, distributed: {distribution})")
    return seconds(text, "Wall time:", rank=0) / EPOCHS


def run_rounds(options, ranks, single, binaries, c_program, env) -> None:
    ranks.run("%cluster start 2 --threads-per-rank 1 --timeout 300", timeout=400)
    ranks.run("%%cluster\n" + MLP + "let small = Tensor.zeros([102_400])\nlet large = Tensor.zeros([10_485_760])")
    single.run(MLP)
    load_before = os.getloadavg()

    c_times: dict[int, list[float]] = {}
    cell_small, cell_large, epoch_overlapped, epoch_after, epoch_single, epoch_torch = [], [], [], [], [], []
    for round_index in range(options.rounds):
        output = subprocess.run(
            ["mpirun", "--bind-to", "none", "-np", "2", str(c_program), str(SAMPLES),
             "409600", "41943040"],
            env=env, check=True, capture_output=True, text=True).stdout
        for line in output.splitlines():
            record = json.loads(line)
            c_times.setdefault(record["bytes"], []).append(record["seconds"])
        small, large = cell_allreduce_seconds(ranks)
        cell_small.append(small)
        cell_large.append(large)
        epoch_overlapped.append(dp_epoch(ranks, ".dataParallel"))
        epoch_after.append(dp_epoch(ranks, "Distribution.dataParallel.overlapped(false)"))
        text = single.run(
            "seed(1)\nlet m = makeModel()\n"
            f"%time m.fit(data, epochs: {EPOCHS}, batchSize: 128, optimizer: SGD(learningRate: 0.05), verbose: false)")
        epoch_single.append(seconds(text, "Wall time:") / EPOCHS)
        epoch_torch.append(torch_ddp_epoch(options, 29500 + round_index))
        print(f"round {round_index + 1}/{options.rounds} done", file=sys.stderr)
    events = ranks.run(
        "%%cluster --root\nlet events = Distribution.dataParallel.bucketSize(1290)\n"
        "let e = makeModel()\n"
        "e.fit(data.shard(rank, of: worldSize).prefix(128), epochs: 1, batchSize: 64, "
        "optimizer: SGD(learningRate: 0.05), verbose: false, distributed: events)\n"
        "print(events.lastStepEvents)")
    # The whole α–β curve once, after the rounds.
    output = subprocess.run(
        ["mpirun", "--bind-to", "none", "-np", "2", str(c_program), "3"],
        env=env, check=True, capture_output=True, text=True).stdout
    curve = {json.loads(line)["bytes"]: json.loads(line)["seconds"] for line in output.splitlines()}
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

    median = statistics.median

    def ratios(numerators, denominators):
        """Median and range of the per-round ratios."""
        values = sorted(n / d for n, d in zip(numerators, denominators) if n and d)
        return {"median": median(values), "min": values[0], "max": values[-1]} if values else None

    # α–β: one allreduce of n bytes on p = 2 ranks (ring or recursive doubling: 2 steps of
    # α + n/2 β each for the ring) ≈ 2α + n β; least squares over the sizes.
    sizes = sorted(curve)
    xs, ys = [float(s) for s in sizes], [curve[s] for s in sizes]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    beta = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    alpha = max(curve[sizes[0]] / 2, 0.0)
    torch_times = [t for t in epoch_torch if t is not None]
    result = {
        "cpu": cpu_name(), "logical_cpus": os.cpu_count(), "build": binaries.name,
        "rounds": options.rounds,
        "load_average_before_and_after": [load_before, os.getloadavg()],
        "mlp_epoch_seconds_median": {
            "2 ranks x 1 thread, overlapped": median(epoch_overlapped),
            "2 ranks x 1 thread, after backward": median(epoch_after),
            "1 process x 2 threads": median(epoch_single),
            "PyTorch DDP gloo, 2 processes x 1 thread": median(torch_times) if torch_times else None,
        },
        "mlp_epoch_seconds_by_round": {
            "overlapped": epoch_overlapped, "after backward": epoch_after,
            "1 process": epoch_single, "PyTorch DDP": epoch_torch,
        },
        # Speed of 2 ranks as a fraction of one process's (target >= 0.85).
        "mlp_speed_vs_one_process": {
            "overlapped": ratios(epoch_single, epoch_overlapped),
            "after backward": ratios(epoch_single, epoch_after),
        },
        # Trainbook's epoch time as a fraction of PyTorch DDP's (target <= 0.5).
        "mlp_time_vs_pytorch_ddp": {
            "overlapped": ratios(epoch_overlapped, epoch_torch),
            "after backward": ratios(epoch_after, epoch_torch),
        },
        "allreduce_seconds_by_round": {
            "0.4 MB": {"trainbook cell": cell_small, "C MPI_Allreduce": c_times[409600]},
            "40 MB": {"trainbook cell": cell_large, "C MPI_Allreduce": c_times[41943040]},
        },
        # Throughput as a fraction of C's: C's time / the cell's (target >= 0.9).
        "allreduce_throughput_ratio": {
            "0.4 MB": ratios(c_times[409600], cell_small),
            "40 MB": ratios(c_times[41943040], cell_large),
        },
        "overlap_events_bucket_1290": events.strip(),
        "alpha_seconds": alpha, "beta_seconds_per_byte": beta,
        "c_allreduce_seconds_by_bytes": curve,
        "step_seconds_batch64_1thread": {"mlp": mlp_step, "cnn": cnn_step},
        "parameters": {"mlp": 101_770, "cnn": 225_034},
    }
    out = ROOT / "bench/results/cluster-latest.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
