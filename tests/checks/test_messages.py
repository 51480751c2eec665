"""The exact feedback of the wrong variants whose wording matters.

``EXPECTED_MESSAGES`` in ``autograder/examples/<assignment>/<function>.py`` maps every wrong
variant to the message each cell it fails must show: the mistake named in a learner's
words, true of that mistake in every cell it fails. A variant listed there must fail
exactly the cells of its ``EXPECTED_FAILURES`` (checked elsewhere) and have every one
of its messages listed.
"""
from __future__ import annotations

import pytest

from autograder.checks import ASSIGNMENTS, checks_for, verdict_for
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


@pytest.mark.parametrize(("assignment", "function", "variant"), CASES, ids=[f"{f}-{v}" for _, f, v in CASES])
def test_wrong_variant_shows_exactly_its_messages(assignment, function, variant):
    expected = variant_module(assignment, function).EXPECTED_MESSAGES[variant]
    assert set(expected) == expected_failures(assignment, function, variant)
    namespace = namespace_with(assignment, function, variant)
    got = {c.name: verdict_for(c, namespace).message for c in checks_for(assignment) if c.name in expected}
    assert got == expected
