"""What students receive says nothing they cannot use.

Every file of an assignment folder is released with the notebook (nbgrader copies
the folder). Students have no ``benchmarks/``, no instructor's tests and no
``autograder`` package, so the released text must not send them there. Hidden
tests (removed from the release) are the only place the grader is named.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ASSIGNMENTS = Path(__file__).resolve().parents[2] / "assignments"
INSTRUCTOR_ONLY = re.compile(r"benchmarks/|instructor|autograder|reference solution|claims test|tests/", re.I)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)


def released_texts():
    for path in sorted(ASSIGNMENTS.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix not in (".py", ".md", ".ipynb", ".tsv"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join(HIDDEN.sub("", "".join(c["source"])) for c in json.loads(text)["cells"])
        yield path.relative_to(ASSIGNMENTS).as_posix(), text


@pytest.mark.parametrize(("name", "text"), list(released_texts()), ids=lambda v: v if "/" in str(v) else "")
def test_released_text_names_nothing_students_do_not_have(name, text):
    assert INSTRUCTOR_ONLY.findall(text) == [], name
