"""The student install, run as the README says, in fresh virtual environments of two Pythons.

The interpreters come from Debian's archive (``tools/debian-python.sh``): 3.11 is
Debian 12's, 3.13 Debian 13's. In each fresh venv the README's student command runs
word for word (on the wheel ``make student-wheel`` builds). pip picks the newest
versions inside the package's ranges, as it does for a student, except torch, held at
2.13.0 (``PIP_CONSTRAINT``); tests/test_packaging.py checks that the instructor's lock
lies inside the same ranges.

torch: the README has students install PyTorch's CPU build first (the CUDA build PyPI
serves for Linux is several GB). That index is not reachable here; on 3.11 the CPU
build of torch 2.13.0 that the instructor install uses stands in for it. For 3.13 PyPI
only has the CUDA build (526 MB plus about 3 GB of nvidia-* wheels), so there pip
*resolves* the README command in full (torch 2.13.0 included, from metadata only) and
installs everything it resolved except torch and its CUDA runtime; the widgets never
import torch (``widgets/__init__.py``), and the 3.11 venv runs a notebook with it.
"""
from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from student_env import _run, build_wheel, fresh_venv, install_student, readme_install_line, readme_student_commands

pytestmark = [pytest.mark.slow]
TORCH_FAMILY = re.compile(r"^(torch|triton|nvidia-.*|cuda-.*)$")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The wheel ``make student-wheel`` builds."""
    return build_wheel(tmp_path_factory.mktemp("student-wheel"))


def check_student_env(venv: Path, env: dict) -> None:
    """What a student needs works: Lab and Notebook, nbgrader's student tabs, the widgets."""
    bin_ = venv / "bin"
    assert _run(bin_ / "jupyter", "notebook", "--version", env=env).stdout.strip().startswith("7.")
    assert _run(bin_ / "jupyter", "lab", "--version", env=env).stdout.strip().startswith("4.")
    # the README's step that hides the instructor's tools from students
    for line in readme_student_commands():
        if line.startswith("jupyter labextension disable") or line.startswith("jupyter server extension disable"):
            _run(bin_ / line.split()[0], *shlex.split(line)[1:], env=env)
    labext = _run(bin_ / "jupyter", "labextension", "list", env=env)
    listing = labext.stdout + labext.stderr
    assert "@jupyter/nbgrader" in listing and "@jupyter-widgets/jupyterlab-manager" in listing, listing
    assert re.search(r"@jupyter/nbgrader:formgrader", listing), listing  # listed as disabled
    server = _run(bin_ / "jupyter", "server", "extension", "list", env=env)
    listing = server.stdout + server.stderr
    for extension in ("nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.validate_assignment"):
        assert re.search(rf"{re.escape(extension)}\s.*enabled", listing), listing
    assert re.search(r"nbgrader.server_extensions.formgrader\s.*disabled", listing), listing
    # the widgets run on numpy alone: set a control as a student would
    probe = ("import sys, widgets\n"
             "w = widgets.LookupExplorer('北京欢迎你', dim=3, seed=0)\n"
             "w.index_slider.value = 2\n"
             "assert 'data-token=\"欢\"' in w.highlight_view.value\n"
             "assert 'autograder' not in sys.modules\n"
             "print(sys.version_info[:2])\n")
    _run(bin_ / "python", "-c", probe, env=env)


def test_student_install_on_python_3_11_runs_a_notebook_with_torch(dist, tmp_path):
    venv, env = fresh_venv("3.11", tmp_path / "venv")
    # torch first (the CPU build of 2.13.0 pip finds here stands in for the CPU index), then the README's line
    install_student(venv, env, dist)
    _run(venv / "bin" / "pip", "check", env=env)
    check_student_env(venv, env)
    # a notebook as a student runs it: torch and a widget over an nn.Embedding in the kernel
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import torch, widgets\n"
        "emb = torch.nn.Embedding(5, 3)\n"
        "view = widgets.LookupExplorer('北京欢迎你', embedding=emb)\n"
        "view.index_slider.value = 4\n"
        "print(torch.__version__, 'data-token=\"你\"' in view.highlight_view.value)")]
    nbformat.write(nb, tmp_path / "student.ipynb")
    _run(venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         tmp_path / "student.ipynb", env=env)
    out = nbformat.read(tmp_path / "student.ipynb", as_version=4).cells[0].outputs[0]["text"]
    assert out.startswith("2.13.0") and out.strip().endswith("True"), out


def test_student_install_on_python_3_13_resolves_and_installs(dist, tmp_path):
    venv, env = fresh_venv("3.13", tmp_path / "venv")
    args = readme_install_line()
    report = tmp_path / "report.json"
    # The README's command, resolved in full by pip on 3.13 (torch too: metadata only).
    _run(venv / "bin" / args[0], *args[1:2], "--dry-run", "--quiet", "--report", report, *args[2:],
         cwd=dist, env=env)
    resolved = {item["metadata"]["name"].lower(): item for item in json.loads(report.read_text())["install"]}
    assert resolved["torch"]["metadata"]["version"] == "2.13.0"
    assert "embedding-lab-widgets" in resolved and "nbgrader" in resolved
    # Then installed as resolved, without torch's multi-GB CUDA build.
    urls = [item["download_info"]["url"] for name, item in sorted(resolved.items())
            if not TORCH_FAMILY.match(name)]
    _run(venv / "bin" / "pip", "install", "-q", "--no-deps", *urls, cwd=dist, env=env)
    check_student_env(venv, env)
