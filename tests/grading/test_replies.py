"""What a sandbox answers is checked field by field before the judge or the notebook sees it."""
from __future__ import annotations

import copy

import pytest

from autograder.checks import get_check, judge, reference_steps
from autograder.grading import replies
from autograder.grading.replies import Malformed
from autograder.grading.results import Event, one_line, printable

KEY = "a1_lookup.one_hot_dtype"


def honest_answer(steps) -> dict:
    return {"nonce": "n" * 32, "stdout": "out\n", "stderr": "", "refused": [], "noticed": [], "threads": 0,
            "steps": steps, "probe_error": None}


def test_an_honest_probe_answer_passes_unchanged_in_what_the_judge_reads():
    reference = reference_steps(get_check(KEY))
    clean = replies.reply(honest_answer(copy.deepcopy(reference)), "probe")
    assert judge(clean["steps"], reference).passed
    assert all(set(step) <= {"kind", "label", "present", "raised", "value"} for step in clean["steps"])


def too_deep() -> dict:
    value = {"type": "int", "value": 1}
    for _ in range(replies.MAX_DEPTH + 2):
        value = {"type": "list", "items": [value]}
    return {"kind": "expect", "label": "l", "value": value}


def tensor(values, shape, dtype="float32"):
    return {"kind": "expect", "label": "l", "value": {"type": "tensor", "dtype": dtype, "shape": shape,
                                                      "values": values}}


@pytest.mark.parametrize("step", [
    tensor([1.0], [2]),  # fewer values than the shape holds: zip would have passed it
    tensor([1.0, 2.0, 3.0], [2]),
    tensor([1.0, True], [2]),  # a bool among floats
    tensor([float("inf"), 1.0], [2]),  # JSON's Infinity: never what the probe writes
    tensor([1, 2], [-2]),
    {"kind": "expect", "label": "l", "value": {"type": "int", "value": True}},
    too_deep(),
    {"kind": "raises", "label": "l", "raised": {"name": "ValueError", "message": "m", "mro": "ValueError"}},
    {"kind": "missing", "label": "l", "present": 1},
    {"kind": "verdict", "label": "l", "passed": True},
    "a step",
])
def test_malformed_steps_are_refused(step):
    with pytest.raises(Malformed):
        replies.steps([step])


def test_text_the_grader_shows_is_escaped_but_keeps_its_lines():
    clean = replies.error({"ename": "Bad\x1b[2K", "evalue": "line one\nline two\u202e", "traceback": ["a\rb"]})
    assert clean == {"ename": "Bad\\x1b[2K", "evalue": "line one\nline two\\u202e", "traceback": ["a\\x0db"]}


def test_an_event_is_one_printable_line():
    event = Event("repair", "x\n  mallory/a1: 31/31\x1b[0m", "id\u2028two")
    assert event.detail == "x\\n  mallory/a1: 31/31\\x1b[0m" and event.grade_id == "id\\u2028two"
    assert one_line("a" * 600).endswith("...") and len(one_line("a" * 600)) == 500
    assert printable("中文\u3000空格 ok") == "中文\u3000空格 ok"
