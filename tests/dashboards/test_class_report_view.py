"""The class-report view without a browser: set controls as a user would, read the HTML."""
from __future__ import annotations

import re
import shutil

import pytest
from nbgrader.api import Gradebook

from autograder.class_report import CellSummary, Bin
from autograder.results import CellScore, ClassData, TestCell
from autograder.dashboards import _plots
from autograder.dashboards.class_report_view import (COURSE_DIR_ENV, DB_URL_ENV, ClassReportView,
                                                     default_db_url)


def _attrs(html: str, cls: str, attr: str) -> list[str]:
    return re.findall(rf'class="{cls}"[^>]*?{attr}="([^"]*)"', html)


def test_shows_the_class(course):
    course_dir, db_url = course
    view = ClassReportView(db_url, course_dir)
    assert 'data-students="4"' in view.status_view.value
    assert _attrs(view.assignments_view.value, "el-assignment", "data-submitted") == ["3", "2"]
    assert "not submitted: dan" in view.assignments_view.value
    assert 'data-cell="a1_lookup.one_hot_errors" data-full="1" data-partial="0" data-zero="2"' \
        in view.cells_view.value
    assert _attrs(view.failures_view.value, "el-failure", "data-count") == ["2", "1", "1", "1"]
    assert _attrs(view.help_view.value, "el-help", "data-student") == ["dan", "cyd", "bob"]


def test_threshold_slider_changes_who_is_flagged(course):
    view = ClassReportView(*reversed(course))
    view.threshold_slider.value = 0.0
    assert _attrs(view.help_view.value, "el-help", "data-student") == ["dan", "cyd"]
    assert 'data-threshold="0.00" data-flagged="2"' in view.help_view.value
    view.threshold_slider.value = 0.2          # cyd has exactly 20%: not below
    assert _attrs(view.help_view.value, "el-help", "data-student") == ["dan", "cyd"]
    view.threshold_slider.value = 0.3
    assert _attrs(view.help_view.value, "el-help", "data-student") == ["dan", "cyd", "bob"]


def test_reload_shows_new_grades(course):
    course_dir, db_url = course
    view = ClassReportView(db_url, course_dir)
    with Gradebook(db_url, course_id="embedding-lab") as gb:
        gb.find_grade("embedding_to_linear_basic", "a2_linear", "a2_linear", "bob").manual_score = 3.0
        gb.db.commit()
    assert "bob" in _attrs(view.help_view.value, "el-help", "data-student")
    view.reload_button.click()
    assert "bob" not in _attrs(view.help_view.value, "el-help", "data-student")


def test_missing_gradebook_is_reported_on_the_page_and_recovers(course, tmp_path):
    course_dir, db_url = course
    moved = tmp_path / "elsewhere.db"
    shutil.move(course_dir / "gradebook.db", moved)
    view = ClassReportView(db_url, course_dir)
    assert 'class="el-report-error"' in view.status_view.value
    assert "no gradebook at" in view.status_view.value and "Traceback" not in view.status_view.value
    assert view.assignments_view.value == view.help_view.value == ""
    view.threshold_slider.value = 0.5          # no data: nothing to redraw, no error
    shutil.move(moved, course_dir / "gradebook.db")
    view.reload()
    assert 'data-students="4"' in view.status_view.value


def test_without_course_dir_failures_say_why(course):
    view = ClassReportView(course[1])
    assert "need the course directory" in view.failures_view.value
    assert _attrs(view.help_view.value, "el-help", "data-student") == ["dan", "cyd", "bob"]


def test_from_environment_uses_what_the_server_passed(course, monkeypatch):
    course_dir, db_url = course
    monkeypatch.setenv(COURSE_DIR_ENV, str(course_dir))
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    view = ClassReportView.from_environment()
    assert view.db_url == default_db_url(course_dir) and 'data-students="4"' in view.status_view.value
    monkeypatch.setenv(DB_URL_ENV, "sqlite:///" + str(course_dir / "missing.db"))
    assert "el-report-error" in ClassReportView.from_environment().status_view.value


def test_database_password_is_not_shown():
    view = ClassReportView("postgresql://teacher:s3cret@localhost:1/grades")
    assert "s3cret" not in view.status_view.value


def test_histogram_svg_marks_every_bin_with_its_count():
    svg = _plots.histogram_svg([Bin(0, 1, 2), Bin(1, 2, 0), Bin(2, 3, 5)], "a<1>")
    assert re.findall(r'class="bar"[^>]*data-count="(\d+)"', svg) == ["2", "0", "5"]
    assert "a&lt;1&gt;" in svg and "<1>" not in svg


def test_cell_bars_svg_splits_each_cell():
    svg = _plots.cell_bars_svg([CellSummary("a1", "x<y", 2.0, full=3, partial=0, zero=1)])
    assert 'data-full="3" data-partial="0" data-zero="1"' in svg
    assert 'class="cell-full" data-count="3"' in svg and "cell-partial" not in svg
    assert "x&lt;y" in svg


def test_hbar_svg_scales_bars_to_the_maximum():
    svg = _plots.hbar_svg([("a", 2, "t"), ("b", 1, "t")], 2, "failures")
    widths = [float(w) for w in re.findall(r'<rect x="230" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[0] > 0


def test_failures_from_another_course_dir_say_where_they_were_looked_for(course, tmp_path):
    """A gradebook with lost points but no readable autograded notebooks is not reported as 'no failures'."""
    view = ClassReportView(course[1], tmp_path / "elsewhere")
    assert "no failing test cells" not in view.failures_view.value
    assert str(tmp_path / "elsewhere" / "autograded") in view.failures_view.value


def _view_of(data, tmp_path) -> ClassReportView:
    """The view showing ``data`` as if read from a course in ``tmp_path``."""
    view = ClassReportView(f"sqlite:///{tmp_path / 'none.db'}", tmp_path)
    view.show(data)
    return view


def test_every_failure_message_is_on_the_page_the_first_ten_then_the_rest_folded(tmp_path):
    scores = tuple(CellScore(f"s{i:02d}", "a1", "a1", f"cell{i:02d}", 0.0, 1.0, f"AssertionError: mistake {i:02d}")
                   for i in range(23))
    cells = tuple(TestCell("a1", "a1", f"cell{i:02d}", 1.0) for i in range(23))
    data = ClassData(tuple(s.student for s in scores), ("a1",), cells, scores)
    page = _view_of(data, tmp_path).failures_view.value
    first, _, folded = page.partition('<details class="el-more-failures"')
    assert len(re.findall('class="el-failure"', first)) == 10
    assert "<summary>13 more failure messages</summary>" in folded
    assert len(re.findall('class="el-failure"', folded)) == 13
    assert all(f"mistake {i:02d}" in page for i in range(23))


def test_could_not_be_graded_and_not_attempted_have_their_own_notes_and_bars(tmp_path):
    from test_class_report import _three_kinds_of_zero

    view = _view_of(_three_kinds_of_zero(), tmp_path)
    notes = view.failures_view.value
    not_attempted = re.search(r'class="el-note el-not-attempted"[^>]*>(.*?)</div>', notes).group(1)
    not_graded = re.search(r'class="el-note el-not-graded"[^>]*>(.*?)</div>', notes).group(1)
    assert "ben" in not_attempted and "ann" not in not_attempted and "NotImplementedError" in not_attempted
    assert "ann" in not_graded and "ben" not in not_graded
    assert "the notebook could not be read (NotJSONError)" in not_graded
    assert 'data-zero="1" data-untouched="1" data-not-graded="1"' in view.cells_view.value
    assert "could not be graded" in view.cells_view.value  # the legend
    helped = dict(re.findall(r'data-student="(\w+)"[^>]*>(?:<td[^>]*>[^<]*</td>){2}<td[^>]*>([^<]*)</td>',
                             view.help_view.value))
    assert helped["ann"].startswith("a1: could not be graded (")
    assert helped["ben"] == "a1: 0 of 3 points (not attempted)"
