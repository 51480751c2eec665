"""The speed-ups of nbgrader's internals: written for the installed nbgrader, and each
gives what stock nbgrader gives (scores, validation verdicts and errors, engines)."""
from __future__ import annotations

import importlib.metadata

import jsonschema
import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.nbgraderformat import common as nbgrader_format_common

from autograder.grading import nbgrader_speedups
from autograder.grading.gradebook_writer import notebook_outputs
from autograder.grading.nbgrader_speedups import cached_schema_checks, shared_engines, validate_once
from autograder.grading.records import Output
from autograder.results import Verdict
from test_outputs import graded_cell


def test_they_target_the_installed_nbgrader():
    # They patch nbgrader's module attributes and copy SaveAutoGrades.preprocess: on another
    # version, read nbgrader's changes, check each speed-up, then update NBGRADER_VERSION.
    assert importlib.metadata.version("nbgrader") == nbgrader_speedups.NBGRADER_VERSION


def test_the_names_they_patch_exist_in_nbgrader():
    import nbgrader.api as nbgrader_api

    assert nbgrader_format_common.jsonschema is jsonschema
    assert callable(nbgrader_api.create_engine)


def _validation_errors(cells) -> list[str]:
    errors = []
    for cell in cells:
        try:
            MetadataValidator().validate_cell(cell)
            errors.append("valid")
        except jsonschema.ValidationError as exc:
            errors.append(exc.message)
    return errors


def test_cached_schema_checks_give_stock_verdicts_and_errors():
    good = graded_cell([])
    wrong_type = graded_cell([])
    wrong_type.metadata["nbgrader"]["points"] = "three"
    missing = graded_cell([])
    del missing.metadata["nbgrader"]["grade_id"]
    cells = [good, wrong_type, missing, good]
    stock = _validation_errors(cells)
    with cached_schema_checks():
        assert nbgrader_format_common.jsonschema is not jsonschema
        cached = _validation_errors(cells)
    assert nbgrader_format_common.jsonschema is jsonschema  # put back afterwards
    assert cached == stock and stock[0] == "valid" and stock[1] != "valid" and stock[2] != "valid"


def test_shared_engines_give_one_engine_per_url_and_put_nbgrader_back(tmp_path):
    import nbgrader.api as nbgrader_api

    stock = nbgrader_api.create_engine
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("one.db", "two.db"))
    with shared_engines():
        assert nbgrader_api.create_engine(first) is nbgrader_api.create_engine(first)
        assert nbgrader_api.create_engine(first) is not nbgrader_api.create_engine(second)
    assert nbgrader_api.create_engine is stock


def test_validate_once_still_refuses_an_invalid_notebook():
    from nbconvert.exporters import NotebookExporter

    exporter = NotebookExporter()
    validate_once(exporter)
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    broken.cells[0]["outputs"] = [{"output_type": "no such type"}]
    with pytest.raises(Exception, match="(?i)valid"):
        exporter.from_notebook_node(broken)
    fine, _ = exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
    assert '"cell_type": "code"' in fine


def test_scores_of_a_notebook_are_stored_with_one_commit(tmp_path):
    """OneCommitSaveAutoGrades stores what nbgrader's SaveAutoGrades stores, in one commit (one disk sync)."""
    from nbgrader.api import Gradebook
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from nbgrader.preprocessors import SaveAutoGrades

    from autograder.grading.nbgrader_speedups import OneCommitSaveAutoGrades
    from autograder.course import ensure_tools_on_path

    ensure_tools_on_path()  # a new gradebook runs alembic
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    names = ["t1", "t2", "t3"]
    with Gradebook(db_url) as gb:
        gb.add_assignment("a")
        gb.add_notebook("nb", "a")
        for name in names:
            gb.add_grade_cell(name, "nb", "a", max_score=3, cell_type="code")
        gb.add_student("ann")
        gb.add_submission("a", "ann")
    nb = nbformat.v4.new_notebook()
    for name, passed in zip(names, (True, False, True)):
        cell = graded_cell(notebook_outputs(Output(verdict=Verdict(passed, "" if passed else "wrong")), 1, is_test=True))
        cell.metadata["nbgrader"]["grade_id"] = name
        nb.cells.append(cell)
    resources = {"nbgrader": {"notebook": "nb", "assignment": "a", "student": "ann", "db_url": db_url}}
    def commits_made_by(preprocessor) -> int:
        commits = []
        listener = lambda conn: commits.append(conn)  # noqa: E731
        event.listen(Engine, "commit", listener)
        try:
            preprocessor.preprocess(nbformat.from_dict(nb), resources)
        finally:
            event.remove(Engine, "commit", listener)
        return len(commits)

    stock, ours = commits_made_by(SaveAutoGrades()), commits_made_by(OneCommitSaveAutoGrades())
    assert ours == stock - len(names) + 1  # opening the gradebook commits too; the cells now share one
    with Gradebook(db_url) as gb:
        scores = {g.name: g.auto_score for g in gb.find_submission_notebook("nb", "a", "ann").grades}
    assert scores == {"t1": 3, "t2": 0, "t3": 3}
