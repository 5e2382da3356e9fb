"""`trainbook run` proven against a kernel nobody here wrote: ipykernel's python3 kernelspec."""

from __future__ import annotations

import base64
import glob
import os
import subprocess
import time
from pathlib import Path

import nbformat
import psutil

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def trainbook(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [os.environ["TRAINBOOK_BIN"], *arguments], capture_output=True, text=True, timeout=timeout
    )


def make_notebook(path: Path, sources: list[str], minor: int = 4) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.nbformat_minor = minor
    notebook.cells = [nbformat.v4.new_markdown_cell("# A test notebook")]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    if minor < 5:
        for cell in notebook.cells:
            cell.pop("id", None)
    path.write_text(nbformat.writes(notebook))


def no_python_kernels_left() -> bool:
    time.sleep(0.3)
    return not any(
        "ipykernel_launcher" in " ".join(process.info["cmdline"] or [])
        and process.info["ppid"] == os.getpid()
        for process in psutil.process_iter(["cmdline", "ppid"])
    )


def test_notebook_runs_on_ipykernel_and_is_written_as_nbformat_45(tmp_path):
    source = tmp_path / "demo.ipynb"
    make_notebook(source, [
        "print('hello from python')\n6 * 7",
        "import sys\nprint('to stderr', file=sys.stderr)",
        "from IPython.display import display, Image, SVG\nimport base64\n"
        f"display(Image(data=base64.b64decode('{PNG}')))\n"
        "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"/>'))",
        "h = display('first', display_id=True)\nh.update('second')",
    ])
    output = tmp_path / "out" / "demo.ipynb"
    output.parent.mkdir()
    result = trainbook("run", str(source), "--kernel", "python3", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "hello from python\n42\n" in result.stdout
    assert "to stderr" in result.stderr
    images = sorted(glob.glob(str(tmp_path / "out" / "demo_files" / "*")))
    assert [Path(image).suffix for image in images] == [".png", ".svg"]
    assert Path(images[0]).read_bytes() == base64.b64decode(PNG)
    for image in images:
        assert f"[image saved to {image}]" in result.stdout

    executed = nbformat.read(str(output), as_version=4)
    nbformat.validate(executed)
    assert executed.nbformat_minor == 5
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2, 3, 4]
    assert code[0].outputs[0] == {"output_type": "stream", "name": "stdout", "text": "hello from python\n"}
    assert code[0].outputs[1]["data"]["text/plain"] == "42"
    assert code[2].outputs[0]["data"]["image/png"].strip() == PNG
    assert code[3].outputs[0]["data"]["text/plain"] == "'second'"
    assert executed.metadata["kernelspec"]["name"] == "python3"
    assert executed.metadata["language_info"]["name"] == "python"
    assert no_python_kernels_left()


def test_cell_ids_are_kept_and_added(tmp_path):
    source = tmp_path / "ids.ipynb"
    make_notebook(source, ["1"], minor=5)
    original = nbformat.read(str(source), as_version=4)
    result = trainbook("run", str(source), "--kernel", "python3")
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(str(tmp_path / "ids.out.ipynb"), as_version=4)
    assert [cell.id for cell in executed.cells] == [cell.id for cell in original.cells]


def test_a_failing_cell_stops_the_run_unless_errors_are_allowed(tmp_path):
    source = tmp_path / "fails.ipynb"
    make_notebook(source, ["x = 1", "1 / 0", "print('after', x)"])
    stopped = trainbook("run", str(source), "--kernel", "python3")
    assert stopped.returncode == 1
    assert "ZeroDivisionError" in stopped.stderr
    assert "after" not in stopped.stdout
    executed = nbformat.read(str(tmp_path / "fails.out.ipynb"), as_version=4)
    assert executed.cells[2].outputs[0]["output_type"] == "error"
    assert executed.cells[3].execution_count is None

    allowed = trainbook("run", str(source), "--kernel", "python3", "--allow-errors")
    assert allowed.returncode == 0, allowed.stderr
    assert "after 1" in allowed.stdout


def test_timeout_interrupts_the_cell(tmp_path):
    source = tmp_path / "slow.ipynb"
    make_notebook(source, ["import time\ntime.sleep(60)", "print('never')"])
    start = time.monotonic()
    result = trainbook("run", str(source), "--kernel", "python3", "--timeout", "2")
    assert result.returncode == 1
    assert time.monotonic() - start < 30
    assert "CellTimeoutError" in result.stderr
    assert no_python_kernels_left()


def test_percent_scripts_run_cell_by_cell(tmp_path):
    script = tmp_path / "script.swift"
    script.write_text("a = 20\n// %% second\nprint(a + 1)\n// %% [markdown]\n// notes\n// %%\na * 2\n")
    output = tmp_path / "script.ipynb"
    result = trainbook("run", str(script), "--kernel", "python3", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["21", "40"]
    executed = nbformat.read(str(output), as_version=4)
    nbformat.validate(executed)
    assert [cell.cell_type for cell in executed.cells] == ["code", "code", "markdown", "code"]


def test_unknown_kernel_and_bad_arguments_are_explained(tmp_path):
    result = trainbook("run", "nothing.ipynb", "--kernel", "no-such-kernel")
    assert result.returncode == 2
    assert "no-such-kernel" in result.stderr or "nothing.ipynb" in result.stderr
    source = tmp_path / "ok.ipynb"
    make_notebook(source, ["1"])
    result = trainbook("run", str(source), "--kernel", "no-such-kernel")
    assert result.returncode == 2
    assert 'no kernel named "no-such-kernel"' in result.stderr
    assert trainbook("run", str(source), "--timeout", "soon").returncode == 2
    assert trainbook("run").returncode == 2


def test_connection_files_are_private_and_removed(tmp_path):
    runtime = Path(os.environ["JUPYTER_RUNTIME_DIR"])
    before = set(runtime.glob("kernel-*.json")) if runtime.exists() else set()
    source = tmp_path / "peek.ipynb"
    make_notebook(source, [
        "import os, glob, stat, json\n"
        f"files = [f for f in glob.glob('{runtime}/kernel-*.json')]\n"
        "info = json.load(open(files[-1]))\n"
        "print(oct(stat.S_IMODE(os.stat(files[-1]).st_mode)), info['ip'], info['signature_scheme'], len(info['key']) > 16)"
    ])
    result = trainbook("run", str(source), "--kernel", "python3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0o600 127.0.0.1 hmac-sha256 True"
    after = set(runtime.glob("kernel-*.json"))
    assert after == before
