"""The widgets in headless chromium, as users meet them: Voila, JupyterLab 4 and Notebook 7.

One server per frontend for the module, serving a folder with a small notebook (a
LookupExplorer, a TrainingView and a practice Quiz) and the released student notebooks
(nbgrader's student version of assignments/*, solved with the reference solutions so that
every cell runs). The first test drags the token slider, clicks a mode, presses Play and
answers the quiz, and checks what the page shows after the kernel has answered; the others
run all cells of a student notebook in JupyterLab and in Notebook 7. Every page must stay
clean: no console error, no uncaught error, no request to another host (a font or MathJax
from a CDN: the course works offline). Screenshots of the student notebooks are kept in
``artifacts/screenshots/`` for a human to look at.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import nbformat
import pytest

from support import browser as browser_harness
from autograder.dashboards._voila_server import FRONTEND_EXTENSIONS, JUPYTER_DATA_DIR, TEMPLATE

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("EMBEDDING_LAB_ARTIFACTS", REPO_ROOT / "artifacts")) / "screenshots"
NOTEBOOK = "widgets_check.ipynb"
CELLS = [
    'from widgets import LookupExplorer, Quiz, TrainingView, hash_answer\n'
    'explorer = LookupExplorer("北京欢迎你", dim=3)\nexplorer',
    'import torch\n'
    'start = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))\n'
    'TrainingView([(10 * s, start * (1 + s)) for s in range(3)], "忐忑喜欢", interval_ms=150)',
    'Quiz("Which is a lookup?", ["W @ x", "W[i]"], practice_key=hash_answer("b", salt="t"))',
]
# The student notebooks opened, and a part of the widget each one is here for; with a
# Quiz in each, they show every kind of widget (a2 adds none: a LookupExplorer and quizzes).
STUDENT_NOTEBOOKS = {
    "a1_lookup": ".el-vocab",               # LookupExplorer
    "a3_similarity": ".el-cosine-drawing",  # CosineExplorer, NeighbourTable
    "a4_training": ".el-training-plot",     # TrainingView
    "a5_pretrained": ".el-map",             # Projector, WordMap
    "a6_pretraining": ".el-cloze-sentence", # ClozeExplorer
}
_SERVER = ["--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=",
           "--ServerApp.password=", "--expose-app-in-browser"]
FRONTENDS = {
    # name: (command after `python -m`, URL path that opens the notebook at {path})
    "voila": (["voila", NOTEBOOK, "--no-browser", "--Voila.ip=127.0.0.1"], "/"),
    # ?reset: a fresh workspace, so the notebooks opened before are not reopened too.
    "lab": (["jupyterlab", *_SERVER], "/lab/tree/{path}?reset"),
    "notebook": (["notebook", *_SERVER], "/notebooks/{path}"),
}
# Voila as the project serves it (autograder/dashboards/_voila_server.py): our template, which
# drops the lab template's Font Awesome stylesheets from cdn.jsdelivr.net, and only the
# widgets' frontend extensions (by default Voila loads every installed JupyterLab
# extension, and Notebook 7's and nbgrader's fail to load in a Voila page).
VOILA_CONFIG = {"VoilaConfiguration": {"template": TEMPLATE, "extension_allowlist": list(FRONTEND_EXTENSIONS)}}


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


def write_student_notebooks(root: Path, work: Path) -> None:
    """nbgrader's student version of each assignment in ``root/<name>/``, solution cells filled."""
    from sqlalchemy.exc import SAWarning

    from autograder.course import init_course
    from autograder.demo_submissions import reference_submission
    from autograder.pipeline import nbgrader_api

    course = work / "course"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session handling
        init_course(course, assignments=list(STUDENT_NOTEBOOKS))
        api = nbgrader_api(course)
        for name in STUDENT_NOTEBOOKS:
            result = api.generate_assignment(name, force=True, create=True)
            assert result["success"], result.get("error") or result.get("log")
            folder = shutil.copytree(course / "release" / name, root / name)   # what a student gets
            release = nbformat.read(folder / f"{name}.ipynb", as_version=4)
            nbformat.write(reference_submission(release, name), folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def served_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("served")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / NOTEBOOK)
    write_student_notebooks(root, tmp_path_factory.mktemp("course"))
    return root


@pytest.fixture(scope="module")
def server(request, served_root: Path, tmp_path_factory):
    """One frontend (``request.param``) serving ``served_root`` on a free port: (frontend, URL path template)."""
    frontend = request.param
    command, path = FRONTENDS[frontend]
    work = tmp_path_factory.mktemp(frontend)
    config_dir = work / "config"                     # a fresh user: no settings of this machine's
    config_dir.mkdir()
    if frontend == "voila":
        (config_dir / "voila.json").write_text(json.dumps(VOILA_CONFIG))
    else:  # the plugins a student's server on the hub runs (no formgrader, no news prompt)
        shutil.copytree(REPO_ROOT / "hub" / "student" / "labconfig", config_dir / "labconfig")
    port = browser_harness.free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(work / "runtime"), "JUPYTER_CONFIG_DIR": str(config_dir),
           # where Voila finds our template (as autograder.dashboards._voila_server.use_our_template does)
           "JUPYTER_PATH": os.pathsep.join(p for p in (str(JUPYTER_DATA_DIR), os.environ.get("JUPYTER_PATH")) if p)}
    extra = [f"--port={port}"]
    if frontend != "voila":
        extra += [f"--ServerApp.root_dir={served_root}", f"--LabApp.workspaces_dir={work / 'ws'}"]
    log = open(work / "server.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", *command, *extra], cwd=served_root, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process)
        yield frontend, f"http://127.0.0.1:{port}{path}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = browser_harness.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh page (its own cookies and storage), its console and requests recorded in ``page.log``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    page.log = browser_harness.PageLog(page)
    yield page
    context.close()


def assert_clean(page) -> None:
    problems = browser_harness.page_problems(page) + page.log.problems()
    assert problems == [], "the page reported:\n" + "\n".join(problems)


def own_copy(served_root: Path, path: str, frontend: str) -> str:
    """A copy of the served notebook ``path`` for one frontend, beside it (its data files and modules
    stay in reach). Both frontends serve one folder, and JupyterLab autosaves every 120 s: a notebook
    that runs longer was saved with the widget outputs of Lab's kernel, and Notebook 7, opening that
    file, logged "widget model not found" for each before its own run replaced them."""
    original = Path(path)
    copy = original.with_name(f"{original.stem}-{frontend}{original.suffix}")
    shutil.copyfile(served_root / original, served_root / copy)
    return copy.as_posix()


def run_all_cells(page) -> bool:
    """Lab and Notebook 7: wait for an idle kernel, run every cell; True if none failed."""
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel; return k && k.status === 'idle'; }",
        timeout=90_000)
    # The command's promise settles once the last cell has run.
    return page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


# Every widget output of the notebook's model has been rendered as a widget in the page.
_WIDGETS_SHOWN = """() => {
  const panel = window.jupyterapp.shell.currentWidget, cells = panel.content.model.cells;
  let expected = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    expected += cell.outputs.toJSON().filter(
      o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length;
  }
  const shown = [...panel.node.querySelectorAll('.jp-OutputArea-output')]
    .filter(o => o.querySelector('.jupyter-widgets')).length;
  return expected > 0 && shown >= expected;
}"""


def has_math(path: Path) -> bool:
    """Whether a notebook's markdown has inline math ($...$)."""
    nb = nbformat.read(path, as_version=4)
    return any(re.search(r"\$[^$\n]+\$", c.source) for c in nb.cells if c.cell_type == "markdown")


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


@pytest.mark.parametrize("server", sorted(FRONTENDS), indirect=True)
def test_widgets_respond_to_a_user_in_every_frontend(server, page, served_root):
    frontend, url = server
    page.goto(url.format(path=NOTEBOOK if frontend == "voila" else own_copy(served_root, NOTEBOOK, frontend)))
    if frontend != "voila":
        assert run_all_cells(page)
    page.wait_for_selector('.el-highlight[data-row="0"]', timeout=90_000)
    highlight = background(page, 0)
    assert highlight == "rgb(253, 230, 138)" and background(page, 1) != highlight

    drag_slider(page, "token index", 0.75)                  # 0..4: three quarters is index 3
    page.wait_for_selector('.el-highlight[data-row="3"]', timeout=30_000)
    assert background(page, 3) == highlight and background(page, 0) != highlight
    # The highlight and the result are separate widgets, updated by separate messages:
    # read the result once it is the one for row 3, not a row the drag passed through.
    page.wait_for_selector('.el-result[data-index="3"]', timeout=30_000)
    lookup_values = page.get_attribute(".el-result", "data-values")

    page.get_by_role("button", name="Linear(bias=False)").click()
    page.wait_for_selector('.el-result[data-mode="Linear(bias=False)"][data-index="3"]',
                           timeout=30_000)
    assert page.get_attribute(".el-result", "data-values") == lookup_values
    assert page.get_attribute(".el-result", "data-agree") == "true"

    page.locator(".widget-play button").first.click()       # Play runs through the 3 snapshots
    page.wait_for_selector('svg.el-training-plot[data-step="20"]', timeout=30_000)

    page.get_by_text("b) W[i]").click()
    page.wait_for_selector('.el-quiz-feedback[data-correct="true"]', timeout=30_000)
    assert_clean(page)


@pytest.mark.parametrize("assignment", list(STUDENT_NOTEBOOKS))
@pytest.mark.parametrize("server", ["lab", "notebook"], indirect=True)
def test_student_notebook_runs_clean(server, page, served_root, assignment):
    """Run all: every cell runs, every widget shows, and the page logs no error."""
    frontend, url = server
    path = own_copy(served_root, f"{assignment}/{assignment}.ipynb", frontend)
    page.goto(url.format(path=path))
    ran = run_all_cells(page)
    page.wait_for_function(_WIDGETS_SHOWN, timeout=60_000)
    if has_math(served_root / path):
        # Typeset by the MathJax that JupyterLab bundles (a CDN fetch would be in page.log).
        page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
    widget = page.locator(STUDENT_NOTEBOOKS[assignment]).first
    widget.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"student-{frontend}-{assignment}.png"))
    visible = widget.is_visible()
    problems = browser_harness.page_problems(page) + page.log.problems()
    # One server opens every notebook: free this one's kernel (torch alone is ~190 MB).
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    assert ran, "a cell raised an error during run all"
    assert visible, f"{STUDENT_NOTEBOOKS[assignment]} is not on the page"
    assert problems == [], "the page reported:\n" + "\n".join(problems)
