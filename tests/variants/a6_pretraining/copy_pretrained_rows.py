"""copy_pretrained_rows variants (a6_pretraining): correct ways written differently, and real misconceptions."""
import torch

EXPECTED_FAILURES = {
    'wrong_by_position': {'copy_pretrained_rows_basic', 'copy_pretrained_rows_missing'},
    'wrong_dict_order': {'copy_pretrained_rows_missing'},
    'wrong_writes_into_init': {'copy_pretrained_rows_new_tensor'},
    'wrong_keeps_gradient': {'copy_pretrained_rows_new_tensor'},
    'wrong_pretrained_dtype': {'copy_pretrained_rows_dtype'},
    'wrong_no_checks': {'copy_pretrained_rows_errors'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_by_position': {
        'copy_pretrained_rows_basic': (
            'copy_pretrained_rows copied pretrained row i into row i: look each token up, '
            "pretrained[pretrained_vocab[t]] goes into row vocab[t] (the notebook's example)"
        ),
        'copy_pretrained_rows_missing': (
            'copy_pretrained_rows copied pretrained row i into row i: look each token up, '
            'pretrained[pretrained_vocab[t]] goes into row vocab[t] (a vocab whose keys are not in '
            'index order)'
        ),
    },
    'wrong_dict_order': {
        'copy_pretrained_rows_missing': (
            "copy_pretrained_rows lists the missing tokens in the dict's order: list them in order of"
            ' their index in vocab (a vocab whose keys are not in index order)'
        ),
    },
    'wrong_writes_into_init': {
        'copy_pretrained_rows_new_tensor': (
            'copy_pretrained_rows returned the init (or pretrained) tensor it was given: return a new'
            ' tensor (init.detach().clone())'
        ),
    },
    'wrong_keeps_gradient': {
        'copy_pretrained_rows_new_tensor': (
            "copy_pretrained_rows returned a weight that needs a gradient or carries init's or "
            "pretrained's gradient history: start from init.detach().clone() (and copy "
            'pretrained.detach() rows)'
        ),
    },
    'wrong_pretrained_dtype': {
        'copy_pretrained_rows_dtype': (
            'copy_pretrained_rows returned a float64 weight for float64 pretrained rows, a float32 '
            "init; it should have init's dtype, float32"
        ),
    },
    'wrong_no_checks': {
        'copy_pretrained_rows_errors': (
            'copy_pretrained_rows with pretrained rows of d = 3 and init rows of d = 2 should raise '
            'ValueError (a row cannot be copied into a row of another length), but raised '
            'RuntimeError (The expanded size of the tensor (2) must match the existing size (3) at '
            'non-singleton dimension 0.  Target sizes: [2].  Tensor sizes: [3])'
        ),
    },
}


def correct_loop(vocab, pretrained_vocab, pretrained, init):
    if pretrained.shape[1] != init.shape[1]:
        raise ValueError("d differs")
    if init.shape[0] != len(vocab):
        raise ValueError("one init row per token")
    weight = init.detach().clone()
    missing = []
    for token, row in sorted(vocab.items(), key=lambda item: item[1]):
        if token in pretrained_vocab:
            weight[row] = pretrained[pretrained_vocab[token]].detach()
        else:
            missing.append(token)
    return weight, missing


def correct_index(vocab, pretrained_vocab, pretrained, init):
    if pretrained.size(1) != init.size(1) or init.size(0) != len(vocab):
        raise ValueError("shapes do not fit")
    weight = torch.empty_like(init, requires_grad=False)
    weight.copy_(init.detach())
    known = [(row, pretrained_vocab[t]) for t, row in vocab.items() if t in pretrained_vocab]
    if known:
        rows, sources = zip(*known)
        weight[list(rows)] = pretrained.detach()[list(sources)].to(init.dtype)
    by_index = sorted(vocab, key=lambda t: vocab[t])
    return weight, [t for t in by_index if t not in pretrained_vocab]


def correct_stack(vocab, pretrained_vocab, pretrained, init):
    if pretrained.shape[-1] != init.shape[-1]:
        raise ValueError("pretrained and init rows differ in length")
    if len(init) != len(vocab):
        raise ValueError("init must have len(vocab) rows")
    tokens = [None] * len(vocab)
    for token, row in vocab.items():
        tokens[row] = token
    rows = [pretrained[pretrained_vocab[t]] if t in pretrained_vocab else init[i] for i, t in enumerate(tokens)]
    weight = torch.stack([r.detach().to(init.dtype) for r in rows]) if rows else init.detach().clone()
    return weight, [t for t in tokens if t not in pretrained_vocab]


def _checked_copy(vocab, pretrained, init):
    if pretrained.shape[1] != init.shape[1]:
        raise ValueError("d differs")
    if init.shape[0] != len(vocab):
        raise ValueError("one init row per token")


def wrong_by_position(vocab, pretrained_vocab, pretrained, init):
    """Copies pretrained row i into row i for every known token, as if both vocabularies numbered tokens alike."""
    _checked_copy(vocab, pretrained, init)
    weight = init.detach().clone()
    for token, row in vocab.items():
        if token in pretrained_vocab and row < len(pretrained):
            weight[row] = pretrained[row].detach()
    return weight, [t for t in sorted(vocab, key=vocab.get) if t not in pretrained_vocab]


def wrong_dict_order(vocab, pretrained_vocab, pretrained, init):
    """Lists the missing tokens in the dict's insertion order, not by index."""
    _checked_copy(vocab, pretrained, init)
    weight = init.detach().clone()
    for token, row in vocab.items():
        if token in pretrained_vocab:
            weight[row] = pretrained[pretrained_vocab[token]].detach()
    return weight, [t for t in vocab if t not in pretrained_vocab]


def wrong_writes_into_init(vocab, pretrained_vocab, pretrained, init):
    """Writes the pretrained rows into init itself (under no_grad) and returns it."""
    _checked_copy(vocab, pretrained, init)
    with torch.no_grad():
        for token, row in vocab.items():
            if token in pretrained_vocab:
                init[row] = pretrained[pretrained_vocab[token]]
    return init, [t for t in sorted(vocab, key=vocab.get) if t not in pretrained_vocab]


def wrong_keeps_gradient(vocab, pretrained_vocab, pretrained, init):
    """init.clone() without .detach(): the new table carries init's gradient history."""
    _checked_copy(vocab, pretrained, init)
    weight = init.clone()
    for token, row in vocab.items():
        if token in pretrained_vocab:
            weight[row] = pretrained[pretrained_vocab[token]]
    return weight, [t for t in sorted(vocab, key=vocab.get) if t not in pretrained_vocab]


def wrong_pretrained_dtype(vocab, pretrained_vocab, pretrained, init):
    """Builds the table in pretrained's dtype, not init's."""
    _checked_copy(vocab, pretrained, init)
    weight = init.detach().clone().to(pretrained.dtype)
    for token, row in vocab.items():
        if token in pretrained_vocab:
            weight[row] = pretrained[pretrained_vocab[token]].detach()
    return weight, [t for t in sorted(vocab, key=vocab.get) if t not in pretrained_vocab]


def wrong_no_checks(vocab, pretrained_vocab, pretrained, init):
    """Checks no shapes: a row of another length fails inside torch (RuntimeError), a short init with IndexError."""
    weight = init.detach().clone()
    for token, row in vocab.items():
        if token in pretrained_vocab:
            weight[row] = pretrained[pretrained_vocab[token]].detach()
    return weight, [t for t in sorted(vocab, key=vocab.get) if t not in pretrained_vocab]
