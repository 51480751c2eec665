"""Interactive views for embedding-lab (the student install).

Each widget is a pure model (numpy, in a private ``_*_model`` module) plus a
thin ipywidgets view that renders HTML/SVG strings, so it works the same in
JupyterLab 4, Notebook 7 and Voila. Display a widget by making it the last
expression of a cell. See ``widgets/README.md``.

This package must never import ``autograder``: students do not have it.
"""
import importlib

# Each name is imported on first use (PEP 562), so a kernel loads only the views it
# shows. No view imports torch (about 190 MB in a kernel): they all run on numpy and
# read a student's tensors through sys.modules["torch"], which only exists once the
# student has imported it.
_HOMES = {"CosineExplorer": "._cosine_view", "NeighbourTable": "._cosine_view",
          "LookupExplorer": "._lookup_view", "Quiz": "._quiz_view",
          "TrainingView": "._training_view", "check_rules": "._rules", "hash_answer": "._quiz_model",
          "Projector": "._projector_view", "WordMap": "._projector_view", "load_glove": "._glove",
          "glove_numpy": "._glove",
          "ClozeExplorer": "._cloze_view", "needs": "._tasks"}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = ["ClozeExplorer", "CosineExplorer", "LookupExplorer", "NeighbourTable", "Projector", "Quiz", "TrainingView",
           "WordMap", "check_rules", "glove_numpy", "hash_answer", "load_glove", "needs"]
