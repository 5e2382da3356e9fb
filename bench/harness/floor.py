"""The floor of the kernel figures: bench/floor/responder.c, a do-nothing "kernel" that answers
kernel_info and execute requests at once with the messages Trainbook's kernel sends for `1+1`,
correctly signed. Started and driven by the same client as the kernels, in the same run, it
measures what the client, process start-up and ZeroMQ cost by themselves; a kernel's own share
of a start or a round trip is what it takes beyond the responder."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "floor" / "responder.c"
KERNEL_NAME = "floor-bench"


def compile_responder(directory: Path) -> Path:
    """bench/floor/responder.c built with the system C compiler (or the Swift toolchain's
    clang) into `directory`."""
    compiler = shutil.which("cc") or shutil.which("clang") or "cc"
    program = directory / "responder"
    subprocess.run([compiler, "-O2", str(SOURCE), "-o", str(program), "-lzmq", "-lsodium"], check=True)
    return program


def write_kernelspec(prefix: Path) -> None:
    """The responder compiled into `prefix` and installed there as the kernel `KERNEL_NAME`
    (its kernelspec under `prefix`/share/jupyter/kernels)."""
    spec = prefix / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    responder = compile_responder(prefix)
    spec_json = {"argv": [str(responder), "{connection_file}"], "display_name": "floor", "language": "none"}
    (spec / "kernel.json").write_text(json.dumps(spec_json))
