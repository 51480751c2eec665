"""A course's settings are read one way (its nbgrader_config.py loaded by traitlets), by every command."""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.course import init_course
from autograder.course_settings import CourseSettingsError, course_settings
from autograder.grading.limits import CELL_TIMEOUT, COURSE_CELL_TIMEOUT, MEMORY_MB, Limits

COMPUTED = '''c = get_config()  # noqa: F821
import os
c.CourseDirectory.db_url = "sqlite:///" + os.path.join("/srv", "grades", "course.db")
c.Execute.timeout = 45
'''


def test_a_folder_without_config_has_nbgraders_defaults(tmp_path):
    settings = course_settings(tmp_path)
    assert settings.root == tmp_path.resolve()
    assert settings.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    assert settings.cell_timeout is None and settings.exchange_root is None


def test_the_course_init_writes_is_read_back(tmp_path, tiny_assignments):
    init_course(tmp_path / "course", tiny_assignments, db_url="postgresql://grader@db/grades", exchange_root="/srv/x")
    settings = course_settings(tmp_path / "course")
    assert settings.db_url == "postgresql://grader@db/grades"
    assert settings.cell_timeout == COURSE_CELL_TIMEOUT and settings.exchange_root == "/srv/x"
    assert course_settings(tmp_path / "course", db_url="sqlite:///other.db").db_url == "sqlite:///other.db"


def test_a_computed_db_url_is_the_gradebook_of_grading_and_of_the_dashboards(tmp_path, monkeypatch):
    from nbgrader.coursedir import CourseDirectory

    from autograder.cli import main
    from autograder.dashboards import _voila_server

    (tmp_path / "nbgrader_config.py").write_text(COMPUTED)
    settings = course_settings(tmp_path)
    assert settings.db_url == "sqlite:////srv/grades/course.db" and settings.cell_timeout == 45
    # grading hands the config to nbgrader's CourseDirectory, which names the same gradebook
    assert CourseDirectory(config=settings.config).db_url == settings.db_url
    served = {}
    monkeypatch.setattr(_voila_server, "serve", lambda dashboards, **kw: served.update(kw) or 0)
    assert main(["dashboards", "--course-dir", str(tmp_path), "--no-browser"]) == 0
    assert served["db_url"] == settings.db_url


def test_a_config_that_does_not_run_is_one_clear_error(tmp_path, capsys):
    from autograder.cli import main

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\nc.Exchange.root = undefined_name\n")
    with pytest.raises(CourseSettingsError, match="nbgrader_config.py could not be loaded .NameError"):
        course_settings(tmp_path)
    assert main(["dashboards", "--course-dir", str(tmp_path), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert "embedding-lab: error:" in err and "NameError" in err and len(err.strip().splitlines()) == 1


def test_each_default_limit_is_the_one_the_command_line_shows():
    from autograder.cli import build_parser

    grade = build_parser()._subparsers._group_actions[0].choices["grade"]
    defaults = {a.dest: a for a in grade._actions}
    assert defaults["memory_mb"].default == Limits().memory_mb == MEMORY_MB
    assert f"else {CELL_TIMEOUT:g})" in defaults["timeout"].help and Limits().timeout == CELL_TIMEOUT
    assert tuple(defaults["isolation"].choices) == ("namespaces", "none") and defaults["isolation"].default == Limits().isolation


def test_a_course_made_before_a_rename_is_told_how_to_update(tmp_path, tiny_assignments, capsys, monkeypatch):
    import hashlib
    import json

    from autograder.cli import main
    from autograder.grading import warm_server

    course = tmp_path / "course"
    init_course(course, tiny_assignments)
    assert course_settings(course).missing_plugins() == []
    # the config an earlier version wrote (and remembered in its manifest), naming autograder.hidden_tests
    config, manifest = course / "nbgrader_config.py", course / ".embedding-lab.json"
    config.write_text(config.read_text().replace("autograder.nbgrader_preprocessors.", "autograder.hidden_tests."))
    hashes = json.loads(manifest.read_text())
    hashes["nbgrader_config.py"] = hashlib.sha256(config.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(hashes))
    monkeypatch.setattr(warm_server, "start_warm_server", lambda mode: None)  # not needed to refuse
    assert course_settings(course).missing_plugins() == ["autograder.hidden_tests.FeedbackClearHiddenTests",
                                                         "autograder.hidden_tests.RestoreHiddenTests"]
    assert main(["grade", "a1_lookup", "--course-dir", str(course), "--isolation", "none"]) == 1
    err = capsys.readouterr().err
    assert "names autograder.hidden_tests.FeedbackClearHiddenTests" in err and "embedding-lab init" in err
    assert init_course(course, tiny_assignments).updated == ["nbgrader_config.py"]  # unedited: rewritten
    assert course_settings(course).missing_plugins() == []
