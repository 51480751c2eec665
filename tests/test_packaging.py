"""What each install contains: pins agree, and students never get grading code or solutions."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

REPO = Path(__file__).resolve().parent.parent


def _pins_from_pyproject(path: Path) -> dict[str, str]:
    """Every pin: the instructor install and its dev extra (tests, browser and type checks)."""
    data = tomllib.loads(path.read_text())
    deps = list(data["project"]["dependencies"]) + list(data["project"]["optional-dependencies"]["dev"])
    return dict(d.split("==") for d in deps)


def test_every_dependency_is_pinned_exactly():
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    deps = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    assert deps and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", d) for d in deps), deps
    assert "torch==2.13.0" in deps


def test_environment_yml_pins_the_same_versions_as_pyproject():
    yml = (REPO / "environment.yml").read_text()
    conda_pins = dict(re.findall(r"^\s*-\s*([A-Za-z0-9_.\-]+)==([\w.]+)\s*$", yml, re.M))
    assert conda_pins == _pins_from_pyproject(REPO / "pyproject.toml")
    assert re.search(r"^\s*-\s*python=3\.11\s*$", yml, re.M)


def test_constraints_agree_with_pyproject():
    lock = dict(line.split("==") for line in (REPO / "requirements/constraints.txt").read_text().split()
                if "==" in line)
    lock = {k.lower().replace("_", "-"): v for k, v in lock.items()}
    for name, version in _pins_from_pyproject(REPO / "pyproject.toml").items():
        assert lock.get(name.lower()) == version, name


def _student_requirements() -> list[Requirement]:
    data = tomllib.loads((REPO / "widgets" / "pyproject.toml").read_text())
    extras = [r for group in data["project"].get("optional-dependencies", {}).values() for r in group]
    return [Requirement(r) for r in data["project"]["dependencies"] + extras]


def test_student_requirements_are_ranges_that_the_instructor_lock_satisfies():
    # Students install next to what they have, on CPython 3.11-3.13: ranges, never exact pins;
    # and the instructor's tested versions must be inside every range.
    lock = {k.lower().replace("_", "-"): v for k, v in (
        line.split("==") for line in (REPO / "requirements/constraints.txt").read_text().split() if "==" in line)}
    requirements = _student_requirements()
    assert requirements and {r.name for r in requirements} >= {"torch", "numpy", "ipywidgets"}
    for req in requirements:
        ops = {spec.operator for spec in req.specifier}
        assert ops and not ops & {"==", "==="}, f"{req}: the student package takes ranges, not pins"
        assert req.specifier.contains(lock[req.name.lower()], prereleases=True), (str(req), lock[req.name.lower()])
    python = tomllib.loads((REPO / "widgets" / "pyproject.toml").read_text())["project"]["requires-python"]
    assert all(SpecifierSet(python).contains(v) for v in ("3.11", "3.12", "3.13")), python


@pytest.fixture(scope="module")
def student_wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The student install as `make student-wheel` builds it, in a copy (so the tree stays clean).

    The copy has no .venv and the target must not make one: the wheel is built without
    the instructor install.
    """
    tmp = tmp_path_factory.mktemp("wheel")
    shutil.copytree(REPO / "widgets", tmp / "widgets",
                    ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    shutil.copy(REPO / "Makefile", tmp / "Makefile")
    subprocess.run(["make", "-s", "student-wheel", f"PYTHON={sys.executable}"], cwd=tmp,
                   check=True, capture_output=True)
    assert not (tmp / ".venv").exists()
    (wheel,) = (tmp / "dist").glob("embedding_lab_widgets-*.whl")
    return zipfile.ZipFile(wheel)


def _reference_bodies() -> list[str]:
    """Every reference solution function body of three or more statements, normalised."""
    bodies = []
    for path in sorted((REPO / "autograder" / "reference").glob("a*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
                if len(body) >= 3:
                    bodies.append(_normalise(ast.unparse(body)))
    return bodies


def _quiz_keys() -> list[str]:
    keys = []
    for path in sorted((REPO / "autograder" / "reference").glob("a*.py")):
        keys += [m.group(0) for m in re.finditer(r"^quiz_\w+\s*=\s*['\"]\w+['\"]", path.read_text(), re.M)]
    return keys


def _normalise(code: str) -> str:
    return re.sub(r"\s+", " ", code).strip()


def test_student_wheel_holds_only_the_widgets_package(student_wheel):
    names = student_wheel.namelist()
    assert any(n == "widgets/__init__.py" for n in names)
    assert all(n.startswith(("widgets/", "embedding_lab_widgets-")) for n in names), names
    metadata = student_wheel.read(next(n for n in names if n.endswith("METADATA"))).decode()
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    # nbgrader (public, no solutions in it) only comes with the `exchange` extra
    assert all("extra ==" in r for r in requires if r.startswith("nbgrader")), requires
    assert not [r for r in requires if r.startswith("embedding-lab")], requires
    assert "Requires-Python: >=3.11" in metadata


def test_student_wheel_has_no_grading_code_solutions_or_quiz_keys(student_wheel):
    bodies, keys = _reference_bodies(), _quiz_keys()
    assert bodies, "no reference solutions found: the test would prove nothing"
    for name in student_wheel.namelist():
        if not name.endswith((".py", ".ipynb", ".json")):
            continue
        text = student_wheel.read(name).decode("utf-8")
        assert not re.search(r"^\s*(from|import)\s+autograder\b", text, re.M), f"{name} imports autograder"
        assert "run_check(" not in text and "BEGIN HIDDEN TESTS" not in text, name
        if name.endswith(".py"):
            flat = _normalise(ast.unparse(ast.parse(text)))
            leaked = [b for b in bodies if b in flat]
            assert not leaked, f"{name} contains a reference solution: {leaked[0][:80]}"
        assert not [k for k in keys if k in text], f"{name} contains a quiz key"


def test_student_wheel_carries_a6s_checkpoint_and_data_dependency_but_no_graded_function(student_wheel):
    names = student_wheel.namelist()
    assert "widgets/data/cloze_encoder.npz" in names and "widgets/dashboards/cloze.ipynb" in names
    checkpoint = student_wheel.getinfo("widgets/data/cloze_encoder.npz")
    assert checkpoint.file_size == (REPO / "widgets" / "data" / "cloze_encoder.npz").stat().st_size < 3_000_000
    metadata = student_wheel.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Dist: snownlp<0.12.4,>=0.12.3" in metadata
    # a6's five functions are nowhere in the package, not even under another body
    graded = ("mask_tokens", "mlm_loss", "tied_logits", "embed_with_positions", "copy_pretrained_rows")
    for name in names:
        if name.endswith(".py"):
            tree = ast.parse(student_wheel.read(name).decode("utf-8"))
            defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            assert not defined & set(graded), (name, defined & set(graded))


def test_the_leak_detector_finds_a_copied_solution():
    # Guard against a detector that can never fire: a reference module must trip it.
    text = (REPO / "autograder" / "reference" / "a1_lookup.py").read_text()
    flat = _normalise(ast.unparse(ast.parse(text)))
    assert any(b in flat for b in _reference_bodies())


@pytest.mark.slow
def test_the_instructor_lock_resolves_on_debian_12s_python(tmp_path):
    """`make demo` on a fresh Debian 12 uses its python3 (3.11.2): every pin must allow it.

    (soupsieve 4.1.2, pinned before, needs 3.11.5.) pip resolves the whole install from
    metadata, without installing it.
    """
    from student_env import _run, debian_python

    _run(debian_python("3.11"), "-m", "venv", tmp_path / "venv")
    proc = _run(tmp_path / "venv" / "bin" / "pip", "install", "--dry-run", "--quiet", "--report", tmp_path / "r.json",
                "-c", REPO / "requirements" / "constraints.txt", "-e", f"{REPO}[dev]", check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    names = {i["metadata"]["name"].lower() for i in json.loads((tmp_path / "r.json").read_text())["install"]}
    assert {"torch", "nbgrader", "voila", "embedding-lab"} <= names
