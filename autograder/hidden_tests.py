"""Put the hidden tests back into submitted test cells before nbgrader checks them.

A test cell with hidden tests is released without them, so its checksum in the
gradebook (computed from the source, hidden tests included) never matches the
submitted cell: stock ``nbgrader autograde`` then warns "Attribute 'checksum' for
cell ... has changed!" for every such cell of every submission, and restores the
source. The course's ``nbgrader_config.py`` runs :class:`RestoreHiddenTests` just
before nbgrader's ``OverwriteCells``: a submitted cell that is exactly the released
version of its source cell gets its hidden tests back silently, so the warning is
left for cells a student really changed (which ``OverwriteCells`` restores too).
"""
from __future__ import annotations

from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import List


class FeedbackClearHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, for feedback, without a warning on every run.

    nbconvert's HTML exporter configures ``display_data_priority`` for every preprocessor;
    nbgrader's preprocessors declare it again without ``config=True`` (its GetGrades with), so
    ``nbgrader generate_feedback`` warned "Config option `display_data_priority` not
    recognized by `ClearHiddenTests`". Declared configurable here, it behaves as nbgrader's.
    """

    display_data_priority = List(ClearHiddenTests.display_data_priority.default_value).tag(config=True)


class RestoreHiddenTests(NbGraderPreprocessor):
    """Give an untouched released test cell its hidden tests back (see the module docstring)."""

    def preprocess(self, nb, resources):
        nbgrader = resources["nbgrader"]
        self._notebook, self._assignment = nbgrader["notebook"], nbgrader["assignment"]
        self._clear = ClearHiddenTests(parent=self)
        with Gradebook(nbgrader["db_url"]) as gradebook:
            self._gradebook = gradebook
            try:
                return super().preprocess(nb, resources)
            finally:
                self._gradebook = None

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or "grade_id" not in meta:
            return cell, resources
        try:
            source = self._gradebook.find_source_cell(meta["grade_id"], self._notebook, self._assignment)
        except MissingEntry:
            return cell, resources  # OverwriteCells reports it
        released = NotebookNode(cell_type="code", source=source.source, metadata={})
        if self._clear._remove_hidden_test_region(released) and released.source == cell.source:
            cell.source = source.source
        return cell, resources
