"""Interrupting a running cell of the real kernel, in both kernelspec interrupt modes and by a
plain SIGINT: the loop stops within a second, the cell reports KeyboardInterrupt, and the next
cell sees the session (and the loop's progress) intact."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from conftest import KERNEL_NAME
from jupyter_client.manager import start_new_kernel

LOOP = "var steps = 0\nwhile true { steps += 1 }"


@pytest.fixture(scope="module")
def message_mode_kernel_name(jupyter_environment):
    name = KERNEL_NAME + "-message"
    subprocess.run(
        [os.environ["TRAINBOOK_BIN"], "install", "--prefix", str(jupyter_environment), "--name", name,
         "--interrupt-mode", "message"],
        check=True, capture_output=True,
    )
    return name


def run_and_interrupt(kernel_name: str, interrupt) -> None:
    manager, client = start_new_kernel(kernel_name=kernel_name)
    try:
        msg_id = client.execute(LOOP)
        # The cell has started once its execute_input is out (an interrupt before that would
        # find the kernel idle and do nothing).
        while True:
            message = client.get_iopub_msg(timeout=10)
            if message["msg_type"] == "execute_input" and message["parent_header"]["msg_id"] == msg_id:
                break
        time.sleep(0.3)
        start = time.monotonic()
        interrupt(manager)
        while True:
            reply = client.get_shell_msg(timeout=5)
            if reply["parent_header"]["msg_id"] == msg_id:
                break
        elapsed = time.monotonic() - start
        assert elapsed < 1.0, f"interrupt took {elapsed:.2f} s"
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        outputs = []
        after = client.execute_interactive("steps > 0", timeout=10, output_hook=outputs.append)
        assert after["content"]["status"] == "ok"
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        assert results == ["true"]
        follow_up = client.execute_interactive("steps += 1\nsteps > 1", timeout=10)
        assert follow_up["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel()


def test_interrupt_in_signal_mode():
    run_and_interrupt(KERNEL_NAME, lambda manager: manager.interrupt_kernel())


def test_interrupt_in_message_mode(message_mode_kernel_name):
    run_and_interrupt(message_mode_kernel_name, lambda manager: manager.interrupt_kernel())


def test_plain_sigint_interrupts_too():
    run_and_interrupt(KERNEL_NAME, lambda manager: os.kill(manager.provisioner.process.pid, signal.SIGINT))

