"""The floor responder (bench/floor/responder.c) speaks the protocol the way the kernels are
measured: jupyter_client accepts its signed replies, a `1+1` execution sees the result `2`
and the idle status with as many messages as Trainbook's kernel sends for it, a request it
does not support gets its own reply with an error status, and it shuts down when asked. The kernelspecs are the benchmark's own (KernelEnvironment)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import floor  # noqa: E402
from harness.kernel_client import KernelEnvironment, KernelUnderTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def trainbook_binary() -> str:
    """The debug build's trainbook (75-bench-quick builds it before these tests run)."""
    bin_path = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    return str(Path(bin_path) / "trainbook")


def executions(name: str):
    kernel = KernelUnderTest(name)
    try:
        assert kernel.start(timeout=60) > 0
        kernel.wait_for_iopub()
        first = kernel.execute("1+1", timeout=30)
        second = kernel.execute("1+1", timeout=30)
        if name == floor.KERNEL_NAME:
            # Code longer than the responder's 255 bytes, cut inside a 2-byte character: the
            # execute_input it echoes must stay valid UTF-8.
            code = "#" + "x" * 253 + "é"
            msg_id = kernel.client.execute(code)
            message = kernel.client.get_iopub_msg(timeout=10)
            while message["msg_type"] != "execute_input" or message["parent_header"]["msg_id"] != msg_id:
                message = kernel.client.get_iopub_msg(timeout=10)
            echoed = message["content"]["code"]
            while kernel.client.get_shell_msg(timeout=10)["parent_header"]["msg_id"] != msg_id:
                pass
            assert "\ufffd" not in echoed and code.startswith(echoed), echoed[-4:]
        # A request it does not support gets its own reply, with an error status.
        msg_id = kernel.client.comm_info()
        reply = kernel.client.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        unsupported = (reply["msg_type"], reply["content"]["status"])
        process = kernel.manager.provisioner.process
    finally:
        kernel.stop()
    return first, second, unsupported, process


def test_responder_answers_as_a_kernel():
    environment = KernelEnvironment(trainbook_binary(), sys.executable)
    try:
        first, second, unsupported, process = executions(floor.KERNEL_NAME)
        assert (first.result, second.result) == ("2", "2")
        assert first.error is None
        assert unsupported == ("comm_info_reply", "error")
        assert process.poll() == 0, "the responder did not end on shutdown_request"
        real, _, _, _ = executions("trainbook-bench")
        assert real.result == "2"
        assert first.messages == real.messages  # busy, input, result, idle
    finally:
        environment.close()
