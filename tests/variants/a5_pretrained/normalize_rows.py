"""normalize_rows variants (a5_pretrained): correct ways written differently, and real misconceptions."""
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_nan_for_zero_row': {'normalize_rows_zero_row'},
    'wrong_whole_matrix_norm': {'normalize_rows_basic'},
    'wrong_column_norms': {'normalize_rows_basic'},
    'wrong_in_place': {'normalize_rows_dtype'},
    'wrong_always_float32': {'normalize_rows_dtype'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_nan_for_zero_row': {
        'normalize_rows_zero_row': (
            'normalize_rows gave NaN or inf for a (4, 3) tensor whose row 1 is zero (0 / 0 is NaN): a zero '
            'row must stay all 0.0, so divide by the norm only where it is not 0 (e.g. '
            'norms.clamp(min=1e-12))'
        ),
    },
    'wrong_whole_matrix_norm': {
        'normalize_rows_basic': (
            'normalize_rows([[3.0, 4.0], [0.0, 2.0], [-1.0, 0.0]]) divided every row by the norm of the whole '
            'matrix: divide each row by its own norm (vectors.norm(dim=1, keepdim=True))'
        ),
    },
    'wrong_column_norms': {
        'normalize_rows_basic': (
            'normalize_rows([[3.0, 4.0], [0.0, 2.0], [-1.0, 0.0]]) divided each column by its norm: normalise '
            'the rows instead, each by its own length (dim=1)'
        ),
    },
    'wrong_in_place': {
        'normalize_rows_dtype': (
            'normalize_rows changed the vectors tensor it was given (an in-place operation such as /= or '
            '.div_()): leave its input unchanged and compute a new tensor'
        ),
    },
    'wrong_always_float32': {
        'normalize_rows_dtype': (
            'normalize_rows of float64 rows returned float32; it should keep their dtype (no .float() on the '
            'way)'
        ),
    },
}


def correct_where(vectors):
    norms = vectors.norm(dim=1, keepdim=True)
    return torch.where(norms > 0, vectors / norms.clamp(min=1e-30), torch.zeros_like(vectors))


def correct_functional(vectors):
    return F.normalize(vectors, p=2, dim=1)


def correct_loop(vectors):
    rows = []
    for row in vectors:
        length = torch.sqrt((row * row).sum())
        rows.append(row / length if length > 0 else row.clone())
    return torch.stack(rows) if rows else vectors.clone()


def wrong_nan_for_zero_row(vectors):
    """Divides by the norm with no guard: a zero row becomes 0 / 0 = NaN."""
    return vectors / vectors.norm(dim=1, keepdim=True)


def wrong_whole_matrix_norm(vectors):
    """Divides by the norm of the whole matrix, so rows keep their relative lengths."""
    return vectors / vectors.norm().clamp(min=1e-12)


def wrong_column_norms(vectors):
    """Normalises columns (dim=0) instead of rows."""
    return F.normalize(vectors, dim=0)


def wrong_in_place(vectors):
    """Divides the caller's tensor in place (and returns it)."""
    vectors /= vectors.norm(dim=1, keepdim=True).clamp(min=1e-12)
    return vectors


def wrong_always_float32(vectors):
    """Converts to float32 first: float64 rows come back as float32."""
    vectors = vectors.float()
    return vectors / vectors.norm(dim=1, keepdim=True).clamp(min=1e-12)
