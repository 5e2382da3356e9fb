"""notebooks/01 in JupyterLab under headless Chromium, as a person would use it: Run All, every
cell runs without an error and the cells that produce something show it, images render, fit's
display updates in place (one output), the stop button interrupts a loop within a second, and
Tab completion shows a popup of what starts with `pr` (`print`, no `protocol`).

JupyterLab (pinned in requirements.txt) is started by the test on 127.0.0.1 with a random free
port, a random token and its own temporary Jupyter directories (the kernelspec is the one the
conftest installs under a temporary prefix); Debian's chromium and chromium-driver drive it
through Selenium. On failure a screenshot and the page's HTML go to .build/browser-test/
(BROWSER_TEST_SCREENSHOTS=1 keeps them on success too)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import KERNEL_NAME, ROOT
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

NOTEBOOK = "01-first-model.ipynb"
ARTIFACTS = ROOT / ".build" / "browser-test"
RUN_ALL_TIMEOUT = 150
LOOP = "var spins = 0\nwhile true { spins += 1 }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.1):
    """Polls `condition` until it returns something truthy; fails naming `what` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except WebDriverException:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@pytest.fixture(scope="module")
def lab(jupyter_environment, tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of notebooks/01 bound to the test
    kernelspec; yields (base URL, token)."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    root.mkdir()
    notebook = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text())
    notebook["metadata"]["kernelspec"]["name"] = KERNEL_NAME
    (root / NOTEBOOK).write_text(json.dumps(notebook))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        TRAINBOOK_QUICK="1",
    )
    # No "get notified about Jupyter news?" toast over the notebook.
    notification = base / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    log = open(base / "lab.log", "w")
    arguments = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ServerApp.port_retries=0", "--ServerApp.terminals_enabled=False",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:  # CI containers run as root
        arguments.append("--allow-root")
    server = subprocess.Popen(
        arguments,
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def ready():
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            assert server.poll() is None, (base / "lab.log").read_text()
            return False

    try:
        wait_for(ready, 60, "JupyterLab to start", interval=0.3)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if os.environ.get("BROWSER_TEST_SCREENSHOTS"):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(base / "lab.log", ARTIFACTS / "lab.log")


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(
        service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def keep_evidence(request, browser):
    """Saves a screenshot and the page's HTML when the test fails (or when asked to)."""
    failures = request.session.testsfailed
    yield
    # The call's report is logged before the fixtures are torn down.
    if request.session.testsfailed > failures or os.environ.get("BROWSER_TEST_SCREENSHOTS"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
        (ARTIFACTS / f"{request.node.name}.html").write_text(browser.page_source)


# MARK: - The page


def cells(browser):
    return browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell.jp-CodeCell")


def prompt(cell) -> str:
    return cell.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt").text.strip()


def kernel_idle(browser) -> bool:
    indicators = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator")
    return bool(indicators) and indicators[0].get_attribute("data-status") == "idle"


def run_menu_command(browser, menu: str, command: str) -> None:
    """Clicks a top menu by its label, then the item of `command`."""
    for label in browser.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-itemLabel"):
        if label.text.strip() == menu:
            label.click()
            break
    else:
        raise AssertionError(f"no menu {menu}")
    item = wait_for(
        lambda: browser.find_element(By.CSS_SELECTOR, f'.lm-Menu li[data-command="{command}"]'),
        5, f"the menu item {command}")
    item.click()


# Records every progress bar the fit cell's output shows, as JupyterLab puts it into the page:
# a fast release build may finish fit between two polls of the test, but not between two DOM
# mutations, so every in-place update is seen.
PROGRESS_OBSERVER = """
window.trainbookProgressValues = [];
new MutationObserver(records => {
    for (const record of records) {
        for (const node of record.addedNodes) {
            if (!node.querySelectorAll) continue;
            for (const bar of node.querySelectorAll('progress')) {
                const cell = bar.closest('.jp-Cell');
                if (cell && cell.textContent.includes('model.fit(')) {
                    window.trainbookProgressValues.push(bar.getAttribute('value'));
                }
            }
        }
    }
}).observe(document.body, {childList: true, subtree: true});
"""


def open_notebook(browser, lab) -> None:
    url, token = lab
    browser.get(f"{url}/lab/tree/{NOTEBOOK}?token={token}&reset")
    wait_for(lambda: len(cells(browser)) >= 11, 60, "the notebook's cells")
    wait_for(lambda: kernel_idle(browser), 60, "the kernel to start")


# MARK: - Tests


def test_run_all_renders_every_output_and_updates_fit_in_place(browser, lab, keep_evidence):
    open_notebook(browser, lab)
    browser.execute_script(PROGRESS_OBSERVER)
    run_menu_command(browser, "Run", "runmenu:run-all")
    code_cells = cells(browser)
    fit_cell = next(cell for cell in code_cells if "model.fit(" in cell.text)

    # While fit runs, its one output keeps being replaced with a newer bar, at the same height
    # from the first update (room for the curves is kept before they appear).
    values = set()
    heights = []

    def fit_done():
        bars = fit_cell.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output progress")
        if bars:
            values.add(bars[0].get_attribute("value"))
            output = fit_cell.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output")
            heights.append(output.size["height"])
        return prompt(fit_cell) not in ("[*]:", "[ ]:", "")

    wait_for(fit_done, RUN_ALL_TIMEOUT, "the fit cell to finish", interval=0.05)
    wait_for(lambda: all(prompt(cell) not in ("[*]:", "[ ]:", "") for cell in cells(browser))
             and kernel_idle(browser), RUN_ALL_TIMEOUT, "every cell to run")

    if os.environ.get("BROWSER_TEST_SCREENSHOTS"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for index, cell in enumerate(cells(browser)):
            browser.execute_script("arguments[0].scrollIntoView()", cell)
            time.sleep(0.2)
            cell.screenshot(str(ARTIFACTS / f"cell-{index:02}.png"))
    values.update(browser.execute_script("return window.trainbookProgressValues"))
    assert len(values) >= 2, f"fit's display was not updated in place: {values}"
    assert max(heights) - min(heights) <= 2, f"fit's display changed height: {sorted(set(heights))}"
    fit_outputs = fit_cell.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-child")
    assert len(fit_outputs) == 1, f"fit left {len(fit_outputs)} outputs instead of one display"
    assert fit_outputs[0].find_elements(By.CSS_SELECTOR, "progress")
    assert fit_outputs[0].find_elements(By.CSS_SELECTOR, "svg"), "fit's curves are missing"

    errors = browser.find_elements(
        By.CSS_SELECTOR, '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert not errors, "an output shows an error: " + errors[0].text[:500]
    # The first cell only sets values up; every other cell shows something.
    for index, cell in enumerate(cells(browser)[1:], start=1):
        assert cell.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"), \
            f"cell {index} has no output:\n{cell.text[:300]}"
    images = browser.find_elements(
        By.CSS_SELECTOR, ".jp-OutputArea-output img, .jp-OutputArea-output svg")
    assert len(images) >= 3, f"only {len(images)} images rendered"
    for image in browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output img"):
        assert browser.execute_script("return arguments[0].naturalWidth", image) > 0


def add_cell_and_type(browser, text: str):
    """Adds a code cell at the end of the notebook (with the footer's "Click to add a cell")
    and types `text` into it; returns it."""
    count = len(cells(browser))
    footer = browser.find_element(By.CSS_SELECTOR, ".jp-Notebook-footer")
    browser.execute_script("arguments[0].scrollIntoView()", footer)
    footer.click()
    new = wait_for(lambda: cells(browser)[-1] if len(cells(browser)) > count else None, 5,
                   "a new cell")
    editor = new.find_element(By.CSS_SELECTOR, ".cm-content")
    editor.click()
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            editor.send_keys(Keys.ENTER)
            # JupyterLab indents after a newline; start each line at the margin.
            editor.send_keys(Keys.HOME)
        editor.send_keys(line)
    return new


def test_stop_button_interrupts_a_loop_within_a_second(browser, lab, keep_evidence):
    if not cells(browser):
        open_notebook(browser, lab)
    wait_for(lambda: kernel_idle(browser), 30, "an idle kernel")
    cell = add_cell_and_type(browser, LOOP)
    cell.find_element(By.CSS_SELECTOR, ".cm-content").send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(lambda: prompt(cell) == "[*]:" and not kernel_idle(browser), 10, "the loop to run")
    time.sleep(0.5)
    stop = browser.find_element(
        By.CSS_SELECTOR, '.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]')
    start = time.monotonic()
    stop.click()
    wait_for(lambda: "KeyboardInterrupt" in cell.text, 5, "the interrupt", interval=0.02)
    elapsed = time.monotonic() - start
    print(f"stop button to KeyboardInterrupt shown: {elapsed:.3f} s")
    assert elapsed < 1.0, f"the stop button took {elapsed:.2f} s"
    wait_for(lambda: kernel_idle(browser), 5, "the kernel to be idle again")


def test_tab_completion_shows_a_popup_of_prefix_matches(browser, lab, keep_evidence):
    if not cells(browser):
        open_notebook(browser, lab)
    wait_for(lambda: kernel_idle(browser), 30, "an idle kernel")
    cell = add_cell_and_type(browser, "pr")
    cell.find_element(By.CSS_SELECTOR, ".cm-content").send_keys(Keys.TAB)
    popup = wait_for(
        lambda: next((element for element in browser.find_elements(By.CSS_SELECTOR, ".jp-Completer")
                      if element.is_displayed()), None), 10, "the completion popup")
    items = [item.text.strip()
             for item in popup.find_elements(By.CSS_SELECTOR, ".jp-Completer-match")]
    # JupyterLab sorts matches of equal fuzzy score alphabetically itself (precondition before
    # print), so the kernel's order is checked in CompletionRankingTests; here, what is offered.
    assert "print" in items, f"completions for pr: {items}"
    # Prefix matches in any case (`Pruner` for `pr`), as the kernel ranks them after exact-case
    # ones; never a non-prefix match such as `RMSProp`.
    assert all(item.lower().startswith("pr") for item in items), \
        f"non-prefix matches offered: {items}"
    assert "protocol" not in items and "private" not in items, items
    cell.find_element(By.CSS_SELECTOR, ".cm-content").send_keys(Keys.ESCAPE)
