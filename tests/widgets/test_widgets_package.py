"""The student package: public API, allowed imports, pure models, no graded solutions."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import widgets

PACKAGE = Path(widgets.__file__).parent
MODULES = sorted(p for p in PACKAGE.glob("*.py"))
# What students install besides the standard library (IPython comes with the kernel).
ALLOWED_THIRD_PARTY = {"torch", "numpy", "ipywidgets", "IPython", "pyarrow"}  # pyarrow: a5's GloVe word list
COURSE_FUNCTIONS = {
    "build_vocab", "encode", "one_hot", "lookup", "lookup_via_one_hot", "embedding_to_linear",
    "linear_to_embedding", "embedding_weight_grad", "cosine_similarity", "cosine_matrix",
    "most_similar", "sentence_vector", "skipgram_pairs", "negative_sampling_loss",
    "masked_mean_pool", "normalize_rows", "nearest", "analogy", "project_2d", "direction_scores",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_public_api_is_exactly_all():
    assert sorted(widgets.__all__) == ["ClozeExplorer", "CosineExplorer", "LookupExplorer", "NeighbourTable", "Projector",
                                       "Quiz", "TrainingView", "WordMap", "check_rules", "glove_numpy", "hash_answer",
                                       "load_glove", "needs"]
    for name in widgets.__all__:
        assert getattr(widgets, name).__doc__, f"{name} has no docstring"


def test_modules_import_only_what_students_have():
    assert MODULES, "no modules found"
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    for path in MODULES:
        extra = imported_roots(path) - stdlib - ALLOWED_THIRD_PARTY
        assert not extra, f"{path.name} imports {extra}"   # autograder above all


def test_models_are_pure():
    for path in PACKAGE.glob("_*_model.py"):
        assert not imported_roots(path) & {"ipywidgets", "IPython"}, path.name


def test_no_graded_function_is_defined_under_its_course_name():
    # Module level only: a method like LookupModel.one_hot() (no arguments, the selected
    # token) shows the idea but cannot be pasted in as the graded function.
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        assert not defined & COURSE_FUNCTIONS, f"{path.name} defines {defined & COURSE_FUNCTIONS}"
