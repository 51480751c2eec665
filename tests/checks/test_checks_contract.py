"""Every registered assignment's checks, against its reference and its variants (no kernel).

Parametrized over ``autograder.checks.ASSIGNMENTS``: the functions come from the
reference module and the variants from ``tests/variants/<assignment>/``, so a new
assignment is covered without editing this file, and a function without variants (or
variants without a function) fails here. The reference passes every check, correct
variants pass, wrong variants fail exactly their ``EXPECTED_FAILURES`` with a worded
message, and comparison tricks (objects equal to everything, patched ``torch.equal``)
change no verdict. What only one assignment needs (independent computations, particular
messages) is in ``test_<assignment>.py``.
"""
from __future__ import annotations

import importlib
import inspect
import types

import numpy
import pytest
import torch

from autograder.checks import ASSIGNMENTS, checks_for, judge, probe_namespace, reference_steps, verdict_for
from support.variants import (
    expected_failures, namespace_with, variant_functions, variant_module, variant_names,
)


def reference(assignment: str) -> types.ModuleType:
    return importlib.import_module(f"autograder.reference.{assignment}")


def reference_functions(assignment: str) -> list[str]:
    """The functions students write: the public functions the reference module defines."""
    module = reference(assignment)
    return sorted(name for name, value in vars(module).items() if not name.startswith("_")
                  and inspect.isfunction(value) and value.__module__ == module.__name__)


def quizzes(assignment: str) -> list[str]:
    return [name for name in vars(reference(assignment)) if name.startswith("quiz_")]


def failed_checks(assignment: str, namespace: dict) -> dict[str, str]:
    """grade_id -> failure message, for every check the namespace fails."""
    return {item.name: verdict.message for item in checks_for(assignment)
            if not (verdict := verdict_for(item, namespace)).passed}


def own_cells(assignment: str, function: str) -> set[str]:
    """The test cells of ``function``: ``<function>_*``, but not those of a longer name it
    prefixes (a1's ``lookup`` does not own ``lookup_via_one_hot_basic``)."""
    longer = [f for f in variant_functions(assignment) if f != function and f.startswith(function + "_")]
    return {c.name for c in checks_for(assignment) if c.name.startswith(function + "_")
            and not any(c.name.startswith(other + "_") for other in longer)}


def check_named(assignment: str, name: str):
    return next(c for c in checks_for(assignment) if c.name == name)


FUNCTIONS = [(a, f) for a in ASSIGNMENTS for f in variant_functions(a)]
VARIANTS = [(a, f, v) for a, f in FUNCTIONS
            for v in variant_names(a, f, "correct_") + variant_names(a, f, "wrong_")]
WRONG = [(a, f, v) for a, f, v in VARIANTS if v.startswith("wrong_")]
QUIZZES = [(a, q) for a in ASSIGNMENTS for q in quizzes(a)]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_function_has_variants_enough(assignment):
    functions = reference_functions(assignment)
    assert functions and variant_functions(assignment) == functions, "one variants module per reference function"
    for function in functions:
        assert len(variant_names(assignment, function, "correct_")) >= 3, function
        wrong = variant_names(assignment, function, "wrong_")
        assert len(wrong) >= 5, function
        # Every wrong variant is documented and has its expected failures, and nothing else does.
        module = variant_module(assignment, function)
        assert set(module.EXPECTED_FAILURES) == set(wrong), function
        for name in wrong:
            assert getattr(module, name).__doc__, f"{function}.{name} needs a docstring naming its misconception"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_passes_every_check(assignment):
    assert failed_checks(assignment, vars(reference(assignment))) == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_function_has_a_basic_cell_and_several_rule_cells(assignment):
    for function in variant_functions(assignment):
        own = own_cells(assignment, function)
        assert f"{function}_basic" in own and len(own) >= 3, (function, own)
    assert len([c for c in checks_for(assignment) if c.name.startswith("quiz_")]) >= 3


@pytest.mark.parametrize(("assignment", "function", "variant"), VARIANTS,
                         ids=[f"{a}-{f}-{v}" for a, f, v in VARIANTS])
def test_variant_fails_exactly_the_expected_cells(assignment, function, variant):
    failed = failed_checks(assignment, namespace_with(assignment, function, variant))
    assert set(failed) == expected_failures(assignment, function, variant), failed
    assert all(failed.values())  # every failure says something


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_wrong_variants_keep_some_points_mostly(assignment):
    # Partial credit: most misconceptions break one rule, not every cell of the function.
    kept = []
    for function in variant_functions(assignment):
        own = own_cells(assignment, function)
        for name in variant_names(assignment, function, "wrong_"):
            kept.append(len(own - expected_failures(assignment, function, name)) > 0)
    assert sum(kept) >= 0.75 * len(kept)


@pytest.mark.parametrize(("assignment", "function"), FUNCTIONS, ids=[f"{a}-{f}" for a, f in FUNCTIONS])
def test_missing_function_is_reported_by_name(assignment, function):
    namespace = {k: v for k, v in vars(reference(assignment)).items() if k != function}
    verdict = verdict_for(check_named(assignment, f"{function}_basic"), namespace)
    assert not verdict.passed and f"`{function}` is not defined" in verdict.message


class EqualToEverything:
    shape = ()
    dtype = torch.float32

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class EqualToEverythingList(list):
    def __eq__(self, other):
        return True


def _claims_equality(value):
    """``value`` as an instance of a subclass of its own type that claims equality with anything.

    Its contents are right, its class is not: a1's dict and tensor, a2's ``nn.Linear``, a5's list.
    """
    if isinstance(value, torch.Tensor):
        cheat = type("CheatTensor", (type(value),), {"__eq__": lambda self, other: True})
        return value.as_subclass(cheat)
    cheat = type(f"Rigged{type(value).__name__}", (type(value),),
                 {"__eq__": lambda self, other: True, "__hash__": type(value).__hash__})
    if isinstance(value, torch.nn.Module):
        value.__class__ = cheat  # same weights and state, another class
        return value
    return cheat(value)


@pytest.mark.parametrize(("assignment", "function"), FUNCTIONS, ids=[f"{a}-{f}" for a, f in FUNCTIONS])
def test_objects_that_claim_equality_do_not_pass(assignment, function):
    basic = check_named(assignment, f"{function}_basic")
    right = getattr(reference(assignment), function)
    for fake in (lambda *args, **kwargs: EqualToEverything(),
                 lambda *args, **kwargs: EqualToEverythingList(),
                 lambda *args, **kwargs: _claims_equality(right(*args, **kwargs))):
        namespace = {**vars(reference(assignment)), function: fake}
        assert not verdict_for(basic, namespace).passed, fake


COMPARISONS = [
    (torch, "equal", lambda *a, **k: True),
    (torch, "allclose", lambda *a, **k: True),
    (torch.Tensor, "tolist", lambda self: []),
    (torch.Tensor, "__eq__", lambda self, other: True),
    (torch.testing, "assert_close", lambda *a, **k: None),
    (numpy, "allclose", lambda *a, **k: True),
    (numpy, "array_equal", lambda *a, **k: True),
]


def wrong_variants_before_patching(assignment: str) -> dict[tuple[str, str], dict]:
    """(function, variant) -> its namespace, built (and the reference's steps recorded) unpatched."""
    for item in checks_for(assignment):
        reference_steps(item)  # cached: a patch below must not change what the reference did
    return {(f, v): namespace_with(assignment, f, v) for a, f, v in WRONG if a == assignment}


def assert_still_fail_their_cells(assignment: str, namespaces: dict[tuple[str, str], dict]) -> None:
    for (function, variant), namespace in namespaces.items():
        for name in expected_failures(assignment, function, variant):
            assert not verdict_for(check_named(assignment, name), namespace).passed, (function, variant, name)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_monkeypatched_comparisons_do_not_change_the_verdict(assignment, monkeypatch):
    namespaces = wrong_variants_before_patching(assignment)
    for owner, name, fake in COMPARISONS:
        monkeypatch.setattr(owner, name, fake)
    assert_still_fail_their_cells(assignment, namespaces)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_patched_tensor_dtype_does_not_hide_a_wrong_variant(assignment, monkeypatch):
    namespaces = wrong_variants_before_patching(assignment)
    monkeypatch.setattr(torch.Tensor, "dtype", property(lambda self: torch.float32), raising=False)
    monkeypatch.setattr(torch.Tensor, "requires_grad", property(lambda self: True), raising=False)
    assert_still_fail_their_cells(assignment, namespaces)


@pytest.mark.parametrize(("assignment", "quiz"), QUIZZES, ids=[q for _, q in QUIZZES])
def test_quiz_answers_are_normalised_and_checked(assignment, quiz):
    key = getattr(reference(assignment), quiz)
    check = check_named(assignment, f"{quiz}_answer")
    wrong = [c for c in "abcd" if c != key]
    for answer in (key, f" {key.upper()} ", f"{key.upper()}\n"):
        assert verdict_for(check, {quiz: answer}).passed, repr(answer)
    for answer in (*wrong, wrong[0].upper(), "(5, 3)", "zero", 3, 0, None):
        assert not verdict_for(check, {quiz: answer}).passed, repr(answer)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_probe_steps_are_deterministic(assignment):
    # Both runs must see the same inputs, or the judge compares different things.
    for item in checks_for(assignment):
        assert judge(probe_namespace(item, vars(reference(assignment))), reference_steps(item)).passed, item.name
