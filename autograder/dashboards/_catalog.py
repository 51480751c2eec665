"""The dashboards: what each one shows and which notebook renders it.

The student-facing dashboards (1-5) live in ``widgets/dashboards/`` so that they
ship with the widgets and run anywhere ``voila`` does; the class report (6) reads
the gradebook through ``autograder`` and so lives here, in the instructor install.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def widgets_dashboards_dir() -> Path:
    """``widgets/dashboards``, found without importing ``widgets`` (which may import torch)."""
    spec = importlib.util.find_spec("widgets")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the widgets package is not installed; pip install ./widgets")
    return Path(list(spec.submodule_search_locations)[0]) / "dashboards"


@dataclass(frozen=True)
class Dashboard:
    """One Voila dashboard."""

    slug: str
    """Its file name in the served folder (``<slug>.ipynb``) and its URL part."""
    title: str
    summary: str
    """One sentence for the landing page."""
    source: Path
    """The notebook that renders it."""
    instructor_only: bool = False
    """Reads grades: only for the instructor's server."""

    @property
    def filename(self) -> str:
        return f"{self.slug}.ipynb"

    @property
    def url_path(self) -> str:
        """Path below the server's base URL."""
        return f"voila/render/{self.filename}"


def all_dashboards() -> tuple[Dashboard, ...]:
    """The dashboards, in teaching order."""
    student = widgets_dashboards_dir()
    return (
        Dashboard("lookup", "What an embedding is",
                  "A token's index, its one-hot vector and its row of W: lookup, one-hot @ W and "
                  "a bias-free Linear layer give the same vector.",
                  student / "lookup.ipynb"),
        Dashboard("similarity", "Cosine similarity, neighbours and sentence vectors",
                  "The angle between two vectors, a token's nearest neighbours and a sentence as "
                  "the sum or mean of its tokens.",
                  student / "similarity.ipynb"),
        Dashboard("training", "Training from context versus from sentiment",
                  "The same tokens trained two ways: why 喜欢 and 讨厌 are neighbours after "
                  "skip-gram and opposites after sentiment training.",
                  student / "training.ipynb"),
        Dashboard("projector", "Projector: real word vectors in 2-D",
                  "The 50,000 most frequent GloVe words (offline): type or pick words, see their PCA map, "
                  "click one for its neighbours, try analogies and score words along an axis such as she - he.",
                  student / "projector.ipynb"),
        Dashboard("cloze", "Fill the blank: a small BERT on Chinese news",
                  "a6's pretrained cloze model: write a sentence with [MASK], see its most probable characters "
                  "with their probabilities and where the blank's attention looks.",
                  student / "cloze.ipynb"),
        Dashboard("class_report", "Class report",
                  "Score distributions per assignment and test cell, the most common failure "
                  "messages and the students who need help, from the nbgrader gradebook.",
                  _HERE / "class_report.ipynb", instructor_only=True),
    )


def served_dashboards(students_only: bool) -> list[Dashboard]:
    """The dashboards a server shows: all, or without the instructor's (grades) for students."""
    return [d for d in all_dashboards() if not (students_only and d.instructor_only)]
