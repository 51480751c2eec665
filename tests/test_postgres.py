"""--db-url with a real PostgreSQL server: the pipeline and the class report use it, not SQLite."""
from __future__ import annotations

import pytest

from autograder.demo_submissions import DemoStudent
from autograder.pipeline import run_demo
from postgres_server import postgres_server, unavailable

pytestmark = [pytest.mark.slow, pytest.mark.skipif(unavailable() is not None, reason=str(unavailable()))]


@pytest.fixture(scope="module")
def postgres_url():
    with postgres_server() as url:
        yield url


def test_demo_and_class_report_use_the_postgres_gradebook(tmp_path, tiny_assignments, postgres_url):
    from sqlalchemy import create_engine, text

    from autograder.reporting.gradebook_reader import read_gradebook

    students = [DemoStudent("alice", "reference", "reference"), DemoStudent("carol", "untouched", "release")]
    out = run_demo(tmp_path / "course", db_url=postgres_url, students=students,
                   assignments_dir=tiny_assignments, echo=lambda _: None, progress=False)
    assert not (tmp_path / "course" / "gradebook.db").exists()
    assert {r.student: (r.score, r.max_score) for r in out.results} == {"alice": (3.0, 3.0), "carol": (0.0, 3.0)}
    with create_engine(postgres_url).connect() as db:  # the scores are in PostgreSQL itself
        rows = db.execute(text("select count(*) from grade where auto_score is not null")).scalar()
    assert rows == 4  # 2 students x 2 graded cells
    report = read_gradebook(postgres_url)
    assert sorted(report.students) == ["alice", "carol"]
