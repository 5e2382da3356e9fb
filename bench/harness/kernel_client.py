"""One kernel driven by jupyter_client, the same script for Trainbook and for ipykernel: timed
start to the first kernel_info_reply, and executions timed from sending the request to the
`idle` status that follows it on IOPub.

IOPub is read straight from the client's socket, decoding only the header and parent header of
each message (and the content of the ones the harness keeps), so the client's own cost stays
small beside the kernels'. Client sockets retry connecting every millisecond (ZeroMQ's default
is 100 ms), so a kernel that binds its ports quickly is not charged for the client's backoff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import zmq
from jupyter_client.manager import KernelManager

from . import floor
from .process import BenchmarkFailure

DELIMITER = b"<IDS|MSG>"
WALL_TIME = re.compile(r"Wall time:\s*([0-9.]+(?:e[+-]?[0-9]+)?)\s*(ns|µs|μs|us|ms|s)\b")
CPU_TOTAL = re.compile(r"CPU times:.*total:\s*([0-9.]+(?:e[+-]?[0-9]+)?)\s*(ns|µs|μs|us|ms|s)\b")
# IPython writes numbers with %.3g ("1e+03 μs") and the Greek mu (U+03BC); Trainbook and
# others may print the micro sign (U+00B5).
UNIT_SECONDS = {"ns": 1e-9, "µs": 1e-6, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class Execution:
    """What one execute_request gave."""

    seconds: float
    stdout: str = ""
    stderr: str = ""
    result: str | None = None
    error: str | None = None
    messages: int = 0
    stdout_parts: list[str] = field(default_factory=list, repr=False)

    @property
    def wall_time(self) -> float | None:
        """The seconds a %%time cell reported ("Wall time: 61.2 ms"), if it printed them."""
        return _seconds(WALL_TIME, self.stdout)

    @property
    def cpu_time(self) -> float | None:
        """The CPU seconds a %%time cell reported ("CPU times: user …, total: 61.4 ms")."""
        return _seconds(CPU_TOTAL, self.stdout)


def _seconds(pattern: re.Pattern, text: str) -> float | None:
    found = pattern.search(text)
    return float(found.group(1)) * UNIT_SECONDS[found.group(2)] if found else None


class KernelEnvironment:
    """A private Jupyter data directory holding the kernelspecs the benchmarks start:
    `trainbook-bench` (the built binary), `python-bench` (the venv's ipykernel) and
    `floor-bench` (the do-nothing responder of floor.py, built here)."""

    def __init__(self, trainbook: str, python: str) -> None:
        self.directory = tempfile.TemporaryDirectory(prefix="trainbook-bench-")
        base = Path(self.directory.name)
        subprocess.run(
            [trainbook, "install", "--prefix", str(base), "--name", "trainbook-bench"],
            check=True, capture_output=True,
        )  # fmt: skip
        python_spec = base / "share" / "jupyter" / "kernels" / "python-bench"
        python_spec.mkdir(parents=True)
        (python_spec / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3 (bench)", "language": "python",
                }  # fmt: skip
            )
        )
        floor.write_kernelspec(base)
        self.saved = dict(os.environ)
        os.environ.update(
            {
                "JUPYTER_PATH": str(base / "share" / "jupyter"),
                "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
                "JUPYTER_DATA_DIR": str(base / "data"),
                "JUPYTER_PLATFORM_DIRS": "1",
                "IPYTHONDIR": str(base / "ipython"),
                "TRAINBOOK_HISTORY": str(base / "history.jsonl"),
                "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            }
        )

    def close(self) -> None:
        os.environ.clear()
        os.environ.update(self.saved)
        self.directory.cleanup()


class KernelUnderTest:
    """One running kernel and its blocking client."""

    def __init__(self, kernel_name: str) -> None:
        self.kernel_name = kernel_name
        self.context = zmq.Context()
        self.context.setsockopt(zmq.RECONNECT_IVL, 1)
        self.context.setsockopt(zmq.LINGER, 0)
        self.manager: KernelManager | None = None
        self.client = None

    def start(self, timeout: float = 60) -> float:
        """Starts the kernel; returns the seconds from launching it to its first
        kernel_info_reply."""
        start = time.perf_counter()
        self.manager = KernelManager(kernel_name=self.kernel_name, context=self.context)
        self.manager.start_kernel(stderr=subprocess.DEVNULL)
        self.client = self.manager.client(context=self.context)
        self.client.start_channels(shell=True, iopub=True, stdin=False, hb=False, control=False)
        msg_id = self.client.kernel_info()
        while True:
            remaining = timeout - (time.perf_counter() - start)
            if remaining <= 0:
                raise BenchmarkFailure(f"{self.kernel_name}: no kernel_info_reply in {timeout} s")
            reply = self.client.get_shell_msg(timeout=remaining)
            if reply["parent_header"].get("msg_id") == msg_id:
                return time.perf_counter() - start

    def wait_for_iopub(self, timeout: float = 10) -> None:
        """Executes empty cells until their IOPub messages arrive (the SUB socket has joined)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                self.execute("", timeout=0.5)
                return
            except BenchmarkFailure:
                continue
        raise BenchmarkFailure(f"{self.kernel_name}: IOPub never delivered a message")

    def execute(self, code: str, timeout: float = 600, keep_stdout: bool = True) -> Execution:
        """Runs `code`; times the request from sending it to the `idle` status with it as parent."""
        client = self.client
        socket = client.iopub_channel.socket
        start = time.perf_counter()
        msg_id = client.execute(code, store_history=True)
        execution = Execution(seconds=0.0)
        deadline = start + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not socket.poll(int(remaining * 1000) + 1):
                raise BenchmarkFailure(f"{self.kernel_name}: no idle status within {timeout} s for {code[:40]!r}")
            frames = socket.recv_multipart()
            try:
                at = frames.index(DELIMITER)
            except ValueError:
                continue
            parent = json.loads(frames[at + 3])
            if parent.get("msg_id") != msg_id:
                continue
            execution.messages += 1
            msg_type = json.loads(frames[at + 2]).get("msg_type")
            if msg_type == "status":
                if json.loads(frames[at + 5]).get("execution_state") == "idle":
                    execution.seconds = time.perf_counter() - start
                    break
            elif msg_type == "stream":
                content = json.loads(frames[at + 5])
                if content.get("name") == "stdout":
                    if keep_stdout:
                        execution.stdout_parts.append(content.get("text", ""))
                else:
                    execution.stderr += content.get("text", "")
            elif msg_type == "execute_result":
                execution.result = json.loads(frames[at + 5]).get("data", {}).get("text/plain")
            elif msg_type == "error":
                content = json.loads(frames[at + 5])
                execution.error = f"{content.get('ename')}: {content.get('evalue')}"
        execution.stdout = "".join(execution.stdout_parts)
        self._drain_reply(msg_id, timeout=10)
        return execution

    def _drain_reply(self, msg_id: str, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            reply = self.client.get_shell_msg(timeout=max(deadline - time.perf_counter(), 0.01))
            if reply["parent_header"].get("msg_id") == msg_id:
                return

    def stop(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        if self.manager is not None:
            try:
                self.manager.shutdown_kernel(now=False)
            except Exception as error:  # a kernel that does not stop is killed
                print(f"  ({self.kernel_name} shutdown: {error}; killing it)", file=sys.stderr)
                self.manager.shutdown_kernel(now=True)
            self.manager = None
        self.context.destroy(linger=0)
        self.context = zmq.Context()
        self.context.setsockopt(zmq.RECONNECT_IVL, 1)
        self.context.setsockopt(zmq.LINGER, 0)
