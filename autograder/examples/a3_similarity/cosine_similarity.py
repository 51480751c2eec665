"""cosine_similarity variants (a3_similarity): correct ways written differently, and real misconceptions."""
import math
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_dot_only': {'cosine_similarity_basic', 'cosine_similarity_scale'},
    'wrong_nan_for_zero': {'cosine_similarity_zero_vector'},
    'wrong_torch_error': {'cosine_similarity_length_mismatch'},
    'wrong_squared_norms': {'cosine_similarity_basic', 'cosine_similarity_scale'},
    'wrong_python_float': {'cosine_similarity_basic', 'cosine_similarity_dtype'},
    'wrong_normalises_in_place': {'cosine_similarity_dtype'},
}
# The exact feedback of every wrong variant: each message names the mistake and is true of it
# in every cell it fails (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_dot_only': {
        'cosine_similarity_basic': (
            'cosine_similarity returned the dot product a·b for vectors pointing the same way: divide it '
            'by |a| |b|, the product of the two lengths'
        ),
        'cosine_similarity_scale': (
            'cosine_similarity returned the dot product a·b for two random vectors of length 8: divide it'
            ' by |a| |b|, the product of the two lengths'
        ),
    },
    'wrong_nan_for_zero': {
        'cosine_similarity_zero_vector': (
            'cosine_similarity(torch.zeros(4), a random vector) gave NaN (or inf): a zero vector has '
            'length 0, and 0 / 0 is NaN; divide by max(|a| |b|, eps) instead, which gives 0.0'
        ),
    },
    'wrong_torch_error': {
        'cosine_similarity_length_mismatch': (
            'cosine_similarity of vectors of lengths 3 and 4 should raise ValueError, but raised '
            'RuntimeError (inconsistent tensor size, expected tensor [3] and src [4] to have the same '
            'number of elements, but got 3 and 4 elements respectively)'
        ),
    },
    'wrong_squared_norms': {
        'cosine_similarity_basic': (
            'cosine_similarity divided a·b by the squared lengths |a|² |b|² for vectors pointing the same'
            ' way: divide by the lengths themselves, |a| = sqrt(a·a) and |b| = sqrt(b·b)'
        ),
        'cosine_similarity_scale': (
            'cosine_similarity divided a·b by the squared lengths |a|² |b|² for two random vectors of '
            'length 8: divide by the lengths themselves, |a| = sqrt(a·a) and |b| = sqrt(b·b)'
        ),
    },
    'wrong_python_float': {
        'cosine_similarity_basic': 'cosine_similarity should return a 0-dim tensor (shape ()), got 0.0',
        'cosine_similarity_dtype': (
            'cosine_similarity of two float32 vectors returned 0.8641; it should return a '
            "float32 tensor (the vectors' dtype)"
        ),
    },
    'wrong_normalises_in_place': {
        'cosine_similarity_dtype': 'a was modified in place; the instructions say inputs are never changed',
    },
}


def correct_formula(a, b, eps=1e-8):
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return (a @ b) / torch.clamp(a.norm() * b.norm(), min=eps)


def correct_functional(a, b, eps=1e-8):
    if len(a) != len(b):
        raise ValueError(f"lengths differ: {len(a)} and {len(b)}")
    return F.cosine_similarity(a, b, dim=0, eps=eps)


def correct_loop(a, b, eps=1e-8):
    if a.numel() != b.numel():
        raise ValueError("different lengths")
    dot = sum(x * y for x, y in zip(a, b))
    norm_a = math.sqrt(sum(float(x) ** 2 for x in a))
    norm_b = math.sqrt(sum(float(y) ** 2 for y in b))
    return torch.as_tensor(dot, dtype=a.dtype) / max(norm_a * norm_b, eps)


def wrong_dot_only(a, b, eps=1e-8):
    """Returns the dot product: forgets to divide by the lengths."""
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return torch.dot(a, b)


def wrong_nan_for_zero(a, b, eps=1e-8):
    """Divides by |a| |b| without eps: a zero vector gives 0 / 0 = NaN."""
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return torch.dot(a, b) / (a.norm() * b.norm())


def wrong_torch_error(a, b, eps=1e-8):
    """No length check: relies on torch.dot's RuntimeError instead of raising ValueError."""
    return torch.dot(a, b) / torch.clamp(a.norm() * b.norm(), min=eps)


def wrong_squared_norms(a, b, eps=1e-8):
    """Divides by the squared lengths (forgets the square roots)."""
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return torch.dot(a, b) / torch.clamp((a * a).sum() * (b * b).sum(), min=eps)


def wrong_python_float(a, b, eps=1e-8):
    """Returns a Python float (.item()) instead of a 0-dim tensor."""
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return (torch.dot(a, b) / torch.clamp(a.norm() * b.norm(), min=eps)).item()


def wrong_normalises_in_place(a, b, eps=1e-8):
    """Normalises a and b in place (a /= ...), changing the caller's vectors."""
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    a /= torch.clamp(a.norm(), min=eps)  # changes the caller's vector
    b /= torch.clamp(b.norm(), min=eps)
    return torch.dot(a, b)
