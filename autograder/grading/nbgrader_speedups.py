"""Speed-ups of nbgrader's own internals, in one place, for the nbgrader version they target.

Each one keeps nbgrader's results exactly (same scores, same SQL, same validation
verdicts) and removes repeated work that profiling showed while storing grades:

- :class:`OneCommitSaveAutoGrades`: one database commit per notebook, not one per cell;
- :func:`cached_schema_checks`: nbgrader's cell-metadata validator builds each
  JSON-schema validator once, not on every call;
- :func:`shared_engines`: nbgrader's many ``Gradebook`` objects share one SQLAlchemy
  engine (and so its compiled-query cache) per database URL;
- :func:`validate_once`: nbconvert validates a notebook once per conversion
  rather than after each preprocessor (its own ``optimistic_validation`` option).

They reach into nbgrader's modules (``nbgrader.api.create_engine``,
``nbgrader.nbgraderformat.common.jsonschema``, ``SaveAutoGrades.preprocess``), so they
are written for :data:`NBGRADER_VERSION`; ``tests/grading/test_nbgrader_speedups.py``
fails when another version is installed, and checks each speed-up against stock.
"""
from __future__ import annotations

import contextlib
import json
from typing import Any

import jsonschema
import nbgrader.api as nbgrader_api
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import common as nbgrader_format_common
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades

NBGRADER_VERSION = "0.9.6"
"""The nbgrader these were written for and tested against (the instructor install pins it)."""


class OneCommitSaveAutoGrades(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, committing once per notebook instead of once per graded cell.

    Each SQLite commit is a disk sync; for a1 that was about 60 per notebook, a fifth
    of the time nbgrader spends storing one. The scores written are the same, and a
    notebook's scores are now stored together or (on an error) not at all.
    """

    def preprocess(self, nb, resources):
        # SaveAutoGrades.preprocess, plus the one commit before its gradebook closes
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = Gradebook(self.db_url)
        with self.gradebook:
            nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
            self.gradebook.db.commit()
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        session = self.gradebook.db
        session.commit = session.flush  # this session only, while nbgrader's per-cell code runs
        try:
            return super().preprocess_cell(cell, resources, cell_index)
        finally:
            del session.commit


REPLACED_PREPROCESSORS = {SaveAutoGrades: OneCommitSaveAutoGrades}
"""Stock autograde preprocessor -> the faster one that stores the same."""


class _CachedJsonSchema:
    """Stands in for the ``jsonschema`` module inside nbgrader's metadata validator.

    ``jsonschema.validate`` re-checks the schema itself on every call; nbgrader calls
    it for every cell of every notebook, twice per submission, which is most of
    nbgrader's own time per submission. Validating against a validator built once
    per schema gives the same verdicts and the same errors.
    """

    def __init__(self):
        self._validators: dict[str, Any] = {}

    def __getattr__(self, name):
        return getattr(jsonschema, name)

    def validate(self, instance, schema, *args, **kwargs):
        if args or kwargs:
            return jsonschema.validate(instance, schema, *args, **kwargs)
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[key] = cls(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error


@contextlib.contextmanager
def cached_schema_checks():
    """nbgrader's metadata validator reuses one validator per schema meanwhile."""
    previous = nbgrader_format_common.jsonschema
    nbgrader_format_common.jsonschema = _CachedJsonSchema()
    try:
        yield
    finally:
        nbgrader_format_common.jsonschema = previous


@contextlib.contextmanager
def shared_engines():
    """One SQLAlchemy engine per database URL for every ``Gradebook`` opened meanwhile.

    nbgrader opens a new ``Gradebook`` (a new engine) about six times per notebook it
    stores, and each new engine starts with an empty compiled-query cache: compiling the
    same few dozen queries again was about a fifth of nbgrader's own time per notebook. An engine
    is meant to be shared and stays usable after ``dispose()`` (which ``Gradebook.close``
    calls: it closes the pooled connections, the cache stays). Same SQL, same results.
    """
    engines: dict[tuple, Any] = {}
    create_engine = nbgrader_api.create_engine

    def shared(url, *args, **kwargs):
        key = (str(url), args, tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = create_engine(url, *args, **kwargs)
        return engines[key]

    nbgrader_api.create_engine = shared
    try:
        yield
    finally:
        nbgrader_api.create_engine = create_engine
        for engine in engines.values():
            engine.dispose()


def validate_once(exporter) -> None:
    """Validate once after the whole preprocessor chain, not after each preprocessor.

    nbconvert's own option (one validation per preprocessor was about a tenth of
    nbgrader's time per notebook); an invalid result is still refused.
    """
    exporter.optimistic_validation = True


@contextlib.contextmanager
def faster_storing():
    """The context-wide speed-ups, for as long as a converter runs."""
    with cached_schema_checks(), shared_engines():
        yield
