"""oneDNN is loaded on the first convolution that needs it, not at start: a started kernel
answers kernel_info without libdnnl in its address space, and a convolution oneDNN runs maps it
and computes it (an output of an all-ones input is its filter's sum plus its bias; the
in-process tests compare oneDNN with the im2col path in full)."""

from __future__ import annotations

from conftest import KERNEL_NAME
from jupyter_client.manager import start_new_kernel

# 16 channels × 3 × 3 = 144 inputs per window: the automatic backend runs it on oneDNN.
CONVOLUTION = """
let layer = Conv2D(16, 8, kernelSize: 3, padding: .same)
let x = Tensor.ones([2, 16, 8, 8])
let y = layer(x)
"""
CENTRE = """
let expected = layer.weight.value[3].sum() + layer.bias.value[3]
y[1, 3, 4, 4].allClose(expected, tolerance: 1e-5)
"""


def mapped_libraries(pid: int) -> set[str]:
    with open(f"/proc/{pid}/maps") as maps:
        return {line.split()[-1].rsplit("/", 1)[-1] for line in maps if "/" in line}


def result(client, code: str) -> str:
    outputs = []
    reply = client.execute_interactive(code, timeout=60, output_hook=outputs.append)
    assert reply["content"]["status"] == "ok", reply["content"]
    results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
    return results[-1] if results else ""


def test_onednn_loads_on_first_convolution():
    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    try:
        pid = manager.provisioner.process.pid
        assert not any(name.startswith("libdnnl") for name in mapped_libraries(pid))
        assert "BLAS: OpenBLAS" in client.kernel_info(reply=True)["content"]["banner"]
        result(client, CONVOLUTION)
        assert any(name.startswith("libdnnl") for name in mapped_libraries(pid))
        assert result(client, "y.shape") == "[2, 8, 8, 8]"
        assert result(client, CENTRE) == "true"
    finally:
        client.stop_channels()
        manager.shutdown_kernel()
