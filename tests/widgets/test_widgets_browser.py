"""The widgets driven by a user in headless chromium: Voila, JupyterLab 4 and Notebook 7.

One small notebook (a LookupExplorer, a TrainingView and a practice Quiz) is served
by each frontend; the test drags the token slider, clicks a mode, presses Play and
answers the quiz, and checks what the page shows after the kernel has answered.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NOTEBOOK = "widgets_check.ipynb"
CELLS = [
    'from widgets import LookupExplorer, Quiz, TrainingView, hash_answer\n'
    'explorer = LookupExplorer("北京欢迎你", dim=3)\nexplorer',
    'import torch\n'
    'start = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))\n'
    'TrainingView([(10 * s, start * (1 + s)) for s in range(3)], "忐忑喜欢", interval_ms=150)',
    'Quiz("Which is a lookup?", ["W @ x", "W[i]"], practice_key=hash_answer("b", salt="t"))',
]
_SERVER = ["--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=",
           "--ServerApp.password=", "--expose-app-in-browser"]
FRONTENDS = {
    # name: (command after `python -m`, path to open)
    "voila": (["voila", NOTEBOOK, "--no-browser", "--Voila.ip=127.0.0.1"], "/"),
    "lab": (["jupyterlab", *_SERVER], f"/lab/tree/{NOTEBOOK}"),
    "notebook": (["notebook", *_SERVER], f"/notebooks/{NOTEBOOK}"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    """Wait until the server listens (it binds its port only once it is ready)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


@pytest.fixture(params=sorted(FRONTENDS))
def served_notebook(request, tmp_path: Path):
    """Serve the notebook with one frontend on a free port; yields (frontend, url)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / NOTEBOOK)
    command, path = FRONTENDS[request.param]
    port = free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    extra = [f"--port={port}"]
    if request.param != "voila":
        extra += [f"--ServerApp.root_dir={tmp_path}", f"--LabApp.workspaces_dir={tmp_path / 'ws'}"]
    log = open(tmp_path / "server.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", *command, *extra], cwd=tmp_path, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process)
        yield request.param, f"http://127.0.0.1:{port}{path}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 1600})
        finally:
            browser.close()


def run_all_cells(page) -> None:
    """Lab and Notebook 7: wait for an idle kernel, then run every cell."""
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel; return k && k.status === 'idle'; }",
        timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def background(page, row: int) -> str:
    return page.eval_on_selector(f'tr.el-row[data-row="{row}"] > td',
                                 "cell => getComputedStyle(cell).backgroundColor")


def drag_slider(page, label: str, fraction: float) -> None:
    """Drag a slider's handle like a user (keyboard focus is taken by Notebook 7's shortcuts)."""
    slider = page.locator(".widget-slider", has=page.locator("label", has_text=label))
    track = slider.locator(".noUi-base").bounding_box()
    handle = slider.locator(".noUi-handle").bounding_box()
    y = handle["y"] + handle["height"] / 2
    page.mouse.move(handle["x"] + handle["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * fraction, y, steps=5)
    page.mouse.up()


@pytest.mark.slow
@pytest.mark.browser
def test_widgets_respond_to_a_user_in_every_frontend(served_notebook, page):
    frontend, url = served_notebook
    page.goto(url)
    if frontend != "voila":
        run_all_cells(page)
    page.wait_for_selector('.el-highlight[data-row="0"]', timeout=90_000)
    highlight = background(page, 0)
    assert highlight == "rgb(253, 230, 138)" and background(page, 1) != highlight

    drag_slider(page, "token index", 0.75)                  # 0..4: three quarters is index 3
    page.wait_for_selector('.el-highlight[data-row="3"]', timeout=30_000)
    assert background(page, 3) == highlight and background(page, 0) != highlight
    lookup_values = page.get_attribute(".el-result", "data-values")

    page.get_by_role("button", name="Linear(bias=False)").click()
    page.wait_for_selector('.el-result[data-mode="Linear(bias=False)"]', timeout=30_000)
    assert page.get_attribute(".el-result", "data-values") == lookup_values
    assert page.get_attribute(".el-result", "data-agree") == "true"

    page.locator(".widget-play button").first.click()       # Play runs through the 3 snapshots
    page.wait_for_selector('svg.el-training-plot[data-step="20"]', timeout=30_000)

    page.get_by_text("b) W[i]").click()
    page.wait_for_selector('.el-quiz-feedback[data-correct="true"]', timeout=30_000)
