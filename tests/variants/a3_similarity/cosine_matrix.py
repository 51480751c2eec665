"""cosine_matrix variants (a3_similarity): correct ways written differently, and real misconceptions."""
import numpy as np
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_ones_on_diagonal': {'cosine_matrix_zero_row'},
    'wrong_normalise_columns': {'cosine_matrix_basic', 'cosine_matrix_scale', 'cosine_matrix_zero_row'},
    'wrong_dot_products': {'cosine_matrix_basic', 'cosine_matrix_scale'},
    'wrong_nan_for_zero_rows': {'cosine_matrix_zero_row'},
    'wrong_numpy_float64': {'cosine_matrix_dtype'},
    'wrong_in_place': {'cosine_matrix_dtype'},
}
# The exact feedback of every wrong variant: each message names the mistake and is true of it
# in every cell it fails (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_ones_on_diagonal': {
        'cosine_matrix_zero_row': (
            "cosine_matrix put 1.0 at [2, 2], where row 2 of vectors is zero: a zero vector's cosine with"
            ' itself is 0.0 too (only non-zero rows have 1.0 on the diagonal)'
        ),
    },
    'wrong_normalise_columns': {
        'cosine_matrix_basic': (
            'cosine_matrix normalised the columns (dim=0) instead of the rows (for [[1, 0], [0, 2], [3, '
            '3]]): normalise each row (dim=1), since each row is one vector'
        ),
        'cosine_matrix_scale': (
            'cosine_matrix normalised the columns (dim=0) instead of the rows (for 4 random vectors): '
            'normalise each row (dim=1), since each row is one vector'
        ),
        'cosine_matrix_zero_row': (
            'cosine_matrix normalised the columns (dim=0) instead of the rows (for vectors whose row 2 is'
            ' zero): normalise each row (dim=1), since each row is one vector'
        ),
    },
    'wrong_dot_products': {
        'cosine_matrix_basic': (
            'cosine_matrix returned the dot products of the rows, vectors @ vectors.T (for [[1, 0], [0, '
            '2], [3, 3]]): divide [i, j] by |row i| |row j|, or normalise each row to length 1 first'
        ),
        'cosine_matrix_scale': (
            'cosine_matrix returned the dot products of the rows, vectors @ vectors.T (for 4 random '
            'vectors): divide [i, j] by |row i| |row j|, or normalise each row to length 1 first'
        ),
    },
    'wrong_nan_for_zero_rows': {
        'cosine_matrix_zero_row': (
            'cosine_matrix gave NaN (or inf) in row or column 2, where row 2 of vectors is zero: 0 / 0 is'
            ' NaN; divide by max(|row i| |row j|, 1e-8) so that a zero row gives 0.0'
        ),
    },
    'wrong_numpy_float64': {
        'cosine_matrix_dtype': (
            'cosine_matrix of float32 vectors returned float64; it should return a float32 tensor (the '
            "vectors' dtype)"
        ),
    },
    'wrong_in_place': {
        'cosine_matrix_dtype': 'vectors was modified in place; the instructions say inputs are never changed',
    },
}


def correct_normalise_rows(vectors):
    norms = vectors.norm(dim=1, keepdim=True)
    return (vectors @ vectors.T) / torch.clamp(norms * norms.T, min=1e-8)


def correct_broadcast_functional(vectors):
    return F.cosine_similarity(vectors[:, None, :], vectors[None, :, :], dim=-1)


def correct_loops(vectors):
    n = vectors.shape[0]
    out = torch.zeros(n, n, dtype=vectors.dtype)
    for i in range(n):
        for j in range(n):
            denominator = max(vectors[i].norm().item() * vectors[j].norm().item(), 1e-8)
            out[i, j] = torch.dot(vectors[i], vectors[j]) / denominator
    return out


def wrong_ones_on_diagonal(vectors):
    """Puts 1.0 on the whole diagonal, even for a zero row."""
    norms = vectors.norm(dim=1, keepdim=True)
    out = (vectors @ vectors.T) / torch.clamp(norms * norms.T, min=1e-8)
    return out.fill_diagonal_(1.0)


def wrong_normalise_columns(vectors):
    """Normalises the columns (dim=0) instead of the rows."""
    unit = vectors / torch.clamp(vectors.norm(dim=0, keepdim=True), min=1e-8)  # wrong axis
    return unit @ unit.T


def wrong_dot_products(vectors):
    """Returns the Gram matrix of dot products, not cosines."""
    return vectors @ vectors.T


def wrong_nan_for_zero_rows(vectors):
    """Normalises rows without eps: a zero row becomes NaN."""
    unit = vectors / vectors.norm(dim=1, keepdim=True)  # 0 / 0 for a zero row
    return unit @ unit.T


def wrong_numpy_float64(vectors):
    """Goes through numpy in float64 and returns float64 whatever the input dtype."""
    array = vectors.numpy().astype(np.float64)
    norms = np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-8)
    unit = array / norms
    return torch.from_numpy(unit @ unit.T)


def wrong_in_place(vectors):
    """Normalises the caller's tensor in place."""
    vectors /= torch.clamp(vectors.norm(dim=1, keepdim=True), min=1e-8)  # changes the caller's tensor
    return vectors @ vectors.T
