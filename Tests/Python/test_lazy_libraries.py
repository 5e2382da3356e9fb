"""oneDNN is loaded on the first convolution that needs it, not at start: a started kernel
answers kernel_info and runs a cell without libdnnl in its address space, and a convolution
oneDNN runs maps it and computes it (an output of an all-ones input is its filter's sum plus its
bias; the in-process tests compare oneDNN with the im2col path in full); the fallback's log line
on the kernel's standard error is absent, so oneDNN ran it. Without the library
(TRAINBOOK_DNNL_LIBRARY names a missing file) convolutions fall back to im2col with one log line
for the process, and an int8 product fails with an ImportError naming the package."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import KERNEL_NAME
from jupyter_client.manager import start_new_kernel

# 16 channels × 3 × 3 = 144 inputs per window: the automatic backend runs it on oneDNN.
CONVOLUTION = """
let layer = Conv2D(16, 8, kernelSize: 3, padding: .same)
let x = Tensor.ones([2, 16, 8, 8])
let y = layer(x)
"""
FALLBACK = "oneDNN convolution unavailable"
INT8 = """
let data = Synthetic.blobs(centers: 3, pointsPerCenter: 20, standardDeviation: 0.5)
let model = Sequential { Dense(2, 8, activation: relu); Dense(8, 3) }
quantize(model, calibration: data).predict(data).shape
"""
CENTRE = """
let expected = layer.weight.value[3].sum() + layer.bias.value[3]
y[1, 3, 4, 4].allClose(expected, tolerance: 1e-5)
"""


def mapped_libraries(pid: int) -> set[str]:
    with open(f"/proc/{pid}/maps") as maps:
        return {line.split()[-1].rsplit("/", 1)[-1] for line in maps if "/" in line}


def execute(client, code: str) -> tuple[dict, list[dict]]:
    outputs = []
    reply = client.execute_interactive(code, timeout=60, output_hook=outputs.append)
    return reply["content"], outputs


def result(client, code: str) -> str:
    content, outputs = execute(client, code)
    assert content["status"] == "ok", content
    results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
    return results[-1] if results else ""


def start(stderr_path: Path, **environment: str):
    with open(stderr_path, "w") as stderr:
        return start_new_kernel(kernel_name=KERNEL_NAME, env={**os.environ, **environment}, stderr=stderr)


def test_onednn_loads_on_first_convolution(tmp_path):
    stderr = tmp_path / "stderr"
    manager, client = start(stderr)
    try:
        pid = manager.provisioner.process.pid
        assert not any(name.startswith("libdnnl") for name in mapped_libraries(pid))
        assert "BLAS: OpenBLAS" in client.kernel_info(reply=True)["content"]["banner"]
        assert result(client, "1 + 1") == "2"
        assert not any(name.startswith("libdnnl") for name in mapped_libraries(pid))
        result(client, CONVOLUTION)
        assert any(name.startswith("libdnnl") for name in mapped_libraries(pid))
        assert result(client, "y.shape") == "[2, 8, 8, 8]"
        assert result(client, CENTRE) == "true"
        assert FALLBACK not in stderr.read_text()
    finally:
        client.stop_channels()
        manager.shutdown_kernel()


def test_without_onednn_convolutions_fall_back_with_one_line(tmp_path):
    stderr = tmp_path / "stderr"
    manager, client = start(stderr, TRAINBOOK_DNNL_LIBRARY="libdnnl-absent.so.2")
    try:
        result(client, CONVOLUTION)
        for _ in range(3):
            assert result(client, "layer(x).shape") == "[2, 8, 8, 8]"
        assert result(client, "y.shape") == "[2, 8, 8, 8]"
        assert result(client, CENTRE) == "true"
        content, _ = execute(client, INT8)
        assert content["status"] == "error"
        assert content["ename"] == "ImportError", content
        assert "libdnnl-absent.so.2" in content["evalue"] and "libdnnl2" in content["evalue"]
        pid = manager.provisioner.process.pid
        assert not any(name.startswith("libdnnl") for name in mapped_libraries(pid))
    finally:
        client.stop_channels()
        manager.shutdown_kernel()
    lines = [line for line in stderr.read_text().splitlines() if FALLBACK in line]
    assert len(lines) == 1, lines
    assert "(libdnnl-absent.so.2) cannot be loaded" in lines[0] and "libdnnl2" in lines[0]
