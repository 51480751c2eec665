"""The safe looks at student values that the a1/a2 checks share."""
from __future__ import annotations

import torch

from autograder.checks import Probe, observe
from autograder.checks._probe import Student
from autograder.checks.toolbox import (
    backprop, dtype_of, largest_change, matches, name_the_mistakes, quiz_answer, quiz_steps, requires_grad_of,
    same_plain, shape_of, snapshot, tensor_or_none, vocab_by_index,
)


class Rigged(dict):
    def __eq__(self, other):
        return True

    __hash__ = dict.__hash__

    def items(self):  # would lie about its content if it were asked
        raise AssertionError("a dict subclass must never be asked for its items")


class SubTensor(torch.Tensor):
    pass


def test_vocab_by_index_orders_by_index_and_leaves_subclasses_opaque():
    assert vocab_by_index({"京": 1, "北": 0}) == [["北", 0], ["京", 1]]
    assert vocab_by_index({}) == []
    # Odd values sort without raising (they are then simply wrong).
    assert vocab_by_index({"a": "0", "b": 1, 2: 0}) == [[2, 0], ["b", 1], ["a", "0"]]
    rigged = Rigged(北=0)
    assert vocab_by_index(rigged) is rigged
    assert observe(vocab_by_index(rigged))["type"] == "object"


def test_tensor_views_only_trust_exact_tensors():
    t = torch.zeros(2, 3, dtype=torch.float64)
    sub = t.as_subclass(SubTensor)
    assert tensor_or_none(t) is t and tensor_or_none(sub) is None and tensor_or_none([1]) is None
    assert dtype_of(t) == torch.float64 and dtype_of(sub) is sub and dtype_of("x") == "x"
    assert shape_of(t) == "(2, 3)" and shape_of(torch.zeros(0, 7)) == "(0, 7)" and shape_of(sub) is sub
    assert requires_grad_of(t) is False and requires_grad_of(t.requires_grad_()) is True
    assert requires_grad_of(sub) is None


def test_backprop_fills_the_gradient_and_refuses_non_tensors():
    w = torch.ones(3, requires_grad=True)
    backprop(w * 2, torch.tensor([1.0, 0.0, 3.0]))
    assert w.grad.tolist() == [2.0, 0.0, 6.0]
    try:
        backprop([1.0], torch.ones(1))
    except TypeError:
        pass
    else:
        raise AssertionError("a list must not be backpropagated")


def test_quiz_answer_normalises_strings_only():
    assert quiz_answer(Student("q", " B\n")) == "b"
    assert quiz_answer(Student("q", 2)) == 2
    probe = Probe()
    quiz_steps(probe, Student("q", "e"), "section 1")
    assert [s["value"]["value"] for s in probe.steps] == [False, "e"]
    assert "one of the letters" in probe.steps[0]["message"] and "section 1" in probe.steps[1]["message"]


def test_snapshot_and_largest_change():
    w = torch.arange(6.0).reshape(2, 3)
    before = snapshot(w)
    assert before is not w and largest_change(w, before) == 0.0
    w[1, 2] += 2.5
    assert largest_change(w, before) == 2.5
    assert largest_change(w.T, before) is None and largest_change(None, before) is None
    assert largest_change(torch.zeros(0, 3), snapshot(torch.zeros(0, 3))) == 0.0
    assert snapshot([1.0]) is None


class RiggedList(list):
    def __eq__(self, other):
        return True

    __hash__ = None


def test_matches_names_a_mistake_only_for_its_exact_value():
    wrong = torch.tensor([1.0, 2.0], dtype=torch.float64)
    assert matches(torch.tensor([1.0, 2.0 + 1e-7]), wrong)              # float32 within atol
    assert not matches(torch.tensor([1.0, 2.1]), wrong)
    assert not matches(torch.tensor([1.0, float("nan")]), torch.tensor([1.0, float("nan")]))
    assert not matches(torch.tensor([[1.0, 2.0]]), wrong)               # another shape
    assert not matches(torch.tensor([1, 2]), wrong)                     # integers are not a computed value
    assert not matches(torch.tensor([1.0, 2.0]).as_subclass(SubTensor), wrong)
    assert matches(3.0, torch.tensor(3.0)) and matches(3, torch.tensor(3.0))
    assert not matches("3.0", torch.tensor(3.0)) and not matches(None, torch.tensor(3.0))
    assert not matches(torch.zeros(0), torch.zeros(0))


def test_same_plain_compares_exact_plain_data_and_never_asks_a_subclass():
    assert same_plain([[0, 1], [1, 0]], [[0, 1], [1, 0]])
    assert not same_plain([[0, 1], [1, 0]], [[1, 0], [0, 1]])
    assert not same_plain([(0, 1)], [[0, 1]])                          # a tuple is not a list
    assert not same_plain([True], [1]) and not same_plain([1], [1.0])
    assert same_plain([0.5, "a", None], [0.5 + 1e-7, "a", None])
    assert not same_plain([float("nan")], [float("nan")])
    assert not same_plain(RiggedList([[9, 9]]), [[0, 1]])              # its rigged == is never called
    assert not same_plain([RiggedList([9])], [[0]])


def test_name_the_mistakes_fails_only_the_step_of_the_mistake_made():
    mistakes = [(torch.tensor([0.5, 0.5], dtype=torch.float64), "averaged"), ([[1, 1]], "paired with itself")]
    steps = {}
    for label, value in (("mean", torch.tensor([0.5, 0.5])), ("self", [[1, 1]]), ("right", torch.tensor([1.0, 0.0]))):
        probe = Probe()
        name_the_mistakes(probe, value, mistakes)
        steps[label] = [(s["label"], s["value"]["value"]) for s in probe.steps]
    assert steps["mean"] == [("averaged", True), ("paired with itself", False)]
    assert steps["self"] == [("averaged", False), ("paired with itself", True)]
    assert steps["right"] == [("averaged", False), ("paired with itself", False)]
