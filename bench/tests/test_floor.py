"""The floor responder (bench/floor/responder.c) speaks the protocol the way the kernels are
measured: jupyter_client accepts its signed replies, a `1+1` execution sees the result `2`
and the idle status, and it shuts down when asked."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import floor  # noqa: E402
from harness.kernel_client import KernelUnderTest  # noqa: E402


def test_responder_answers_as_a_kernel(monkeypatch):
    with tempfile.TemporaryDirectory(prefix="floor-test-") as directory:
        base = Path(directory)
        spec = base / "share" / "jupyter" / "kernels" / floor.KERNEL_NAME
        spec.mkdir(parents=True)
        responder = floor.compile_responder(base)
        argv = [str(responder), "{connection_file}"]
        (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "floor", "language": "none"}))
        monkeypatch.setenv("JUPYTER_PATH", str(base / "share" / "jupyter"))
        monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(base / "runtime"))
        kernel = KernelUnderTest(floor.KERNEL_NAME)
        try:
            assert kernel.start(timeout=30) > 0
            kernel.wait_for_iopub()
            first = kernel.execute("1+1", timeout=10)
            second = kernel.execute("1+1", timeout=10)
            assert (first.result, second.result) == ("2", "2")
            assert first.error is None and first.messages == 4  # busy, input, result, idle
            process = kernel.manager.provisioner.process
        finally:
            kernel.stop()
        assert process.poll() == 0, "the responder did not end on shutdown_request"
