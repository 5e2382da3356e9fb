"""Shared set-up for the Jupyter-side tests: a built trainbook, a private Jupyter data directory
with its kernelspec (and the venv's ipykernel one), and a recorder of every message received
from a Trainbook kernel, validated against protocol/schemas."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_client.session import Session

sys.path.insert(0, str(Path(__file__).parent))
from protocol_schemas import Recorder  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RECORDER = Recorder()
KERNEL_NAME = "trainbook-test"


def trainbook_binary() -> Path:
    explicit = os.environ.get("TRAINBOOK_BIN")
    if explicit:
        return Path(explicit)
    bin_path = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    return Path(bin_path) / "trainbook"


@pytest.fixture(scope="session", autouse=True)
def jupyter_environment(tmp_path_factory: pytest.TempPathFactory):
    """Installs the kernelspec under a temporary prefix and points Jupyter at it."""
    base = tmp_path_factory.mktemp("jupyter")
    binary = trainbook_binary()
    subprocess.run(
        [str(binary), "install", "--prefix", str(base), "--name", KERNEL_NAME], check=True, capture_output=True
    )
    saved = dict(os.environ)
    os.environ["JUPYTER_PATH"] = str(base / "share" / "jupyter")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    os.environ["JUPYTER_DATA_DIR"] = str(base / "data")
    os.environ["TRAINBOOK_HISTORY"] = str(base / "history.jsonl")
    os.environ["TRAINBOOK_BIN"] = str(binary)
    # As if the test venv were activated: its ipykernel kernelspec (which starts "python") is
    # found under $VIRTUAL_ENV/share/jupyter, and "python" is the venv's.
    os.environ["VIRTUAL_ENV"] = sys.prefix
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    yield base
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session", autouse=True)
def record_messages():
    """Records every message deserialised from a Trainbook kernel (its headers carry
    username "kernel" and its implementation's session), for schema validation."""
    original = Session.deserialize

    def deserialize(self, msg_list, content=True, copy=True):
        message = original(self, msg_list, content=content, copy=copy)
        if content and message.get("header", {}).get("username") == "kernel":
            RECORDER.add(message)
        return message

    Session.deserialize = deserialize
    yield RECORDER
    Session.deserialize = original
