"""masked_mean_pool variants (a4_training): correct ways written differently, and real misconceptions."""
import torch

EXPECTED_FAILURES = {
    'wrong_divides_by_length': {'masked_mean_pool_any_mask', 'masked_mean_pool_basic', 'masked_mean_pool_padding'},
    'wrong_ignores_mask': {'masked_mean_pool_any_mask', 'masked_mean_pool_basic', 'masked_mean_pool_empty_row', 'masked_mean_pool_padding'},
    'wrong_nan_for_empty_rows': {'masked_mean_pool_empty_row'},
    'wrong_prefix_lengths': {'masked_mean_pool_any_mask'},
    'wrong_zeroes_padding_in_place': {'masked_mean_pool_dtype'},
    'wrong_float32_always': {'masked_mean_pool_dtype'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_divides_by_length': {
        'masked_mean_pool_any_mask': (
            "masked_mean_pool divides each row's sum by L, the padded length: divide by that row's number of "
            'True positions'
        ),
        'masked_mean_pool_basic': (
            "masked_mean_pool divides each row's sum by L, the padded length: divide by that row's number of "
            'True positions'
        ),
        'masked_mean_pool_padding': (
            "masked_mean_pool divides each row's sum by L, the padded length: divide by that row's number of "
            'True positions'
        ),
    },
    'wrong_ignores_mask': {
        'masked_mean_pool_any_mask': (
            'masked_mean_pool averages every position, padding included: only the positions where mask is '
            'True count, in the sum and in the number you divide by'
        ),
        'masked_mean_pool_basic': (
            'masked_mean_pool averages every position, padding included: only the positions where mask is '
            'True count, in the sum and in the number you divide by'
        ),
        'masked_mean_pool_empty_row': (
            'masked_mean_pool averages every position, padding included: only the positions where mask is '
            'True count, in the sum and in the number you divide by'
        ),
        'masked_mean_pool_padding': (
            'masked_mean_pool averages every position, padding included: only the positions where mask is '
            'True count, in the sum and in the number you divide by'
        ),
    },
    'wrong_nan_for_empty_rows': {
        'masked_mean_pool_empty_row': (
            'masked_mean_pool gave wrong values: a row whose mask is all False gives a zero vector (not NaN)'
        ),
    },
    'wrong_prefix_lengths': {
        'masked_mean_pool_any_mask': (
            'masked_mean_pool averages the first n positions of each row (n = its number of True): use the '
            'mask itself, True positions can be anywhere'
        ),
    },
    'wrong_zeroes_padding_in_place': {
        'masked_mean_pool_dtype': (
            'masked_mean_pool modified vectors in place; inputs are never changed'
        ),
    },
    'wrong_float32_always': {
        'masked_mean_pool_dtype': (
            'masked_mean_pool of float64 vectors returned float32; it should keep their dtype'
        ),
    },
}


def correct_multiply(vectors, mask):
    weights = mask.unsqueeze(-1).to(vectors.dtype)
    return (vectors * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def correct_loop(vectors, mask):
    rows = []
    for row_vectors, row_mask in zip(vectors, mask):
        if row_mask.any():
            rows.append(row_vectors[row_mask].mean(dim=0))
        else:
            rows.append(torch.zeros(vectors.shape[-1], dtype=vectors.dtype))
    return torch.stack(rows)


def correct_einsum_nan_to_num(vectors, mask):
    weights = mask.to(vectors.dtype)
    total = torch.einsum("bl,bld->bd", weights, vectors)
    return torch.nan_to_num(total / weights.sum(dim=1, keepdim=True), nan=0.0)


def wrong_divides_by_length(vectors, mask):
    """Sums the masked vectors but divides by L, so padding lowers the mean."""
    weights = mask.unsqueeze(-1).to(vectors.dtype)
    return (vectors * weights).sum(dim=1) / vectors.shape[1]


def wrong_ignores_mask(vectors, mask):
    """Ignores the mask: the mean over all L positions."""
    return vectors.mean(dim=1)


def wrong_nan_for_empty_rows(vectors, mask):
    """Divides by the count without a floor: an all-False row gives 0 / 0 = NaN."""
    weights = mask.unsqueeze(-1).to(vectors.dtype)
    return (vectors * weights).sum(dim=1) / weights.sum(dim=1)


def wrong_prefix_lengths(vectors, mask):
    """Uses mask.sum() as a length and averages the first n positions."""
    lengths = mask.sum(dim=1)
    rows = []
    for row, n in zip(vectors, lengths.tolist()):
        rows.append(row[:n].mean(dim=0) if n else torch.zeros(vectors.shape[-1], dtype=vectors.dtype))
    return torch.stack(rows)


def wrong_zeroes_padding_in_place(vectors, mask):
    """Zeroes the padded positions of the caller's tensor in place."""
    vectors[~mask] = 0.0  # changes the caller's tensor
    return vectors.sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1)


def wrong_float32_always(vectors, mask):
    """Casts to float32, losing float64 inputs' dtype."""
    weights = mask.unsqueeze(-1).float()
    return (vectors.float() * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
