"""embed_with_positions variants (a6_pretraining): correct ways written differently, and real misconceptions."""
import torch
from torch import nn

EXPECTED_FAILURES = {
    'wrong_tokens_only': {'embed_with_positions_basic', 'embed_with_positions_positions', 'embed_with_positions_gradients'},
    'wrong_positions_of_ids': {'embed_with_positions_basic', 'embed_with_positions_positions', 'embed_with_positions_gradients'},
    'wrong_batch_positions': {'embed_with_positions_basic', 'embed_with_positions_positions', 'embed_with_positions_gradients'},
    'wrong_detached_positions': {'embed_with_positions_gradients'},
    'wrong_always_float32': {'embed_with_positions_dtype'},
    'wrong_off_by_one_limit': {'embed_with_positions_basic', 'embed_with_positions_errors'},
    'wrong_no_checks': {'embed_with_positions_errors'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_tokens_only': {
        'embed_with_positions_basic': (
            "embed_with_positions returned the token rows alone: add position_embedding's rows of the"
            " positions 0 ... L-1 (the notebook's example)"
        ),
        'embed_with_positions_positions': (
            "embed_with_positions returned the token rows alone: add position_embedding's rows of the"
            ' positions 0 ... L-1 (an all-zero token table, 3 rows of 4 ids)'
        ),
        'embed_with_positions_gradients': (
            "no gradient reached position_embedding's weight after backward(): use the table itself "
            '(calling it, or indexing its .weight), not .weight.detach(), .data or a copy'
        ),
    },
    'wrong_positions_of_ids': {
        'embed_with_positions_basic': (
            "embed_with_positions(the notebook's example) raised IndexError: index out of range in "
            'self -- the id 3 has no row in the position table of 3 rows: look up the positions 0 ...'
            ' L-1 there (torch.arange(L)), not the ids'
        ),
        'embed_with_positions_positions': (
            'embed_with_positions added the position rows of the ids (position_embedding(ids)): add '
            'the rows of the positions 0 ... L-1 instead (an all-zero token table, 3 rows of 4 ids)'
        ),
        'embed_with_positions_gradients': (
            "the gradient of position_embedding's weight is wrong: each row used gets the upstream "
            'gradient of every place it was added to'
        ),
    },
    'wrong_batch_positions': {
        'embed_with_positions_basic': (
            'embed_with_positions added one position row per row of the batch (positions 0 ... B-1): '
            "position i of every row gets row i of position_embedding (the notebook's example)"
        ),
        'embed_with_positions_positions': (
            'embed_with_positions added one position row per row of the batch (positions 0 ... B-1): '
            'position i of every row gets row i of position_embedding (an all-zero token table, 3 '
            'rows of 4 ids)'
        ),
        'embed_with_positions_gradients': (
            "the gradient of position_embedding's weight is wrong: each row used gets the upstream "
            'gradient of every place it was added to'
        ),
    },
    'wrong_detached_positions': {
        'embed_with_positions_gradients': (
            "no gradient reached position_embedding's weight after backward(): use the table itself "
            '(calling it, or indexing its .weight), not .weight.detach(), .data or a copy'
        ),
    },
    'wrong_always_float32': {
        'embed_with_positions_dtype': (
            'embed_with_positions of float64 tables returned float32; it should keep float64 (no '
            '.float() on the way)'
        ),
    },
    'wrong_off_by_one_limit': {
        'embed_with_positions_basic': "embed_with_positions(the notebook's example) raised ValueError: too many positions",
        'embed_with_positions_errors': (
            'embed_with_positions(one row of 4 ids, a position table of 4 rows) raised ValueError: '
            "too many positions -- L may equal the position table's number of rows: raise only when L"
            ' exceeds it'
        ),
    },
    'wrong_no_checks': {
        'embed_with_positions_errors': (
            'embed_with_positions with 5 positions and a position table of 4 rows should raise '
            'ValueError (there is no row for position 4), but raised IndexError (index out of range '
            'in self)'
        ),
    },
}


def correct_broadcast(ids, token_embedding, position_embedding):
    batch, length = ids.shape
    if length > position_embedding.weight.shape[0]:
        raise ValueError("sequence longer than the position table")
    if token_embedding.weight.shape[1] != position_embedding.weight.shape[1]:
        raise ValueError("the tables' d differ")
    return token_embedding.weight[ids] + position_embedding.weight[:length]


def correct_expand(ids, token_embedding, position_embedding):
    if ids.size(1) > position_embedding.num_embeddings:
        raise ValueError("too many positions")
    if token_embedding.embedding_dim != position_embedding.embedding_dim:
        raise ValueError("d differs")
    positions = torch.arange(ids.size(1)).unsqueeze(0).expand(ids.size(0), -1)
    return token_embedding(ids) + position_embedding(positions)


def correct_loop(ids, token_embedding, position_embedding):
    if ids.shape[1] > len(position_embedding.weight) or token_embedding.weight.shape[-1] != position_embedding.weight.shape[-1]:
        raise ValueError("bad shapes")
    rows = []
    for row in ids:
        rows.append(torch.stack([token_embedding.weight[int(t)] + position_embedding.weight[i] for i, t in enumerate(row)]))
    return torch.stack(rows)


def _checked_positions(ids, token_embedding, position_embedding):
    if ids.shape[1] > position_embedding.num_embeddings:
        raise ValueError("too many positions")
    if token_embedding.embedding_dim != position_embedding.embedding_dim:
        raise ValueError("d differs")


def wrong_tokens_only(ids, token_embedding, position_embedding):
    """Forgets the positions: returns the token rows alone."""
    _checked_positions(ids, token_embedding, position_embedding)
    return token_embedding(ids)


def wrong_positions_of_ids(ids, token_embedding, position_embedding):
    """Looks the ids up in the position table too (position_embedding(ids)) instead of positions 0 ... L-1."""
    if token_embedding.embedding_dim != position_embedding.embedding_dim:
        raise ValueError("d differs")
    if ids.shape[1] > position_embedding.num_embeddings:
        raise ValueError("too many positions")
    return token_embedding(ids) + position_embedding(ids)


def wrong_batch_positions(ids, token_embedding, position_embedding):
    """Numbers the rows of the batch (0 ... B-1) instead of the positions in a row."""
    _checked_positions(ids, token_embedding, position_embedding)
    return token_embedding(ids) + position_embedding(torch.arange(ids.shape[0])).unsqueeze(1)


def wrong_detached_positions(ids, token_embedding, position_embedding):
    """Adds the position rows through .detach(): the position table never learns."""
    _checked_positions(ids, token_embedding, position_embedding)
    return token_embedding(ids) + position_embedding.weight.detach()[: ids.shape[1]]


def wrong_always_float32(ids, token_embedding, position_embedding):
    """Converts the result to float32 (float64 tables come back as float32)."""
    _checked_positions(ids, token_embedding, position_embedding)
    return (token_embedding(ids) + position_embedding(torch.arange(ids.shape[1]))).float()


def wrong_off_by_one_limit(ids, token_embedding, position_embedding):
    """Raises already when L equals the position table's rows (>= instead of >)."""
    if ids.shape[1] >= position_embedding.num_embeddings:
        raise ValueError("too many positions")
    if token_embedding.embedding_dim != position_embedding.embedding_dim:
        raise ValueError("d differs")
    return token_embedding(ids) + position_embedding(torch.arange(ids.shape[1]))


def wrong_no_checks(ids, token_embedding, position_embedding):
    """Checks nothing: torch's own IndexError or RuntimeError, not ValueError."""
    return token_embedding(ids) + position_embedding(torch.arange(ids.shape[1]))
