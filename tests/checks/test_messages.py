"""The exact feedback of the wrong variants whose wording matters.

``EXPECTED_MESSAGES`` in ``autograder/examples/<assignment>/<function>.py`` maps every wrong
variant to the message each cell it fails must show: the mistake named in a learner's
words, true of that mistake in every cell it fails. A variant listed there must fail
exactly the cells of its ``EXPECTED_FAILURES`` (checked elsewhere) and have every one
of its messages listed.

The same messages must come out on every machine: another CPU (AVX2 or AVX-512 kernels)
rounds float results differently in the last bits. So every message test runs three
times: as computed here, and with every float value a check observes (each observation
recorded by ``p.expect``) moved one unit in the last place up, then down, in its own
dtype (a float32 tensor's values as float32, a Python float as float64).
"""
from __future__ import annotations

import math

import pytest
import torch

from autograder.checks import ASSIGNMENTS, _probe, checks_for, verdict_for
from autograder.examples.variants import (
    expected_failures, namespace_with, variant_functions, variant_module, variant_names,
)

CASES = [(a, f, v) for a in ASSIGNMENTS for f in variant_functions(a)
         for v in getattr(variant_module(a, f), "EXPECTED_MESSAGES", {})]


def test_the_issue_13_mistakes_have_exact_messages():
    named = {(f, v) for _, f, v in CASES}
    for case in [("one_hot", "wrong_off_by_one_range"), ("encode", "wrong_grows_vocab"),
                 ("lookup_via_one_hot", "wrong_no_cast"), ("most_similar", "wrong_topk_uncapped"),
                 ("negative_sampling_loss", "wrong_mean_over_negatives"),
                 ("embedding_weight_grad", "wrong_overwrite_repeated")]:
        assert case in named, case


def test_every_wrong_variant_has_its_exact_messages():
    # Every planted mistake's feedback is read and pinned, not only the ones an issue named.
    unpinned = [(a, f, v) for a in ASSIGNMENTS for f in variant_functions(a) for v in variant_names(a, f, "wrong_")
                if v not in getattr(variant_module(a, f), "EXPECTED_MESSAGES", {})]
    assert not unpinned


def nudged(observation: dict, up: bool) -> dict:
    """``observation`` (from ``observe``) with every float in it one ulp further up or down, in its dtype."""
    kind = observation.get("type")
    if kind == "float" and type(observation["value"]) is float:  # "nan", "inf" stay as they are
        return {**observation, "value": math.nextafter(observation["value"], math.inf if up else -math.inf)}
    if kind == "tensor" and "values" in observation and observation["dtype"].startswith(("float", "bfloat")):
        dtype = getattr(torch, observation["dtype"])
        values = [v if type(v) is float else 0.0 for v in observation["values"]]
        exact = torch.tensor(values, dtype=torch.float64).to(dtype)  # exact: the values came from this dtype
        moved = torch.nextafter(exact, torch.full_like(exact, math.inf if up else -math.inf)).double().tolist()
        return {**observation, "values": [m if type(v) is float else v for v, m in zip(observation["values"], moved)]}
    if kind in ("list", "tuple") and "items" in observation:
        return {**observation, "items": [nudged(item, up) for item in observation["items"]]}
    if kind == "dict" and "items" in observation:
        return {**observation, "items": [[nudged(k, up), nudged(v, up)] for k, v in observation["items"]]}
    return observation


@pytest.fixture(params=["as computed", "one ulp up", "one ulp down"])
def rounding(request, monkeypatch):
    """How the floats a check observes are rounded: as this machine computes them, or one ulp off."""
    if request.param != "as computed":
        observe = _probe.observe
        monkeypatch.setattr(_probe, "observe", lambda value: nudged(observe(value), request.param == "one ulp up"))
    return request.param


def test_nudging_moves_every_float_one_ulp_in_its_own_dtype():
    from autograder.checks import observe

    one32 = float(torch.tensor(1.0, dtype=torch.float32).nextafter(torch.tensor(2.0)))
    assert nudged(observe(torch.tensor([1.0, 0.5])), True)["values"] == [one32, float(torch.tensor(0.5).nextafter(torch.tensor(1.0)))]
    assert nudged(observe(1.0), False)["value"] == math.nextafter(1.0, 0.0)
    assert nudged(observe([("a", 2.0), torch.tensor([1], dtype=torch.int64)]), True) == {
        "type": "list", "items": [{"type": "tuple", "items": [{"type": "str", "value": "a"},
                                                              {"type": "float", "value": math.nextafter(2.0, 3.0)}]},
                                  observe(torch.tensor([1], dtype=torch.int64))]}
    assert nudged(observe(float("nan")), True) == observe(float("nan"))


@pytest.mark.parametrize(("assignment", "function", "variant"), CASES, ids=[f"{f}-{v}" for _, f, v in CASES])
def test_wrong_variant_shows_exactly_its_messages(assignment, function, variant, rounding):
    expected = variant_module(assignment, function).EXPECTED_MESSAGES[variant]
    assert set(expected) == expected_failures(assignment, function, variant)
    namespace = namespace_with(assignment, function, variant)
    got = {c.name: verdict_for(c, namespace).message for c in checks_for(assignment) if c.name in expected}
    assert got == expected
