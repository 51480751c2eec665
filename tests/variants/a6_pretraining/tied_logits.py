"""tied_logits variants (a6_pretraining): correct ways written differently, and real misconceptions."""
import torch
import torch.nn.functional as F
from torch import nn

EXPECTED_FAILURES = {
    'wrong_softmax': {'tied_logits_basic', 'tied_logits_bias', 'tied_logits_gradients'},
    'wrong_ignores_bias': {'tied_logits_bias', 'tied_logits_gradients'},
    'wrong_untied_copy': {'tied_logits_gradients'},
    'wrong_detached_table': {'tied_logits_gradients'},
    'wrong_always_float32': {'tied_logits_dtype', 'tied_logits_errors'},
    'wrong_no_checks': {'tied_logits_errors'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_softmax': {
        'tied_logits_basic': (
            'tied_logits returned probabilities (a softmax over the tokens): return the raw scores, '
            "hidden @ table.T; the loss takes the softmax itself (the notebook's example)"
        ),
        'tied_logits_bias': (
            'tied_logits returned probabilities (a softmax over the tokens): return the raw scores, '
            'hidden @ table.T; the loss takes the softmax itself (hidden of shape (2, 5, 3), a table '
            'of 4 rows, a bias of 4)'
        ),
        'tied_logits_gradients': (
            "the gradient of the table's weight is wrong: tied_logits should be hidden @ table.T + "
            'bias, which gives the right gradient by itself'
        ),
    },
    'wrong_ignores_bias': {
        'tied_logits_bias': (
            'tied_logits left out the bias: add bias[v] to every score of token v (hidden of shape '
            '(2, 5, 3), a table of 4 rows, a bias of 4)'
        ),
        'tied_logits_gradients': (
            'no gradient reached bias after backward(): tied_logits does not use the bias it is '
            'given, or cuts it off the graph (.detach(), .data, .item() or numpy)'
        ),
    },
    'wrong_untied_copy': {
        'tied_logits_gradients': (
            "no gradient reached the table's weight after backward(): the output is not tied to the "
            'table: use embedding.weight itself, not .detach(), .data or a copy in a new layer'
        ),
    },
    'wrong_detached_table': {
        'tied_logits_gradients': (
            "no gradient reached the table's weight after backward(): the output is not tied to the "
            'table: use embedding.weight itself, not .detach(), .data or a copy in a new layer'
        ),
    },
    'wrong_always_float32': {
        'tied_logits_dtype': (
            'tied_logits of float64 hidden and table returned float32; it should keep float64 (no '
            '.float() on the way)'
        ),
        'tied_logits_errors': (
            'tied_logits with float64 hidden and a float32 table should raise ValueError (say which '
            'dtypes differ; do not convert one silently), but raised no exception'
        ),
    },
    'wrong_no_checks': {
        'tied_logits_errors': (
            'tied_logits with hidden of d = 3 and a table of d = 2 should raise ValueError (a hidden '
            'vector must be as long as the rows it is dotted with), but raised RuntimeError (mat1 and'
            ' mat2 shapes cannot be multiplied (2x3 and 2x4))'
        ),
    },
}


def correct_matmul(hidden, embedding, bias=None):
    weight = embedding.weight
    if hidden.shape[-1] != weight.shape[-1]:
        raise ValueError("d differs")
    if hidden.dtype != weight.dtype:
        raise ValueError("dtypes differ")
    logits = hidden @ weight.T
    return logits if bias is None else logits + bias


def correct_einsum(hidden, embedding, bias=None):
    if hidden.size(-1) != embedding.embedding_dim:
        raise ValueError("hidden's d is not the table's")
    if hidden.dtype is not embedding.weight.dtype:
        raise ValueError("hidden's dtype is not the table's")
    scores = torch.einsum("bld,vd->blv", hidden, embedding.weight)
    if bias is not None:
        scores = scores + bias.view(1, 1, -1)
    return scores


def correct_matmul_transpose(hidden, embedding, bias=None):
    w = embedding.weight
    if hidden.shape[2] != w.shape[1] or hidden.dtype != w.dtype:
        raise ValueError("hidden does not fit the table")
    out = torch.matmul(hidden, w.transpose(0, 1))
    if bias is not None:
        out += bias
    return out


def _checked_tied(hidden, embedding):
    if hidden.shape[-1] != embedding.weight.shape[1]:
        raise ValueError("d differs")
    if hidden.dtype != embedding.weight.dtype:
        raise ValueError("dtypes differ")


def wrong_softmax(hidden, embedding, bias=None):
    """Returns probabilities (a softmax) instead of the raw scores."""
    _checked_tied(hidden, embedding)
    return torch.softmax(F.linear(hidden, embedding.weight, bias), dim=-1)


def wrong_ignores_bias(hidden, embedding, bias=None):
    """Forgets the bias."""
    _checked_tied(hidden, embedding)
    return hidden @ embedding.weight.T


def wrong_untied_copy(hidden, embedding, bias=None):
    """Copies the table into a new output layer: the scores are right, but the table gets no gradient (untied)."""
    _checked_tied(hidden, embedding)
    output = nn.Linear(embedding.weight.shape[1], embedding.weight.shape[0], bias=False).to(embedding.weight.dtype)
    with torch.no_grad():
        output.weight.copy_(embedding.weight)
    logits = output(hidden)
    return logits if bias is None else logits + bias


def wrong_detached_table(hidden, embedding, bias=None):
    """Uses embedding.weight.detach(): the output side never trains the table."""
    _checked_tied(hidden, embedding)
    return F.linear(hidden, embedding.weight.detach(), bias)


def wrong_always_float32(hidden, embedding, bias=None):
    """Converts both to float32 first, so float64 comes back as float32 and a dtype mismatch is never told."""
    if hidden.shape[-1] != embedding.weight.shape[1]:
        raise ValueError("d differs")
    return F.linear(hidden.float(), embedding.weight.float(), None if bias is None else bias.float())


def wrong_no_checks(hidden, embedding, bias=None):
    """Checks nothing: a wrong d or dtype fails inside torch with a RuntimeError, not ValueError."""
    return F.linear(hidden, embedding.weight, bias)
