"""Start → execute → shutdown, again and again, while every core is kept busy: each kernel must
start, answer its cell, answer `shutdown_request` on control within 5 s and exit, every time.

A shutdown reply once went unanswered for 5 s on a machine whose two cores were loaded by a
parallel build; this is that machine on purpose. TRAINBOOK_STRESS_CYCLES sets the number of
cycles (200 by default)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import KERNEL_NAME
from jupyter_client.manager import KernelManager

CYCLES = int(os.environ.get("TRAINBOOK_STRESS_CYCLES", "200"))


@pytest.fixture
def busy_cores():
    """One spinning process per core, for the length of the test."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)
    ]
    yield len(spinners)
    for spinner in spinners:
        spinner.kill()
        spinner.wait()


def wait_for_reply(channel, msg_id: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no reply within {timeout} s"
        message = channel.get_msg(timeout=remaining)
        if message["parent_header"].get("msg_id") == msg_id:
            return message


@pytest.mark.timeout(1800)
def test_start_execute_shutdown_cycles_with_every_core_busy(busy_cores):
    slowest_shutdown = 0.0
    started = time.monotonic()
    for cycle in range(CYCLES):
        manager = KernelManager(kernel_name=KERNEL_NAME)
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            outputs: list[dict] = []
            reply = client.execute_interactive(f"{cycle} + 1", timeout=30, output_hook=outputs.append)
            assert reply["content"]["status"] == "ok", reply["content"]
            results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
            assert results == [str(cycle + 1)]
            begin = time.monotonic()
            msg_id = client.shutdown()
            shutdown = wait_for_reply(client.control_channel, msg_id, timeout=5)
            assert shutdown["msg_type"] == "shutdown_reply"
            while manager.is_alive():
                assert time.monotonic() - begin < 5, f"cycle {cycle}: the kernel did not exit within 5 s"
                time.sleep(0.01)
            slowest_shutdown = max(slowest_shutdown, time.monotonic() - begin)
        finally:
            client.stop_channels()
            if manager.is_alive():
                manager.shutdown_kernel(now=True)
            manager.cleanup_resources()
    elapsed = time.monotonic() - started
    print(f"{CYCLES} cycles with {busy_cores} busy cores in {elapsed:.0f} s; slowest shutdown {slowest_shutdown:.2f} s")
