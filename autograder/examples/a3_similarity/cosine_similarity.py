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
