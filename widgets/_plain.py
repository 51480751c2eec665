"""A short plain-text stand-in for every view, where no widget can be drawn.

Feedback HTML, nbgrader's formgrader, nbconvert and a terminal show a widget's
``text/plain`` output; ipywidgets' default is the repr of every child widget
(``Quiz(children=(HTML(value='<div ...``), cut at 110 characters. Each view says
instead, in a few lines, what it is and what it showed when it was displayed.
"""
from __future__ import annotations


class PlainTextRepr:
    """Mixin for the views: ``repr()`` and the ``text/plain`` output are :meth:`plain_text`."""

    def plain_text(self) -> str:  # pragma: no cover - every view defines it
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.plain_text()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = self.plain_text()  # whole, not cut at 110 characters
        return bundle
