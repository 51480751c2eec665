"""Function variants: correct and wrong implementations that the tests grade.

``tests/variants/<assignment>/<function>.py`` holds ``correct_*`` and
``wrong_*`` definitions of one notebook function, and ``EXPECTED_FAILURES``
mapping each wrong variant to exactly the test cells (grade_ids) it must fail.
A variant becomes a notebook cell the way a student's code would be one: through
:func:`autograder.submissions.sources_from_file` (the file's imports, then the
``def`` renamed to the function's name).
"""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from autograder.submissions import sources_from_file

VARIANTS_DIR = Path(__file__).resolve().parent.parent / "variants"


def variant_module(assignment: str, function: str) -> ModuleType:
    return importlib.import_module(f"variants.{assignment}.{function}")


def variant_functions(assignment: str) -> list[str]:
    """The functions of an assignment that have a variants module."""
    folder = VARIANTS_DIR / assignment
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))


def variant_names(assignment: str, function: str, prefix: str) -> list[str]:
    """``correct_*`` or ``wrong_*`` names of a variants module, in file order."""
    module = variant_module(assignment, function)
    return [name for name in vars(module) if name.startswith(prefix) and callable(getattr(module, name))]


def expected_failures(assignment: str, function: str, variant: str) -> set[str]:
    """The grade_ids a variant must fail (none for a correct one)."""
    if variant.startswith("correct_"):
        return set()
    return set(variant_module(assignment, function).EXPECTED_FAILURES[variant])


def variant_source(assignment: str, function: str, variant: str) -> str:
    """The variant as the source of the notebook cell ``function``."""
    path = VARIANTS_DIR / assignment / f"{function}.py"
    return sources_from_file(path, rename={variant: function})[function]


def namespace_with(assignment: str, function: str, variant: str) -> dict:
    """A notebook-like namespace: the reference solutions, with one function replaced by a variant.

    The variant's cell source is executed in it, as the kernel would, so a variant
    that calls another notebook function (``one_hot``) gets the reference one.
    """
    reference = importlib.import_module(f"autograder.reference.{assignment}")
    namespace = {k: v for k, v in vars(reference).items() if not k.startswith("__")}
    namespace["__name__"] = "__main__"
    exec(compile(variant_source(assignment, function, variant), f"<{function}:{variant}>", "exec"), namespace)
    return namespace
