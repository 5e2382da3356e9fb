"""The machine and the software versions a run was measured with."""

from __future__ import annotations

import ctypes
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PYTHON_PACKAGES = ["torch", "numpy", "ipykernel", "ipython", "jupyter_client", "pyzmq"]


def describe(configuration: str, bin_dir) -> dict:
    """CPU, cores, memory, load, and the versions of everything measured. The commit is the one
    of the checkout holding the measured binaries (`--bin-dir`), not of the harness."""
    versions = {
        "swift": _first_line(["swift", "--version"]),
        "openblas": _openblas_config(),
        "libzmq (Trainbook)": _command(["pkg-config", "--modversion", "libzmq"]),
        "python": platform.python_version(),
    }
    for package in PYTHON_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    try:
        import zmq

        versions["libzmq (pyzmq)"] = zmq.zmq_version()
    except ImportError:
        pass
    versions["numpy BLAS"] = _numpy_blas()
    return {
        "cpu": _cpu_model(),
        "cpu_flags": _vector_flags(),
        "blas": _trainbook_blas(bin_dir),
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "build": configuration,
        "commit": _command(["git", "-C", str(bin_dir), "describe", "--always", "--dirty"]) or "unknown",
        "versions": versions,
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _vector_flags() -> str | None:
    """The CPU's vector extensions that decide BLAS kernels (from /proc/cpuinfo's flags)."""
    wanted = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16"]
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return " ".join(flag for flag in wanted if flag in flags)
    except OSError:
        pass
    return None


def _trainbook_blas(bin_dir) -> str | None:
    """The BLAS Trainbook's measured binaries run on: library, version, kernels (after its
    start-up's choice), CPU and threads, as `trainbook-bench blas` reports them, with the level
    of its C vector kernels and the physical cores products split across."""
    output = _command([str(Path(bin_dir) / "trainbook-bench"), "blas"])
    for line in (output or "").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("event") == "blas":
            description = event.get("description") or ""
            if "vector_kernels" in event:
                description += f"; vector kernels {event['vector_kernels']}"
            if "physical_cores" in event:
                description += (
                    f"; {event['physical_cores']} physical cores of "
                    f"{event.get('threads_per_core', 1)} thread(s)"
                )
            return description or None
    return None


def _command(command: list[str]) -> str | None:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def _first_line(command: list[str]) -> str | None:
    output = _command(command)
    return output.splitlines()[0] if output else None


def _openblas_config() -> str | None:
    try:
        library = ctypes.CDLL("libopenblas.so.0")
        library.openblas_get_config.restype = ctypes.c_char_p
        return library.openblas_get_config().decode()
    except (OSError, AttributeError):
        return _command(["pkg-config", "--modversion", "openblas"])


def _numpy_blas() -> str | None:
    try:
        import numpy

        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:
        return None


def summary_lines(environment: dict, threads: list[int]) -> list[str]:
    """The environment as a few readable lines for the report."""
    versions = environment["versions"]
    listed = ", ".join(f"{name} {value}" for name, value in versions.items() if value and name != "openblas")
    return [
        f"CPU: {environment['cpu']}, {environment['cores']} cores, {environment['memory_gib']} GiB; "
        f"Linux {environment['kernel']}; load average at start {environment['load_average_at_start']}"
        + (f", at end {environment['load_average_at_end']}" if "load_average_at_end" in environment else ""),
        f"Threads compared: {', '.join(map(str, threads))}; Trainbook build: {environment['build']}, "
        f"commit {environment['commit']}",
        f"CPU vector extensions: {environment.get('cpu_flags') or 'unknown'}",
        f"BLAS (Trainbook): {environment.get('blas') or 'unknown'}",
        f"OpenBLAS: {versions.get('openblas')}",
        f"Versions: {listed}",
    ]
