"""Notebooks on the Trainbook kernel: nbclient (`jupyter execute` and its API) and
`trainbook run` with Trainbook's own kernel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from conftest import KERNEL_NAME
from nbclient import NotebookClient

CELLS = [
    'print("hello, world")',
    "let values = [3, 1, 2]\nvalues.sorted()",
    'display(html: "<b>bold</b>")',
    "func square(_ x: Int) -> Int { x * x }\nsquare(12)",
]


def notebook(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Trainbook", "language": "swift"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Trainbook")] + [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def check_outputs(executed: nbformat.NotebookNode) -> None:
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2, 3, 4]
    assert code[0].outputs[0]["text"] == "hello, world\n"
    assert code[1].outputs[0]["data"]["text/plain"] == "[1, 2, 3]"
    assert code[2].outputs[0]["data"]["text/html"] == "<b>bold</b>"
    assert code[3].outputs[0]["data"]["text/plain"] == "144"


def test_nbclient_api_executes_a_notebook():
    executed = NotebookClient(notebook(CELLS), timeout=60, kernel_name=KERNEL_NAME).execute()
    nbformat.validate(executed)
    check_outputs(executed)
    assert executed.metadata["language_info"]["name"] == "swift"


def test_jupyter_execute_runs_a_notebook(tmp_path):
    path = tmp_path / "demo.ipynb"
    nbformat.write(notebook(CELLS), str(path))
    jupyter = Path(sys.executable).parent / "jupyter"
    result = subprocess.run(
        [str(jupyter), "execute", "--inplace", f"--kernel_name={KERNEL_NAME}", str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(str(path), as_version=4)
    check_outputs(executed)


def test_jupyter_execute_reports_a_failing_cell(tmp_path):
    path = tmp_path / "fails.ipynb"
    nbformat.write(notebook(["1 + 1", "undefinedName"]), str(path))
    jupyter = Path(sys.executable).parent / "jupyter"
    result = subprocess.run(
        [str(jupyter), "execute", f"--kernel_name={KERNEL_NAME}", str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "NameError" in result.stderr


def test_trainbook_run_uses_its_own_kernel_by_default(tmp_path):
    script = tmp_path / "cells.swift"
    script.write_text("\n// %%\n".join(CELLS) + "\n")
    output = tmp_path / "cells.ipynb"
    result = subprocess.run(
        [os.environ["TRAINBOOK_BIN"], "run", str(script), "--output", str(output)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["hello, world", "[1, 2, 3]"]
    executed = nbformat.read(str(output), as_version=4)
    nbformat.validate(executed)
    check_outputs(executed)
    assert executed.metadata["kernelspec"]["language"] == "swift"
