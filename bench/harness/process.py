"""Running one measured process: its JSON lines, wall time, and the resource usage the kernel
records for it (peak resident memory and CPU time, from wait4), the same way for every peer."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field


@dataclass
class ProcessResult:
    """What one run of a benchmark program gave."""

    command: list[str]
    lines: list[dict] = field(default_factory=list)
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_bytes: int = 0
    stderr: str = ""

    def events(self, name: str) -> list[dict]:
        """The JSON lines whose "event" is `name`, in order."""
        return [line for line in self.lines if line.get("event") == name]

    def event(self, name: str) -> dict:
        """The last JSON line whose "event" is `name`."""
        found = self.events(name)
        if not found:
            raise BenchmarkFailure(f"{self.command[0]} printed no {name!r} line", self)
        return found[-1]


class BenchmarkFailure(RuntimeError):
    """A measured program failed or printed something unexpected."""

    def __init__(self, message: str, result: ProcessResult | None = None) -> None:
        detail = ""
        if result is not None:
            detail = f"\n  command: {' '.join(result.command)}\n  stderr: {result.stderr[-2000:]}"
        super().__init__(message + detail)


def run_json_lines(command: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> ProcessResult:
    """Runs `command` to the end and parses every stdout line that is a JSON object.

    Peak RSS and CPU time come from the kernel's accounting of the child (wait4), so a Swift
    binary and a Python interpreter are measured alike; a non-zero exit raises BenchmarkFailure.
    """
    result = ProcessResult(command=command)
    environment = dict(os.environ)
    environment.update(env or {})
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, text=True
    )
    try:
        stdout, stderr = _communicate(child, timeout)
    finally:
        _, status, usage = os.wait4(child.pid, 0) if child.returncode is None else (0, 0, None)
    result.wall_seconds = time.perf_counter() - start
    if usage is not None:
        result.cpu_seconds = usage.ru_utime + usage.ru_stime
        result.peak_rss_bytes = usage.ru_maxrss * 1024
        child.returncode = os.waitstatus_to_exitcode(status)
    result.stderr = stderr
    for text in stdout.splitlines():
        text = text.strip()
        if text.startswith("{"):
            try:
                result.lines.append(json.loads(text))
            except json.JSONDecodeError:
                pass
    if child.returncode != 0:
        raise BenchmarkFailure(f"{command[0]} exited with status {child.returncode}", result)
    return result


def _communicate(child: subprocess.Popen, timeout: float) -> tuple[str, str]:
    """Reads both pipes to the end without reaping the child (so wait4 can)."""
    import threading

    chunks: dict[str, str] = {}

    def read(name: str, stream) -> None:
        chunks[name] = stream.read()

    readers = [
        threading.Thread(target=read, args=("out", child.stdout), daemon=True),
        threading.Thread(target=read, args=("err", child.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + timeout
    for reader in readers:
        reader.join(max(deadline - time.monotonic(), 0))
        if reader.is_alive():
            child.kill()
            reader.join()
            raise BenchmarkFailure(f"{child.args[0]} took longer than {timeout:.0f} s")
    return chunks.get("out", ""), chunks.get("err", "")
