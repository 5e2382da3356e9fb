"""Rich output over the wire (issue 5): a short `fit` opens one display and updates it in place
within the throttle, then the cell's result comes; a text kernelspec (TRAINBOOK_PROGRESS=text)
and `%progress text` get a `\\r` bar on stdout instead; charts' SVG is well-formed XML and their
PNG decodes with an independent decoder written here on zlib and struct."""

from __future__ import annotations

import base64
import os
import struct
import subprocess
import time
import xml.etree.ElementTree as ElementTree
import zlib

import pytest
from conftest import KERNEL_NAME
from jupyter_client.manager import start_new_kernel

# Redraws a second the kernel allows (ProgressDisplay.maximumUpdatesPerSecond).
MAX_UPDATES_PER_SECOND = 4
EPOCHS = 3

SETUP = """
seed(1)
let data = Synthetic.blobs(centers: 3, pointsPerCenter: 400, standardDeviation: 0.6)
var model = Sequential { Dense(2, 16, activation: relu); Dense(16, 3) }
let opt = Adam(learningRate: 0.01)
"""
# 1,200 examples in batches of 4: 300 batches an epoch, far more than the display may redraw.
FIT = f"model.fit(data, epochs: {EPOCHS}, batchSize: 4, optimizer: opt)"
BATCHES = EPOCHS * 300


@pytest.fixture(scope="module")
def kernel():
    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    yield client
    client.stop_channels()
    manager.shutdown_kernel()


@pytest.fixture(scope="module")
def text_kernel_name(jupyter_environment):
    name = KERNEL_NAME + "-text"
    subprocess.run(
        [os.environ["TRAINBOOK_BIN"], "install", "--prefix", str(jupyter_environment), "--name", name,
         "--display-name", "Trainbook (text)", "--env", "TRAINBOOK_PROGRESS=text"],
        check=True, capture_output=True,
    )
    return name


def run_cell(client, code: str, timeout: float = 120):
    """Executes `code`; returns its IOPub messages (busy to idle) with their arrival times."""
    received = []
    reply = client.execute_interactive(
        code, timeout=timeout, output_hook=lambda message: received.append((time.monotonic(), message))
    )
    assert reply["content"]["status"] == "ok", reply["content"]
    return [(at, m) for at, m in received if m["msg_type"] not in ("status", "execute_input")]


def test_fit_opens_one_display_then_updates_it_then_the_result_comes(kernel):
    run_cell(kernel, SETUP)
    messages = run_cell(kernel, FIT)
    types = [m["msg_type"] for _, m in messages]
    assert types[0] == "display_data", types
    assert types[-1] == "execute_result", types
    assert set(types[1:-1]) == {"update_display_data"}, types
    display_id = messages[0][1]["content"]["transient"]["display_id"]
    updates = [(at, m) for at, m in messages if m["msg_type"] == "update_display_data"]
    assert all(m["content"]["transient"]["display_id"] == display_id for _, m in updates)
    for _, message in [messages[0]] + updates:
        data = message["content"]["data"]
        assert "text/html" in data and "text/plain" in data
    # The throttle: steps at most MAX_UPDATES_PER_SECOND a second, plus the always-drawn epoch
    # ends and end; arrival times bound the kernel's own interval from above (plus slack).
    span = updates[-1][0] - messages[0][0]
    allowed = MAX_UPDATES_PER_SECOND * (span + 0.5) + EPOCHS + 2
    assert len(updates) <= allowed, (len(updates), span)
    assert len(updates) < BATCHES / 10
    final = updates[-1][1]["content"]["data"]["text/plain"]
    assert f"{EPOCHS}/{EPOCHS}" in final and "loss" in final
    # From the second epoch the display carries the live curves (an SVG in the HTML).
    assert "<svg" in updates[-1][1]["content"]["data"]["text/html"]
    # The result is the History, shown as a table of the epochs.
    assert "text/html" in messages[-1][1]["content"]["data"]


def test_a_second_fit_gets_a_new_display(kernel):
    run_cell(kernel, SETUP)
    first = run_cell(kernel, FIT.replace(f"epochs: {EPOCHS}", "epochs: 1"))
    second = run_cell(kernel, FIT.replace(f"epochs: {EPOCHS}", "epochs: 1"))
    ids = [m["content"]["transient"]["display_id"] for _, m in first + second if m["msg_type"] == "display_data"]
    assert len(ids) == 2 and ids[0] != ids[1]


def assert_text_bar(messages):
    types = {m["msg_type"] for _, m in messages}
    assert "display_data" not in types and "update_display_data" not in types, types
    stdout = "".join(m["content"]["text"] for _, m in messages if m["msg_type"] == "stream")
    assert stdout.startswith("\r")
    assert stdout.count("\n") == EPOCHS
    # Throttled like the display: far fewer redraws than batches.
    assert stdout.count("\r") < BATCHES / 10


def test_the_text_kernelspec_draws_a_bar_on_stdout(text_kernel_name):
    manager, client = start_new_kernel(kernel_name=text_kernel_name)
    try:
        run_cell(client, SETUP)
        assert_text_bar(run_cell(client, FIT))
    finally:
        client.stop_channels()
        manager.shutdown_kernel()


def test_the_progress_magic_switches_the_style(kernel):
    run_cell(kernel, SETUP + "%progress text")
    assert_text_bar(run_cell(kernel, FIT))
    run_cell(kernel, "%progress none")
    assert [m["msg_type"] for _, m in run_cell(kernel, FIT)] == ["execute_result"]
    run_cell(kernel, "%progress rich")


# MARK: - Charts


def decode_png(data: bytes):
    """Decodes a non-interlaced 8-bit greyscale/RGB/RGBA PNG: checks the signature and every
    chunk's CRC, inflates the IDAT stream and undoes the row filters. Returns (width, height,
    channels, rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        offset += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and interlace == 0
    channels = {0: 1, 2: 3, 6: 4}[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    assert len(raw) == height * (stride + 1)
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        assert kind <= 4, kind
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[x] = (line[x] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


CHARTS = [
    'plot([0.9, 0.5, 0.3, 0.2], labels: "loss", title: "Loss <train & test>", yScale: .log)',
    'scatter([1.0, 2.0, 3.0], [2.0, 1.0, 3.0])',
    'bar(["SGD", "Adam"], [0.84, 0.88])',
    "histogram(model[0].weight)",
    "confusionMatrix(model, data).plot()",
]


@pytest.mark.parametrize("code", CHARTS)
def test_charts_give_well_formed_svg_and_a_png_that_decodes(kernel, code):
    run_cell(kernel, SETUP)
    messages = run_cell(kernel, code)
    results = [m for _, m in messages if m["msg_type"] == "execute_result"]
    assert len(results) == 1
    content = results[0]["content"]
    data = content["data"]
    root = ElementTree.fromstring(data["image/svg+xml"])
    assert root.tag.endswith("svg")
    width, height, channels, rows = decode_png(base64.b64decode(data["image/png"]))
    # Drawn at 2x, shown at the 1x size given in the metadata.
    size = content["metadata"]["image/png"]
    assert (width, height) == (2 * size["width"], 2 * size["height"])
    # Not a blank canvas: the background and some ink.
    assert len({row[i:i + channels] for row in rows[::8] for i in range(0, len(row), channels * 8)}) > 2
    assert data["text/plain"].strip()
