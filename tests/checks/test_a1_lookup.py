"""a1_lookup checks: the reference passes them, correct variants pass, wrong variants
fail exactly the cells they should, and the reference agrees with independent computations."""
from __future__ import annotations

import numpy
import pytest
import torch

import autograder.reference.a1_lookup as ref
from autograder.checks import checks_for, judge, probe_namespace, reference_steps, verdict_for
from autograder.examples.variants import (
    expected_failures, namespace_with, variant_functions, variant_names,
)

A = "a1_lookup"
CHECKS = checks_for(A)
FUNCTIONS = ["build_vocab", "encode", "one_hot", "lookup", "lookup_via_one_hot"]
VARIANTS = [(f, v) for f in variant_functions(A) for v in variant_names(A, f, "correct_") + variant_names(A, f, "wrong_")]


def failed_checks(namespace: dict) -> dict[str, str]:
    out = {}
    for item in CHECKS:
        verdict = verdict_for(item, namespace)
        if not verdict.passed:
            out[item.name] = verdict.message
    return out


def test_every_function_has_variants_enough():
    assert variant_functions(A) == sorted(FUNCTIONS)
    for function in FUNCTIONS:
        assert len(variant_names(A, function, "correct_")) >= 3, function
        wrong = variant_names(A, function, "wrong_")
        assert len(wrong) >= 5, function
        # Every wrong variant is documented and has its expected failures, and nothing else does.
        module = __import__(f"autograder.examples.{A}.{function}", fromlist=["x"])
        assert set(module.EXPECTED_FAILURES) == set(wrong), function
        for name in wrong:
            assert getattr(module, name).__doc__, f"{function}.{name} needs a docstring naming its misconception"


def test_reference_passes_every_check():
    assert failed_checks(vars(ref)) == {}


def test_every_function_has_a_check_per_rule_cell():
    names = {c.name for c in CHECKS}
    for function in FUNCTIONS:
        own = {n for n in names if n.startswith(function + "_") and not any(
            n.startswith(other + "_") for other in FUNCTIONS if other != function and other.startswith(function))}
        assert f"{function}_basic" in own and len(own) >= 3, (function, own)
    assert len([n for n in names if n.startswith("quiz_")]) >= 3


@pytest.mark.parametrize(("function", "variant"), VARIANTS, ids=[f"{f}-{v}" for f, v in VARIANTS])
def test_variant_fails_exactly_the_expected_cells(function, variant):
    failed = failed_checks(namespace_with(A, function, variant))
    assert set(failed) == expected_failures(A, function, variant), failed


def test_missing_function_is_reported_by_name():
    namespace = {k: v for k, v in vars(ref).items() if k != "one_hot"}
    verdict = verdict_for(next(c for c in CHECKS if c.name == "one_hot_basic"), namespace)
    assert not verdict.passed and "`one_hot` is not defined" in verdict.message


def test_failure_messages_say_what_is_wrong_without_expected_values():
    messages = failed_checks(namespace_with(A, "one_hot", "wrong_int64"))
    assert messages == {"one_hot_dtype": "one_hot returned int64; the instructions ask for float32"}
    messages = failed_checks(namespace_with(A, "lookup", "wrong_detached"))
    assert "cut off from weight" in messages["lookup_gradient"]
    messages = failed_checks(namespace_with(A, "build_vocab", "wrong_sorted"))
    assert "order" not in messages["build_vocab_basic"] or "0, 1, 2" in messages["build_vocab_basic"]
    assert "{" not in messages["build_vocab_basic"]  # no dict literal of the expected mapping


class AlwaysEqualDict(dict):
    def __eq__(self, other):
        return True

    __hash__ = dict.__hash__


class CheatTensor(torch.Tensor):
    def __eq__(self, other):
        return True


def test_objects_that_claim_equality_do_not_pass():
    namespace = dict(vars(ref))
    namespace["build_vocab"] = lambda text: AlwaysEqualDict(ref.build_vocab(text))
    assert "build_vocab_basic" in failed_checks(namespace)
    namespace = dict(vars(ref))
    namespace["lookup"] = lambda weight, indices: ref.lookup(weight, indices).as_subclass(CheatTensor)
    assert "lookup_basic" in failed_checks(namespace)


def test_monkeypatched_comparisons_do_not_change_the_verdict(monkeypatch):
    namespace = dict(namespace_with(A, "lookup", "wrong_columns"))
    monkeypatch.setattr(torch, "equal", lambda *a, **k: True)
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(torch.Tensor, "tolist", lambda self: [])
    monkeypatch.setattr(torch.Tensor, "__eq__", lambda self, other: True)
    monkeypatch.setattr(torch.testing, "assert_close", lambda *a, **k: None)
    monkeypatch.setattr(numpy, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(numpy, "array_equal", lambda *a, **k: True)
    assert "lookup_basic" in failed_checks(namespace)


def test_a_patched_tensor_dtype_does_not_hide_a_wrong_dtype(monkeypatch):
    namespace = namespace_with(A, "one_hot", "wrong_int64")
    monkeypatch.setattr(torch.Tensor, "dtype", property(lambda self: torch.float32), raising=False)
    monkeypatch.setattr(torch.Tensor, "requires_grad", property(lambda self: True), raising=False)
    assert "one_hot_dtype" in failed_checks(namespace)
    assert "lookup_gradient" in failed_checks(namespace_with(A, "lookup", "wrong_detached"))


def test_quiz_answers_are_normalised_and_checked():
    quiz = next(c for c in CHECKS if c.name == "quiz_weight_shape_answer")
    for answer, passed in ((" C ", True), ("c", True), ("a", False), ("(5, 3)", False), (3, False), (None, False)):
        assert verdict_for(quiz, {"quiz_weight_shape": answer}).passed is passed, answer


def test_probe_steps_are_deterministic():
    # Both runs must see the same inputs, or the judge compares different things.
    for item in CHECKS:
        assert judge(probe_namespace(item, vars(ref)), reference_steps(item)).passed, item.name


# The reference against independent computations (micrograd style).

def test_reference_matches_nn_embedding_and_autograd():
    torch.manual_seed(0)
    embedding = torch.nn.Embedding(5, 3)
    idx = [1, 3, 1, 0]
    assert torch.equal(ref.lookup(embedding.weight, idx), embedding(torch.tensor(idx)))
    assert torch.allclose(ref.lookup_via_one_hot(embedding.weight, idx), embedding(torch.tensor(idx)))
    weight = embedding.weight.detach().clone().requires_grad_()
    ref.lookup(weight, idx).sum().backward()
    counts = torch.bincount(torch.tensor(idx), minlength=5).float()
    assert torch.equal(weight.grad, counts[:, None].expand(5, 3))


def test_reference_one_hot_matches_functional_and_article():
    assert ref.one_hot([1], 5).tolist() == [[0.0, 1.0, 0.0, 0.0, 0.0]]
    idx = torch.tensor([4, 0, 2, 2])
    assert torch.equal(ref.one_hot(idx, 6), torch.nn.functional.one_hot(idx, 6).float())
    assert ref.build_vocab("北京欢迎你") == {"北": 0, "京": 1, "欢": 2, "迎": 3, "你": 4}
    assert ref.encode("北京欢迎你", ref.build_vocab("北京欢迎你")).tolist() == [0, 1, 2, 3, 4]
