"""a5_pretrained: either sign of a principal direction, the checks' particular messages, and
the reference against independent computations (numpy in float64, on hand-made tables and
on the shipped GloVe vectors). What every assignment's checks must do is in
``test_checks_contract.py``."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import autograder.reference.a5_pretrained as ref
from autograder.checks.a5_pretrained._shared import _sign_fixed
from support.variants import namespace_with
from test_checks_contract import failed_checks
from widgets._glove import glove_numpy, load_glove

A = "a5_pretrained"


def test_either_sign_of_a_principal_direction_is_accepted():
    namespace = dict(vars(ref))
    namespace["project_2d"] = lambda v: ref.project_2d(v) * torch.tensor([-1.0, 1.0])
    assert failed_checks(A, namespace) == {}
    namespace["project_2d"] = lambda v: ref.project_2d(v)[:, [1, 0]]  # swapped columns are wrong
    assert {"project_2d_basic", "project_2d_order"} <= set(failed_checks(A, namespace))
    fixed = _sign_fixed(torch.tensor([[1.0, -3.0], [-2.0, 1.0]]))
    assert fixed.tolist() == [[-1.0, 3.0], [2.0, -1.0]]


def test_a_column_keeps_its_sign_whatever_rounding_made_one_of_two_equal_entries_larger():
    student = _sign_fixed(torch.tensor([[2.0000002, 1.0], [-2.0, 0.0]]))
    reference = _sign_fixed(torch.tensor([[2.0, 1.0], [-2.0000002, 0.0]]))
    assert (student - reference).abs().max() < 1e-6


def test_the_centred_cell_judges_the_centring_alone():
    namespace = dict(vars(ref))
    namespace["project_2d"] = lambda v: ref.project_2d(v)[:, [1, 0]]  # swapped columns: the order cell's rule
    failed = failed_checks(A, namespace)
    assert "project_2d_centred" not in failed and {"project_2d_basic", "project_2d_order"} <= set(failed)
    # One number subtracted (the mean of every entry) instead of the mean row: the columns are
    # shifted by different amounts, so the rows stay off-centre.
    namespace["project_2d"] = lambda v: (v - v.mean()) @ torch.linalg.svd(v - v.mean(dim=0), full_matrices=False)[2][:2].T
    assert "project_2d_centred" in failed_checks(A, namespace)


def test_scores_are_compared_in_proportion_where_their_size_is_another_cells_rule():
    namespace = dict(vars(ref))
    namespace["direction_scores"] = lambda *args: [2 * s for s in ref.direction_scores(*args)]
    assert set(failed_checks(A, namespace)) == {"direction_scores_basic"}


def test_a_guard_that_leaves_short_rows_unnormalised_is_caught():
    # The zero-row cell no longer sees this mistake (it judges zero rows only): the basic cell's
    # rows shorter than 1 must.
    def clamped_at_one(vectors):
        return vectors / vectors.norm(dim=1, keepdim=True).clamp(min=1.0)

    assert "normalize_rows_basic" in failed_checks(A, {**vars(ref), "normalize_rows": clamped_at_one})


def test_the_grader_finds_the_glove_answers_the_reference_gives():
    """The diagnoses are recorded where a mistake's words differ from the grader's own answer."""
    from autograder.checks.a5_pretrained._shared import _glove_rows
    from autograder.checks.a5_pretrained.analogy import _analogy_pairs
    from autograder.checks.a5_pretrained.nearest import _nearest_pairs

    vocab, vectors = load_glove(50_000)
    for word in ("beijing", "good"):
        assert [w for w, _ in _nearest_pairs(_glove_rows(), vocab, word, 5)] == [
            w for w, _ in ref.nearest(word, vocab, vectors, 5)]
    for words in (("man", "king", "woman"), ("france", "paris", "china")):
        assert [w for w, _ in _analogy_pairs(_glove_rows(), vocab, words, 3)] == [
            w for w, _ in ref.analogy(*words, vocab, vectors, 3)]


def test_failure_messages_do_not_print_expected_words():
    messages = failed_checks(A, namespace_with(A, "analogy", "wrong_keeps_inputs"))
    assert "queen" not in messages["analogy_glove"] and "shanghai" not in messages["analogy_glove"]


# --- the reference against independent computations ------------------------------------

def _np_cosines(matrix: np.ndarray, query: np.ndarray) -> np.ndarray:
    return matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query))


def test_reference_agrees_with_numpy_on_random_rows():
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(40, 6))
    vocab = {f"w{i}": i for i in range(40)}
    vectors = torch.from_numpy(matrix)
    unit = ref.normalize_rows(vectors).numpy()
    assert np.abs(unit - matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).max() < 1e-12
    scores = _np_cosines(matrix, matrix[7])
    scores[7] = -np.inf
    want = np.argsort(-scores, kind="stable")[:6]
    got = ref.nearest("w7", vocab, vectors, k=6)
    assert [w for w, _ in got] == [f"w{i}" for i in want]
    assert max(abs(s - scores[i]) for (_, s), i in zip(got, want)) < 1e-12
    query = unit[3] - unit[1] + unit[2]
    scores = _np_cosines(matrix, query)
    scores[[1, 3, 2]] = -np.inf
    assert ref.analogy("w1", "w3", "w2", vocab, vectors, k=4)[0][0] == f"w{int(np.argmax(scores))}"
    axis = unit[[0, 5]].mean(0) - unit[[9]].mean(0)
    axis /= np.linalg.norm(axis)
    got = ref.direction_scores(["w4", "w8"], ["w9"], ["w0", "w5"], vocab, vectors)
    assert np.abs(np.array(got) - unit[[4, 8]] @ axis).max() < 1e-12


def test_project_2d_agrees_with_the_covariance_eigenvectors():
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(30, 5)) * np.array([4.0, 2.0, 1.0, 0.5, 0.2]) + 10.0
    centred = matrix - matrix.mean(0)
    values, vectors = np.linalg.eigh(np.cov(centred.T))
    want = centred @ vectors[:, [-1, -2]]
    got = ref.project_2d(torch.from_numpy(matrix)).numpy()
    for j in range(2):  # either sign
        assert min(np.abs(got[:, j] - want[:, j]).max(), np.abs(got[:, j] + want[:, j]).max()) < 1e-9
    assert got.var(axis=0)[0] > got.var(axis=0)[1]
    assert ref.project_2d(torch.from_numpy(matrix).float()).dtype == torch.float32


def test_glove_loader_reads_the_wheel_memory_mapped():
    vocab, rows = glove_numpy(1000)
    assert isinstance(rows, np.memmap) or isinstance(rows.base, np.memmap)
    assert rows.shape == (1000, 50) and rows.dtype == np.float32 and not rows.flags.writeable
    assert list(vocab)[:5] == ["the", ",", ".", "of", "to"] and vocab["the"] == 0
    with pytest.raises(ValueError, match="n must be"):
        glove_numpy(0)
    with pytest.raises(ValueError, match="n must be"):
        glove_numpy(400_001)


def test_the_spec_claims_hold_on_the_shipped_vectors():
    """What the notebook prints: the spec's numbers, recomputed in float64 with numpy."""
    vocab, rows = glove_numpy(50_000)
    matrix = np.asarray(rows, dtype=np.float64)
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    def cos(a, b):
        return float(unit[vocab[a]] @ unit[vocab[b]])

    assert abs(cos("good", "bad") - 0.80) < 0.01 and abs(cos("love", "hate") - 0.65) < 0.01
    words = list(vocab)
    scores = unit @ unit[vocab["beijing"]]
    scores[vocab["beijing"]] = -np.inf
    assert [words[i] for i in np.argsort(-scores)[:4]] == ["china", "taiwan", "seoul", "taipei"]
    vocab_t, vectors = load_glove(50_000)
    assert ref.analogy("man", "king", "woman", vocab_t, vectors)[0][0] == "queen"
    (first, s1), (second, s2) = ref.analogy("france", "paris", "china", vocab_t, vectors, k=2)
    assert (first, second) == ("shanghai", "beijing") and 0 < s1 - s2 < 0.01
    nurse, homemaker, engineer = ref.direction_scores(["nurse", "homemaker", "engineer"], ["she"], ["he"],
                                                      vocab_t, vectors)
    assert nurse < -0.3 and homemaker < -0.3 and engineer > 0.1


@pytest.mark.parametrize("cpu_step, wall_step, expected", [
    (10.0, 1.0, 1.0),   # many-core machine: idle math-library threads add CPU time, the wall clock is right
    (1.0, 10.0, 1.0),   # busy machine: the wall clock stretches, the CPU time is right
])
def test_a_search_is_timed_by_the_clock_that_was_not_stretched(monkeypatch, cpu_step, wall_step, expected):
    # A yardstick timed by CPU alone was 100 times inflated on a many-core CI machine and let a Python loop pass.
    from autograder.checks.a5_pretrained import vectorised

    def ticking(step):
        now = [0.0]

        def clock():
            now[0] += step
            return now[0]
        return clock

    monkeypatch.setattr(vectorised, "_cpu_time", ticking(cpu_step))
    monkeypatch.setattr(vectorised, "_wall_time", ticking(wall_step))
    assert vectorised._timed(lambda: None) == expected
