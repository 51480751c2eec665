"""Cosine geometry and neighbour ranking against independent references."""
from __future__ import annotations

import cmath
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from widgets._cosine_model import CosineModel, NeighbourModel, cosine_and_angle, polar_vector


@pytest.mark.parametrize("angle, length", [(0, 1), (30, 2), (-135, 0.5), (180, 1.25), (90, 0)])
def test_polar_vector_matches_complex_rect(angle, length):
    z = cmath.rect(length, math.radians(angle))
    assert polar_vector(angle, length) == pytest.approx([z.real, z.imag], abs=1e-12)


def test_negative_length_is_rejected():
    with pytest.raises(ValueError, match="length"):
        polar_vector(0, -1)


@pytest.mark.parametrize("a, b", [((20, 1), (70, 1.5)), ((-170, 0.3), (170, 2)), ((45, 1), (225, 1)),
                                  ((10, 1), (10, 2))])
def test_cosine_and_angle_match_torch_and_the_angle_difference(a, b):
    u, v = polar_vector(*a), polar_vector(*b)
    cos, angle = cosine_and_angle(u, v)
    expected = F.cosine_similarity(torch.tensor(u), torch.tensor(v), dim=0).item()
    assert cos == pytest.approx(expected, abs=1e-9)
    difference = abs((a[0] - b[0] + 180) % 360 - 180)   # the smaller angle between directions
    assert angle == pytest.approx(difference, abs=1e-6)


def test_zero_vector_gives_cosine_zero_and_no_angle():
    assert cosine_and_angle(np.zeros(2), np.array([1.0, 2.0])) == (0.0, None)


def test_model_moves_one_vector_and_lengths_do_not_change_the_cosine():
    model = CosineModel(0, 1, 60, 1)
    assert model.summary()["cosine"] == pytest.approx(0.5)
    model.set_vector("b", 60, 2.0)
    summary = model.summary()
    assert summary["cosine"] == pytest.approx(0.5) and summary["dot"] == pytest.approx(1.0)
    assert summary["norm_b"] == pytest.approx(2.0)
    with pytest.raises(ValueError):
        model.set_vector("c", 0, 1)


def reference_neighbours(tokens, weight, token, k):
    """Brute force in plain Python: the course's ranking rule spelled out."""
    rows = [list(map(float, r)) for r in weight]

    def cos(x, y):
        nx, ny = math.sqrt(sum(a * a for a in x)), math.sqrt(sum(a * a for a in y))
        return 0.0 if nx * ny == 0 else sum(a * b for a, b in zip(x, y)) / (nx * ny)

    me = tokens.index(token)
    scored = [(-cos(rows[me], rows[j]), j) for j in range(len(tokens)) if j != me]
    return [(tokens[j], -s) for s, j in sorted(scored)[:k]]


def test_neighbours_match_brute_force_on_random_embeddings():
    weight = torch.randn(50, 16, generator=torch.Generator().manual_seed(3))
    tokens = [f"t{i}" for i in range(50)]
    model = NeighbourModel(tokens, weight)
    for token in ("t0", "t17", "t49"):
        got = model.neighbours(token, 7)
        expected = reference_neighbours(tokens, weight.tolist(), token, 7)
        assert [t for t, _ in got] == [t for t, _ in expected]
        assert [c for _, c in got] == pytest.approx([c for _, c in expected], abs=1e-9)


def test_ties_go_to_the_smaller_index_and_zero_rows_score_zero():
    weight = torch.tensor([[1.0, 0.0], [0.0, 0.0], [2.0, 0.0], [3.0, 0.0], [0.0, 1.0]])
    model = NeighbourModel({"a": 0, "z": 1, "b": 2, "c": 3, "d": 4}, weight)
    assert model.neighbours("a", 10) == [("b", 1.0), ("c", 1.0), ("z", 0.0), ("d", 0.0)]
    assert model.neighbours("z", 2) == [("a", 0.0), ("b", 0.0)]


def test_neighbour_errors():
    model = NeighbourModel(["a", "b"], np.eye(2))
    with pytest.raises(KeyError):
        model.neighbours("x", 1)
    with pytest.raises(ValueError):
        model.neighbours("a", 0)
    with pytest.raises(ValueError, match="3 tokens but the weight has 2"):
        NeighbourModel(["a", "b", "c"], np.eye(2))
    with pytest.raises(ValueError, match="0..V-1"):
        NeighbourModel({"a": 0, "b": 2}, np.eye(2))
    with pytest.raises(TypeError):
        NeighbourModel("ab", np.eye(2))
