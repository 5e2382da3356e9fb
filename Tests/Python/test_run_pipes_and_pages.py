"""`trainbook run` on the Trainbook kernel: a reader that goes away early (`| head`) ends the
run with the kernel shut down, and pager payloads (`%help NAME`) are printed."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import psutil


def kernel_children(client: psutil.Process) -> list[psutil.Process]:
    return [
        child
        for child in client.children()
        if "kernel" in (child.cmdline() or [])
    ]


def is_gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_closed_pipe_ends_the_run_and_its_kernel(tmp_path: Path):
    script = tmp_path / "many.swift"
    script.write_text("// %%\nfor i in 1...1000000 {\n    print(i)\n}\n")
    client = subprocess.Popen(
        [os.environ["TRAINBOOK_BIN"], "run", str(script)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert client.stdout is not None
    first = [client.stdout.readline() for _ in range(3)]
    assert first == [b"1\n", b"2\n", b"3\n"]
    kernels = kernel_children(psutil.Process(client.pid))
    assert len(kernels) == 1
    client.stdout.close()  # the reader goes away, as `head -3` does
    status = client.wait(timeout=30)
    assert status == 128 + 13  # ended as by SIGPIPE, after shutting its kernel down
    deadline = time.monotonic() + 5
    while not is_gone(kernels[0].pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert is_gone(kernels[0].pid), "the kernel outlived the client"


def test_pager_payload_is_printed(tmp_path: Path):
    script = tmp_path / "help.swift"
    script.write_text("%help print\n")
    result = subprocess.run(
        [os.environ["TRAINBOOK_BIN"], "run", str(script)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "print(_ items: Any..." in result.stdout
    assert "Writes the items' text forms to standard output" in result.stdout
