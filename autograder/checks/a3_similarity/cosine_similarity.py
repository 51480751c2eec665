"""The checks of cosine_similarity: basic, scale, zero vector, length mismatch, dtype."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import (
    check, dtype_of, finite_of, name_the_mistakes, number_as_tensor, seeded_randn, shape_of,
)

from ._shared import _unchanged


def _cosine_slips(a: torch.Tensor, b: torch.Tensor, where: str) -> list[tuple[torch.Tensor, str]]:
    """The usual slips that a and b tell apart from the right cosine: what each gives (computed in the
    grader, float64, before student code runs) and the message that names it."""
    a, b = a.to(torch.float64), b.to(torch.float64)
    dot = a @ b
    right = dot / torch.clamp(a.norm() * b.norm(), min=1e-8)
    slips = [(dot, f"cosine_similarity returned the dot product a·b {where}: divide it by |a| |b|, the product "
                   "of the two lengths"),
             (dot / torch.clamp((a @ a) * (b @ b), min=1e-8),
              f"cosine_similarity divided a·b by the squared lengths |a|² |b|² {where}: divide by the lengths "
              "themselves, |a| = sqrt(a·a) and |b| = sqrt(b·b)")]
    return [(wrong, message) for wrong, message in slips if abs(float(wrong - right)) > 1e-4]


@check
def cosine_similarity_basic(p, cosine_similarity):
    """cosine_similarity: a 0-dim tensor equal to a.b / (|a| |b|)."""
    cases = [
        (torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), "for perpendicular vectors", "their cosine is 0"),
        (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0]), "for vectors pointing the same way",
         "their cosine is 1"),
        (torch.tensor([1.0, -2.0]), torch.tensor([-1.0, 2.0]), "for opposite vectors", "their cosine is -1"),
        (seeded_randn(6, seed=1), seeded_randn(6, seed=2), "for two random vectors",
         "cosine is a·b divided by |a| |b|"),
    ]
    for a, b, where, rule in cases:
        slips = _cosine_slips(a, b, where)
        out = p.call(cosine_similarity, a.clone(), b.clone())
        p.expect(shape_of(out), "cosine_similarity should return a 0-dim tensor (shape ()), got {got}")
        name_the_mistakes(p, out, slips)
        p.expect(number_as_tensor(out), f"cosine_similarity gave a wrong value {where}: {rule}", check_dtype=False)
    out = p.call(cosine_similarity, seeded_randn(5, seed=3), seeded_randn(5, seed=4), eps=1e-8)
    p.expect(number_as_tensor(out), "cosine_similarity(a, b, eps=1e-8) gave a wrong value (the calls without "
                                    "eps= were right): eps only bounds the denominator, max(|a| |b|, eps)",
             check_dtype=False)


@check
def cosine_similarity_scale(p, cosine_similarity):
    """cosine_similarity is unchanged when either vector is scaled by a positive number."""
    a, b = seeded_randn(8, seed=11), seeded_randn(8, seed=12)
    where = "for two random vectors of length 8"
    slips = _cosine_slips(a, b, where)
    out = p.call(cosine_similarity, a.clone(), b.clone())
    name_the_mistakes(p, out, slips)
    p.expect(number_as_tensor(out), f"cosine_similarity gave a wrong value {where}: it is a·b / (|a| |b|)",
             check_dtype=False)
    for scale_a, scale_b in [(10.0, 1.0), (1.0, 0.001), (250.0, 0.5)]:
        out = p.call(cosine_similarity, a * scale_a, b * scale_b, what=f"cosine_similarity(a * {scale_a:g}, "
                                                                       f"b * {scale_b:g})")
        p.expect(number_as_tensor(out), f"cosine_similarity(a * {scale_a:g}, b * {scale_b:g}) differs from "
                 "cosine_similarity(a, b), which was right: scaling a vector by a positive number must not change "
                 "its cosine, which depends only on the directions (divide a·b by |a| |b|)", check_dtype=False)


@check
def cosine_similarity_zero_vector(p, cosine_similarity):
    """cosine_similarity is 0.0 (never NaN) when a vector is zero."""
    zero, other = torch.zeros(4), seeded_randn(4, seed=21)
    for a, b, name in [(zero, other, "torch.zeros(4), a random vector"),
                       (other, zero, "a random vector, torch.zeros(4)"),
                       (zero, zero, "torch.zeros(4), torch.zeros(4)")]:
        out = p.call(cosine_similarity, a, b, what=f"cosine_similarity({name})")
        p.expect(finite_of(number_as_tensor(out)), f"cosine_similarity({name}) gave NaN (or inf): a zero vector has "
                 "length 0, and 0 / 0 is NaN; divide by max(|a| |b|, eps) instead, which gives 0.0")
        p.expect(number_as_tensor(out), f"cosine_similarity({name}) should be 0.0 (a zero vector has no direction): "
                 "divide by max(|a| |b|, eps)", check_dtype=False)


@check
def cosine_similarity_length_mismatch(p, cosine_similarity):
    """cosine_similarity raises ValueError for vectors of different lengths."""
    p.raises(ValueError, cosine_similarity, seeded_randn(3, seed=31), seeded_randn(4, seed=32),
             message="cosine_similarity of vectors of lengths 3 and 4 should raise ValueError, but raised {got}")
    p.raises(ValueError, cosine_similarity, seeded_randn(1, seed=33), seeded_randn(5, seed=34),
             message="cosine_similarity of vectors of lengths 1 and 5 should raise ValueError, but raised {got}")


@check
def cosine_similarity_dtype(p, cosine_similarity):
    """cosine_similarity keeps the float dtype (float32, float64) and leaves its inputs alone."""
    for dtype in (torch.float32, torch.float64):
        a, b = seeded_randn(5, seed=41, dtype=dtype), seeded_randn(5, seed=42, dtype=dtype)
        out = p.call(cosine_similarity, a, b)
        name = str(dtype)[6:]
        p.expect(dtype_of(out), f"cosine_similarity of two {name} vectors returned {{got}}; it should return a "
                                f"{name} tensor (the vectors' dtype)")
        _unchanged(p, a, "a")
        _unchanged(p, b, "b")
