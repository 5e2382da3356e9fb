"""Kernel figures, Trainbook's kernel vs ipykernel driven by the same jupyter_client script
(kernel_client.py): start to first kernel_info_reply, a trivial execute round trip (median and
p99), and N printed lines to idle (every line checked to arrive, in order). Starts and round
trips are also timed, in the same rotation, on the do-nothing responder of floor.py: the floor
the client itself sets."""

from __future__ import annotations

from . import floor
from .figures import Figure, median, quantile, rotations
from .kernel_client import KernelUnderTest
from .process import BenchmarkFailure
from .settings import Settings

KERNELS = {"trainbook": "trainbook-bench", "ipykernel": "python-bench"}
# The kernels and the floor, for the starts and round trips.
CONTESTANTS = {**KERNELS, "floor": floor.KERNEL_NAME}
FLOOR_NAME = "do-nothing responder (C)"
START_TARGET, ROUND_TRIP_TARGET, PRINTED_TARGET = 0.1, 0.1, 0.5
ROUND_TRIP_BLOCK = 50
TRIVIAL_CELL = "1+1"
PRINT_CELLS = {
    "trainbook": "for i in 0..<{n} {{\n    print(i)\n}}",
    "ipykernel": "for i in range({n}):\n    print(i)",
}


class RunningKernels:
    """One running kernel of each kind, shared by the kernel and interpreter benchmarks."""

    def __init__(self, log) -> None:
        self.log = log
        self.kernels: dict[str, KernelUnderTest] = {}

    def get(self, name: str) -> KernelUnderTest:
        if name not in self.kernels:
            kernel = KernelUnderTest(CONTESTANTS[name])
            kernel.start()
            kernel.wait_for_iopub()
            self.kernels[name] = kernel
        return self.kernels[name]

    def close(self) -> None:
        for kernel in self.kernels.values():
            kernel.stop()
        self.kernels.clear()


class KernelBenchmark:
    def __init__(self, settings: Settings, kernels: RunningKernels, log) -> None:
        self.settings = settings
        self.kernels = kernels
        self.log = log

    def run(self) -> list[Figure]:
        return self.start_figures() + self.round_trip_figures() + self.printed_figures()

    def start_figures(self) -> list[Figure]:
        s = self.settings
        seconds: dict[str, list[float]] = {name: [] for name in CONTESTANTS}
        # One start of each, untimed: file caches, IPython's profile directory.
        for name in CONTESTANTS:
            self.log(f"kernel start {name} (warm-up)")
            self._start_once(name)
        for run, order in enumerate(rotations(list(CONTESTANTS), s.kernel_starts)):
            for name in order:
                self.log(f"kernel start {name} run {run + 1}/{s.kernel_starts}")
                seconds[name].append(self._start_once(name))
        trainbook, ipykernel, responder = (
            median(ms(seconds[name])) for name in ("trainbook", "ipykernel", "floor")
        )
        return [
            Figure(
                key="kernel.start", group="Kernel", name="start to first kernel_info_reply",
                unit="ms", trainbook=trainbook, peer_name="ipykernel", peer=ipykernel,
                max_ratio=START_TARGET, samples={name: ms(values) for name, values in seconds.items()},
            ),
            Figure(
                key="kernel.start.floor", group="Kernel",
                name="start to first kernel_info_reply, against the client's floor", unit="ms",
                trainbook=trainbook, peer_name=FLOOR_NAME, peer=responder,
                note="the same client starting a program that answers at once",
            ),
        ]  # fmt: skip

    def _start_once(self, name: str) -> float:
        kernel = KernelUnderTest(CONTESTANTS[name])
        try:
            return kernel.start()
        finally:
            kernel.stop()

    def round_trip_figures(self) -> list[Figure]:
        s = self.settings
        seconds: dict[str, list[float]] = {name: [] for name in CONTESTANTS}
        for name in CONTESTANTS:
            kernel = self.kernels.get(name)
            for _ in range(20):
                self._trivial(kernel)
        blocks = max(1, -(-s.round_trips // ROUND_TRIP_BLOCK))
        self.log(f"execute round trips: {s.round_trips} each, in blocks of {ROUND_TRIP_BLOCK}, alternating")
        for block, order in enumerate(rotations(list(CONTESTANTS), blocks)):
            for name in order:
                kernel = self.kernels.get(name)
                count = min(ROUND_TRIP_BLOCK, s.round_trips - block * ROUND_TRIP_BLOCK)
                seconds[name] += [self._trivial(kernel) for _ in range(count)]
        trivial_ms = {name: ms(values) for name, values in seconds.items()}
        return [
            Figure(
                key="kernel.round_trip.median", group="Kernel",
                name=f"`{TRIVIAL_CELL}` execute round trip, median of {s.round_trips}", unit="ms",
                trainbook=median(trivial_ms["trainbook"]), peer_name="ipykernel",
                peer=median(trivial_ms["ipykernel"]), max_ratio=ROUND_TRIP_TARGET,
                note="request sent to status idle", samples=trivial_ms,
            ),
            Figure(
                key="kernel.round_trip.floor", group="Kernel",
                name=f"`{TRIVIAL_CELL}` execute round trip, median, against the client's floor", unit="ms",
                trainbook=median(trivial_ms["trainbook"]), peer_name=FLOOR_NAME,
                peer=median(trivial_ms["floor"]),
                note="the same client and messages, answered at once; fastest "
                f"{format_ms(quantile(trivial_ms['floor'], 0.0))} ms",
            ),
            Figure(
                key="kernel.round_trip.p99", group="Kernel",
                name=f"`{TRIVIAL_CELL}` execute round trip, p99 of {s.round_trips}", unit="ms",
                trainbook=quantile(trivial_ms["trainbook"], 0.99), peer_name="ipykernel",
                peer=quantile(trivial_ms["ipykernel"], 0.99),
            ),
            Figure(
                key="kernel.round_trip.fastest", group="Kernel",
                name=f"`{TRIVIAL_CELL}` execute round trip, fastest of {s.round_trips}", unit="ms",
                trainbook=quantile(trivial_ms["trainbook"], 0.0), peer_name="ipykernel",
                peer=quantile(trivial_ms["ipykernel"], 0.0),
                note="the least disturbed by other load on the machine",
            ),
        ]  # fmt: skip

    def _trivial(self, kernel: KernelUnderTest) -> float:
        execution = kernel.execute(TRIVIAL_CELL, timeout=30)
        if execution.result != "2":
            raise BenchmarkFailure(f"{kernel.kernel_name}: `1+1` gave {execution.result!r} ({execution.error})")
        return execution.seconds

    def printed_figures(self) -> list[Figure]:
        s = self.settings
        n = s.printed_lines
        expected = "".join(f"{i}\n" for i in range(n))
        seconds: dict[str, list[float]] = {name: [] for name in KERNELS}
        for run, order in enumerate(rotations(list(KERNELS), s.printed_runs)):
            for name in order:
                self.log(f"{n:,} printed lines {name} run {run + 1}/{s.printed_runs}")
                execution = self.kernels.get(name).execute(PRINT_CELLS[name].format(n=n), timeout=600)
                if execution.stdout != expected:
                    got = execution.stdout.count("\n")
                    raise BenchmarkFailure(f"{name}: {got:,} of {n:,} printed lines arrived, or out of order")
                seconds[name].append(execution.seconds)
        return [
            Figure(
                key="kernel.printed_lines", group="Kernel", name=f"{n:,} printed lines to idle",
                unit="s", trainbook=median(seconds["trainbook"]), peer_name="ipykernel",
                peer=median(seconds["ipykernel"]), max_ratio=PRINTED_TARGET,
                note="every line checked, in order", samples=seconds,
            )
        ]  # fmt: skip


def ms(seconds: list[float]) -> list[float]:
    return [value * 1000 for value in seconds]


def format_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
