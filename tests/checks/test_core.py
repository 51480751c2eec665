"""The check core: observations of exact types, the judge, and run_check in a namespace."""
from __future__ import annotations

import pytest
import torch

from autograder.checks import Check, describe, judge, observe, probe_namespace, run_check
from autograder.checks._observe import readable_number
from autograder.checks._probe import Probe


class AlwaysEqual(dict):
    def __eq__(self, other):
        return True


def _probe(p, one_hot):
    out = p.call(one_hot, [0, 2], 3)
    p.expect(out.dtype, "one_hot returned {got}; the instructions ask for float32")
    p.expect(out, "one_hot([0, 2], 3) has the wrong values: got {got}", check_dtype=False)
    p.raises(ValueError, one_hot, [3], 3, message="one_hot([3], 3) should raise ValueError, but raised {got}")


CHECK = Check("a1_lookup", "demo_check", ("one_hot",), _probe, "a demonstration check")


def _reference(indices, n):
    idx = torch.as_tensor(indices, dtype=torch.long)
    if idx.numel() and (idx.min() < 0 or idx.max() >= n):
        raise ValueError("index out of range")
    return torch.eye(n)[idx]


REFERENCE = probe_namespace(CHECK, {"one_hot": _reference})


def verdict(fn):
    return judge(probe_namespace(CHECK, {"one_hot": fn}), REFERENCE)


def test_correct_code_passes_and_each_mistake_gets_its_own_words():
    assert verdict(_reference).passed
    assert verdict(lambda i, n: _reference(i, n).long()).message == \
        "one_hot returned int64; the instructions ask for float32"
    assert verdict(lambda i, n: torch.eye(n)[i]).message == \
        "one_hot([3], 3) should raise ValueError, but raised IndexError (index 3 is out of bounds for dimension 0 with size 3)"
    assert verdict(lambda i, n: torch.zeros(len(i), n)).message == \
        "one_hot([0, 2], 3) has the wrong values: got a float32 tensor of shape (2, 3)"


def test_a_crash_or_a_missing_function_is_reported_not_raised():
    def crash(i, n):
        raise RuntimeError("boom")

    assert verdict(crash).message == "one_hot([0, 2], 3) raised RuntimeError: boom"
    assert judge(probe_namespace(CHECK, {}), REFERENCE).message.startswith("`one_hot` is not defined")

    def leave(i, n):
        raise SystemExit(0)  # sys.exit() inside a student function must not end the grading

    assert not verdict(leave).passed


def test_observations_see_through_rigged_equality_and_patched_tensors(monkeypatch):
    assert observe(AlwaysEqual(a=1))["type"] == "object"
    assert observe({"a": 1}) != observe(AlwaysEqual(a=1))
    t = torch.tensor([1.0, 2.0])
    honest = observe(t)
    monkeypatch.setattr(torch.Tensor, "tolist", lambda self: [0.0, 0.0])
    assert observe(t) == honest == {"type": "tensor", "dtype": "float32", "shape": [2], "values": [1.0, 2.0]}


def test_messages_never_show_expected_tensor_values():
    reference_values = [str(v) for v in REFERENCE[-2]["value"]["values"]]
    message = verdict(lambda i, n: torch.zeros(len(i), n)).message
    assert not any(v in message for v in reference_values if v not in ("0.0",))
    assert describe(observe(torch.zeros(2, 3, dtype=torch.int32))) == "an int32 tensor of shape (2, 3)"


@pytest.mark.parametrize(("value", "shown"), [
    (0.8640609383583069, "0.8641"), (0.8640609979629517, "0.8641"),  # float32 dot products of two CPUs
    (1.0, "1.0"), (-2.0, "-2.0"), (12345.678, "1.235e+04"), (1e-5, "1e-05"), (3e-9, "0.0"), (-5e-324, "0.0"),
    (float("nan"), "nan"), (float("-inf"), "-inf"),
])
def test_a_float_is_described_with_four_significant_digits(value, shown):
    assert describe(observe(value)) == shown
    assert readable_number(value) == shown


def test_floats_within_tolerance_match_and_nan_never_does():
    p = Probe()
    p.expect(torch.tensor([1.0]), "m")
    q = Probe()
    q.expect(torch.tensor([1.0 + 5e-6]), "m")
    r = Probe()
    r.expect(torch.tensor([float("nan")]), "m")
    assert judge(q.steps, p.steps).passed
    assert not judge(r.steps, p.steps).passed


def test_run_check_raises_assertion_error_with_the_message():
    namespace = {"build_vocab": lambda text: {ch: i for i, ch in enumerate(sorted(set(text)))}}
    with pytest.raises(AssertionError, match="build_vocab"):
        run_check("a1_lookup.build_vocab_basic", namespace)


def test_a_failed_check_shows_only_its_worded_message_wrapped():
    from autograder.checks import run_check
    from autograder.checks._feedback import failure_traceback

    lines = failure_traceback("word " * 60)
    assert lines[0].startswith("\x1b[0;31mAssertionError\x1b[0m: word")
    assert all(len(line) <= 100 for line in lines[1:]) and len(lines) >= 3
    assert " ".join(line.strip() for line in lines).endswith("word")
    namespace = {"one_hot": lambda indices, size: None}
    with pytest.raises(AssertionError) as info:
        run_check("a1_lookup.one_hot_basic", namespace)
    # IPython prints _render_traceback_() instead of frames (paths, the hidden-test call).
    shown = "\n".join(info.value._render_traceback_())
    assert shown.startswith("\x1b[0;31mAssertionError\x1b[0m: one_hot([1], 5) returned None")
    assert "File " not in shown and "run_check" not in shown
