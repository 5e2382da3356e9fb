"""Interpreter figures: the same small programs as a Trainbook cell and as a Python cell in
ipykernel, timed both inside the kernel (each kernel's `%%time`, "Wall time") and from the
client (request sent to idle). The cells' results are checked against the expected sums and
sizes. The dictionary and string programs grow one value in a loop: copy-on-write must keep
each step amortised O(1) there (a copy per step made them quadratic, issue 11)."""

from __future__ import annotations

from .figures import Figure, median, rotations
from .kernels import KERNELS, RunningKernels
from .process import BenchmarkFailure
from .settings import Settings

INTERPRETER_TARGET = 2.0

SETUP = {
    "trainbook": "func add(_ a: Int, _ b: Int) -> Int {\n    return a + b\n}",
    "ipykernel": "def add(a, b):\n    return a + b",
}
PROGRAMS = {
    "loop": {
        "trainbook": "%%time\nvar total = 0\nfor i in 0..<{n} {{\n    total += i\n}}\ntotal",
        "ipykernel": "%%time\ntotal = 0\nfor i in range({n}):\n    total += i\ntotal",
    },
    "calls": {
        "trainbook": "%%time\nvar acc = 0\nfor i in 0..<{n} {{\n    acc = add(acc, i)\n}}\nacc",
        "ipykernel": "%%time\nacc = 0\nfor i in range({n}):\n    acc = add(acc, i)\nacc",
    },
    "dict": {
        "trainbook": "%%time\nvar d: [Int: Int] = [:]\nfor i in 0..<{n} {{\n    d[i] = i\n}}\nd.count",
        "ipykernel": "%%time\nd = {{}}\nfor i in range({n}):\n    d[i] = i\nlen(d)",
    },
    "string": {
        "trainbook": "%%time\nvar s = \"\"\nfor i in 0..<{n} {{\n    s += \"ab\"\n}}\ns.count",
        "ipykernel": "%%time\ns = ''\nfor i in range({n}):\n    s += 'ab'\nlen(s)",
    },
}

# What each program's cell evaluates to, for n steps.
EXPECTED = {
    "loop": lambda n: n * (n - 1) // 2,
    "calls": lambda n: n * (n - 1) // 2,
    "dict": lambda n: n,
    "string": lambda n: 2 * n,
}


class InterpreterBenchmark:
    def __init__(self, settings: Settings, kernels: RunningKernels, log) -> None:
        self.settings = settings
        self.kernels = kernels
        self.log = log

    def run(self) -> list[Figure]:
        s = self.settings
        for name in KERNELS:
            self._checked(name, SETUP[name], expected=None)
        figures: list[Figure] = []
        sizes = {
            "loop": s.loop_iterations, "calls": s.function_calls,
            "dict": s.collection_inserts, "string": s.collection_inserts,
        }  # fmt: skip
        titles = {
            "loop": f"{s.loop_iterations:,}-iteration integer loop",
            "calls": f"{s.function_calls:,} calls of a small user function",
            "dict": f"{s.collection_inserts:,} inserts into a dictionary",
            "string": f"{s.collection_inserts:,} appends to a string",
        }
        for program, n in sizes.items():
            inside: dict[str, list[float]] = {name: [] for name in KERNELS}
            inside_cpu: dict[str, list[float]] = {name: [] for name in KERNELS}
            client: dict[str, list[float]] = {name: [] for name in KERNELS}
            for run, order in enumerate(rotations(list(KERNELS), s.interpreter_runs)):
                for name in order:
                    self.log(f"interpreter {program} {name} run {run + 1}/{s.interpreter_runs}")
                    execution = self._checked(name, PROGRAMS[program][name].format(n=n), expected=EXPECTED[program](n))
                    if execution.wall_time is None or execution.cpu_time is None:
                        raise BenchmarkFailure(f"{name}: %%time printed no times: {execution.stdout!r}")
                    inside[name].append(execution.wall_time)
                    inside_cpu[name].append(execution.cpu_time)
                    client[name].append(execution.seconds)
            ways = [
                ("inside", "in-kernel %%time, wall", inside),
                ("inside.cpu", "in-kernel %%time, CPU", inside_cpu),
                ("client", "client round trip", client),
            ]
            for key, way, values in ways:
                figures.append(
                    Figure(
                        key=f"interpreter.{program}.{key}",
                        group="Interpreter", name=f"{titles[program]} ({way})", unit="s",
                        trainbook=median(values["trainbook"]), peer_name="CPython (ipykernel)",
                        peer=median(values["ipykernel"]), max_ratio=INTERPRETER_TARGET, samples=values,
                    )
                )  # fmt: skip
        return figures

    def _checked(self, name: str, code: str, expected: int | None):
        execution = self.kernels.get(name).execute(code, timeout=600)
        if execution.error:
            raise BenchmarkFailure(f"{name}: {execution.error}\n{code}")
        if expected is not None and execution.result != str(expected):
            raise BenchmarkFailure(f"{name}: result {execution.result!r}, expected {expected}\n{code}")
        return execution
