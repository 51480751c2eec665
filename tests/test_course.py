"""embedding-lab init: creates a course, updates it, and never loses an instructor's work."""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.cli import main
from autograder.course import CourseError, config_text, init_course, require_course


def test_init_creates_an_nbgrader_course(tmp_path, tiny_assignments):
    result = init_course(tmp_path / "course", tiny_assignments)
    course = tmp_path / "course"
    assert (course / "nbgrader_config.py").read_text().startswith("c = get_config()")
    assert (course / "source" / "a1_lookup" / "a1_lookup.ipynb").is_file()
    assert (course / "source" / "a1_lookup" / "data.txt").read_text(encoding="utf-8") == "北京欢迎你\n"
    assert result.assignments == ["a1_lookup"]
    assert sorted(result.created) == ["nbgrader_config.py", "source/a1_lookup/a1_lookup.ipynb",
                                      "source/a1_lookup/data.txt"]


def test_rerun_updates_untouched_files_and_keeps_edited_ones(tmp_path, tiny_assignments):
    course = tmp_path / "course"
    init_course(course, tiny_assignments)
    # The instructor edits the config; the repository's data file changes.
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'mine'\n")
    (tiny_assignments / "a1_lookup" / "data.txt").write_text("你好\n", encoding="utf-8")
    result = init_course(course, tiny_assignments)
    assert result.kept == ["nbgrader_config.py"]
    assert result.updated == ["source/a1_lookup/data.txt"]
    assert "mine" in (course / "nbgrader_config.py").read_text()
    assert (course / "source" / "a1_lookup" / "data.txt").read_text(encoding="utf-8") == "你好\n"
    # An instructor's edit of a source file is kept too, even when the repository changes it again.
    (course / "source" / "a1_lookup" / "data.txt").write_text("edited\n")
    (tiny_assignments / "a1_lookup" / "data.txt").write_text("again\n")
    assert "source/a1_lookup/data.txt" in init_course(course, tiny_assignments).kept
    assert (course / "source" / "a1_lookup" / "data.txt").read_text() == "edited\n"


def test_rerun_never_deletes_submissions_or_grades(tmp_path, tiny_assignments):
    course = tmp_path / "course"
    init_course(course, tiny_assignments)
    submission = course / "submitted" / "ann" / "a1_lookup" / "a1_lookup.ipynb"
    submission.parent.mkdir(parents=True)
    submission.write_text("{}")
    (course / "gradebook.db").write_bytes(b"grades")
    (course / "source" / "a1_lookup" / "extra.txt").write_text("instructor's own file")
    init_course(course, tiny_assignments)
    assert submission.read_text() == "{}"
    assert (course / "gradebook.db").read_bytes() == b"grades"
    assert (course / "source" / "a1_lookup" / "extra.txt").exists()


def test_db_url_goes_into_the_config(tmp_path, tiny_assignments):
    init_course(tmp_path / "c", tiny_assignments, db_url="postgresql://u@localhost/grades")
    assert "c.CourseDirectory.db_url = 'postgresql://u@localhost/grades'" in (tmp_path / "c" / "nbgrader_config.py").read_text()


def test_unknown_assignment_is_a_clear_error(tmp_path, tiny_assignments):
    with pytest.raises(CourseError, match="unknown assignment a9_nope; known: a1_lookup"):
        init_course(tmp_path / "c", tiny_assignments, assignments=["a9_nope"])


def test_missing_course_directory_is_a_one_line_error(tmp_path, capsys):
    with pytest.raises(CourseError, match="no course directory"):
        require_course(tmp_path / "nowhere")
    (tmp_path / "plain").mkdir()
    with pytest.raises(CourseError, match="not an nbgrader course directory"):
        require_course(tmp_path / "plain")


def test_cli_init_reports_and_exits_cleanly(tmp_path, capsys):
    assert main(["init", str(tmp_path / "course")]) == 0
    out = capsys.readouterr().out
    assert "created  nbgrader_config.py" in out and "course directory ready" in out
    assert main(["init", str(tmp_path / "course"), "--assignment", "zz"]) == 1
    assert capsys.readouterr().err.startswith("embedding-lab: error: unknown assignment zz")


def test_rerun_without_db_url_keeps_the_gradebook_the_course_points_at(tmp_path, tiny_assignments):
    url = "postgresql://grader@db.example/grades"
    init_course(tmp_path, tiny_assignments, db_url=url)
    init_course(tmp_path, tiny_assignments)
    assert f"c.CourseDirectory.db_url = {url!r}" in (tmp_path / "nbgrader_config.py").read_text()
    other = "sqlite:////srv/other.db"
    init_course(tmp_path, tiny_assignments, db_url=other)  # a new --db-url wins
    assert f"c.CourseDirectory.db_url = {other!r}" in (tmp_path / "nbgrader_config.py").read_text()


def test_config_keeps_nbgraders_sanitize_steps_and_restores_hidden_tests_before_overwrite_cells(tmp_path):
    from nbgrader.converters import Autograde
    from traitlets.config import Config

    config = Config()
    exec(compile(config_text(), "nbgrader_config.py", "exec"), {"get_config": lambda: config})
    ours = list(config.Autograde.sanitize_preprocessors)
    stock = [f"{pp.__module__.rsplit('.', 1)[0]}.{pp.__name__}" for pp in Autograde.sanitize_preprocessors.default()]
    assert ours == [*stock[:stock.index("nbgrader.preprocessors.OverwriteCells")],
                    "autograder.hidden_tests.RestoreHiddenTests",
                    *stock[stock.index("nbgrader.preprocessors.OverwriteCells"):]]


def test_config_keeps_hidden_tests_out_of_feedback():
    from nbgrader.converters import GenerateFeedback
    from traitlets.config import Config

    config = Config()
    exec(compile(config_text(), "nbgrader_config.py", "exec"), {"get_config": lambda: config})
    stock = [f"{pp.__module__.rsplit('.', 1)[0]}.{pp.__name__}" for pp in GenerateFeedback.preprocessors.default()]
    # nbgrader's ClearHiddenTests, as a subclass that does not warn about display_data_priority
    assert list(config.GenerateFeedback.preprocessors) == [*stock, "autograder.hidden_tests.FeedbackClearHiddenTests"]


def test_feedback_clears_hidden_tests_without_a_warning():
    # nbconvert's HTML exporter configures display_data_priority for every preprocessor; nbgrader's
    # ClearHiddenTests declares it unconfigurable, so generate_feedback warned on every run.
    import logging

    from nbconvert.exporters import HTMLExporter
    from nbgrader.preprocessors import ClearHiddenTests

    from autograder.hidden_tests import FeedbackClearHiddenTests

    class Warnings(logging.Handler):
        def __init__(self):
            super().__init__(logging.WARNING)
            self.messages: list[str] = []

        def emit(self, record):
            self.messages.append(record.getMessage())

    config = HTMLExporter().default_config
    # Each configurable warns through its own logger; hand both the same one (traitlets' default
    # logger depends on which application, if any, the process made first).
    logger, seen = logging.getLogger("test_feedback_clears_hidden_tests"), Warnings()
    logger.addHandler(seen)
    logger.propagate = False
    try:
        ClearHiddenTests(config=config, log=logger)
        assert any("not recognized by `ClearHiddenTests`" in m for m in seen.messages), seen.messages
        seen.messages.clear()
        FeedbackClearHiddenTests(config=config, log=logger)
        assert not any("not recognized" in m for m in seen.messages), seen.messages
    finally:
        logger.removeHandler(seen)


def test_every_command_names_the_course_directory_the_same_way(tmp_path, monkeypatch):
    from autograder.cli import build_parser
    from autograder.course import course_dir_of

    parser = build_parser()
    for argv in (["init"], ["demo"], ["grade", "a1_lookup"], ["dashboards"]):
        args = parser.parse_args([*argv, "--course-dir", str(tmp_path)])
        assert course_dir_of(args) == tmp_path, argv
    # the older spellings still work: `init DIR`, `demo DIR`, `grade --course DIR`
    assert course_dir_of(parser.parse_args(["init", str(tmp_path)])) == tmp_path
    assert course_dir_of(parser.parse_args(["demo", str(tmp_path)])) == tmp_path
    assert course_dir_of(parser.parse_args(["grade", "a1", "--course", str(tmp_path)])) == tmp_path


def test_without_course_dir_a_command_uses_the_course_it_is_started_in(tmp_path, tiny_assignments,
                                                                       monkeypatch):
    from autograder.cli import build_parser
    from autograder.course import course_dir_of, gradebook_url

    parser = build_parser()
    monkeypatch.chdir(tmp_path)
    # outside any course: ./course when `make demo` made one there, else the current directory
    assert course_dir_of(parser.parse_args(["dashboards"])) == tmp_path
    init_course(tmp_path / "course", tiny_assignments)
    assert course_dir_of(parser.parse_args(["dashboards"])) == tmp_path / "course"
    # inside a course: that course, and its gradebook (not ./course/course/gradebook.db)
    monkeypatch.chdir(tmp_path / "course")
    for argv in (["dashboards"], ["grade", "a1_lookup"]):
        assert course_dir_of(parser.parse_args(argv)) == tmp_path / "course"
    assert gradebook_url(Path(".")) == f"sqlite:///{tmp_path / 'course' / 'gradebook.db'}"
    init_course(tmp_path / "course", tiny_assignments, db_url="postgresql://grader@db/grades")
    assert gradebook_url(Path(".")) == "postgresql://grader@db/grades"
    # init and demo keep their own defaults: the current directory, ./course
    assert course_dir_of(parser.parse_args(["init"])) == Path(".")
    assert course_dir_of(parser.parse_args(["demo"])) == Path("course")


def test_exchange_root_is_written_and_kept(tmp_path, tiny_assignments):
    init_course(tmp_path, tiny_assignments, exchange_root="/srv/exchange")
    init_course(tmp_path, tiny_assignments)
    text = (tmp_path / "nbgrader_config.py").read_text()
    assert "c.Exchange.root = '/srv/exchange'" in text and 'c.CourseDirectory.course_id = "embedding-lab"' in text
