"""Interactive views for embedding-lab (the student install).

Each widget is a pure model (numpy/torch, in a private ``_*_model`` module) plus a
thin ipywidgets view that renders HTML/SVG strings, so it works the same in
JupyterLab 4, Notebook 7 and Voila. Display a widget by making it the last
expression of a cell. See ``widgets/README.md``.

This package must never import ``autograder``: students do not have it.
"""
from ._cosine_view import CosineExplorer, NeighbourTable
from ._lookup_view import LookupExplorer
from ._quiz_model import hash_answer
from ._quiz_view import Quiz
from ._training_view import TrainingView

__all__ = ["CosineExplorer", "LookupExplorer", "NeighbourTable", "Quiz", "TrainingView",
           "hash_answer"]
