"""direction_scores variants (a5_pretrained): correct ways written differently, and real misconceptions."""
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_raw_rows': {'direction_scores_unit_rows'},
    'wrong_axis_not_unit': {'direction_scores_basic'},
    'wrong_sums_lists': {'direction_scores_means'},
    'wrong_raw_scored_rows': {'direction_scores_unit_rows'},
    'wrong_reversed_axis': {'direction_scores_basic'},
    'wrong_tensor_result': {'direction_scores_types'},
    'wrong_no_empty_check': {'direction_scores_errors'},
    'wrong_numpy_floats': {'direction_scores_types'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_raw_rows': {
        'direction_scores_unit_rows': (
            "direction_scores(['nurse', 'engineer', 'queen'], ['she', 'woman'], ['he', 'man']) built the axis "
            'and the scores from the raw rows, so long rows count more: divide every row by its norm first'
        ),
    },
    'wrong_axis_not_unit': {
        'direction_scores_basic': (
            "direction_scores(['nurse', 'engineer', 'table'], ['she'], ['he']) did not make the axis unit "
            'length: divide mean(positive) - mean(negative) by its norm before scoring'
        ),
    },
    'wrong_sums_lists': {
        'direction_scores_means': (
            "direction_scores(['nurse', 'engineer', 'table', 'king'], ['she'], ['he', 'man', 'king']) summed "
            "each list's unit rows: take their mean, so a longer list does not weigh more"
        ),
    },
    'wrong_raw_scored_rows': {
        'direction_scores_unit_rows': (
            "direction_scores(['nurse', 'engineer', 'queen'], ['she', 'woman'], ['he', 'man']) scored the raw "
            "rows of the words: a score is unit(row) . axis, so divide each word's row by its norm"
        ),
    },
    'wrong_reversed_axis': {
        'direction_scores_basic': (
            "direction_scores(['nurse', 'engineer', 'table'], ['she'], ['he']) gave every score the opposite "
            'sign: the axis runs from the negative words to the positive ones, mean(positive) - '
            'mean(negative), so the positive words score above 0'
        ),
    },
    'wrong_tensor_result': {
        'direction_scores_types': (
            "direction_scores(['table', 'he', 'she'], ['she'], ['he']) returned a tensor: return a list of "
            'Python floats (scores.tolist())'
        ),
    },
    'wrong_no_empty_check': {
        'direction_scores_errors': (
            "direction_scores with negative=[] and positive=['he'] should raise ValueError, but raised no "
            'exception'
        ),
    },
    'wrong_numpy_floats': {
        'direction_scores_types': (
            "direction_scores(['table', 'he', 'she'], ['she'], ['he']) returned numpy floats: make each score a"
            ' Python float (float(x), or .tolist() on the array)'
        ),
    },
}


def correct_functional(words, negative, positive, vocab, vectors):
    if len(negative) == 0 or len(positive) == 0:
        raise ValueError("negative and positive must each name at least one word")
    unit = F.normalize(vectors, dim=1)
    axis = F.normalize(unit[[vocab[w] for w in positive]].mean(0) - unit[[vocab[w] for w in negative]].mean(0), dim=0)
    return [float(unit[vocab[w]] @ axis) for w in words]


def correct_loops(words, negative, positive, vocab, vectors):
    if not negative:
        raise ValueError("negative is empty")
    if not positive:
        raise ValueError("positive is empty")
    def unit(word):
        row = vectors[vocab[word]]
        return row / row.norm()
    axis = sum(unit(w) for w in positive) / len(positive) - sum(unit(w) for w in negative) / len(negative)
    axis = axis / axis.norm()
    return [torch.dot(unit(w), axis).item() for w in words]


def correct_float64(words, negative, positive, vocab, vectors):
    if min(len(negative), len(positive)) == 0:
        raise ValueError("both word lists need a word")
    table = vectors.double()
    unit = table / table.norm(dim=1, keepdim=True)
    rows = torch.tensor([vocab[w] for w in words], dtype=torch.int64)
    axis = unit[[vocab[w] for w in positive]].mean(0) - unit[[vocab[w] for w in negative]].mean(0)
    return (unit[rows] @ (axis / axis.norm())).tolist()


def wrong_raw_rows(words, negative, positive, vocab, vectors):
    """Builds the axis and the scores from raw rows: long words dominate."""
    if not negative or not positive:
        raise ValueError("need words on both sides")
    axis = vectors[[vocab[w] for w in positive]].mean(0) - vectors[[vocab[w] for w in negative]].mean(0)
    axis = axis / axis.norm()
    return [float(vectors[vocab[w]] @ axis) for w in words]


def wrong_axis_not_unit(words, negative, positive, vocab, vectors):
    """Forgets to make the axis unit length: every score is scaled by its length."""
    if not negative or not positive:
        raise ValueError("need words on both sides")
    unit = F.normalize(vectors, dim=1)
    axis = unit[[vocab[w] for w in positive]].mean(0) - unit[[vocab[w] for w in negative]].mean(0)
    return [float(unit[vocab[w]] @ axis) for w in words]


def wrong_sums_lists(words, negative, positive, vocab, vectors):
    """Sums each list's unit rows instead of averaging: the longer list weighs more."""
    if not negative or not positive:
        raise ValueError("need words on both sides")
    unit = F.normalize(vectors, dim=1)
    axis = unit[[vocab[w] for w in positive]].sum(0) - unit[[vocab[w] for w in negative]].sum(0)
    axis = axis / axis.norm()
    return [float(unit[vocab[w]] @ axis) for w in words]


def wrong_raw_scored_rows(words, negative, positive, vocab, vectors):
    """Builds a correct unit axis but scores the raw (unnormalised) rows of the words."""
    if not negative or not positive:
        raise ValueError("need words on both sides")
    unit = F.normalize(vectors, dim=1)
    axis = F.normalize(unit[[vocab[w] for w in positive]].mean(0) - unit[[vocab[w] for w in negative]].mean(0), dim=0)
    return [float(vectors[vocab[w]] @ axis) for w in words]


def wrong_reversed_axis(words, negative, positive, vocab, vectors):
    """Builds the axis the other way round, mean(negative) - mean(positive): every score has the wrong sign."""
    if not negative or not positive:
        raise ValueError("need words on both sides")
    unit = F.normalize(vectors, dim=1)
    axis = F.normalize(unit[[vocab[w] for w in negative]].mean(0) - unit[[vocab[w] for w in positive]].mean(0), dim=0)
    return [float(unit[vocab[w]] @ axis) for w in words]


def wrong_tensor_result(words, negative, positive, vocab, vectors):
    """Returns the scores as a tensor instead of a list of Python floats."""
    if not negative or not positive:
        raise ValueError("need words on both sides")
    unit = F.normalize(vectors, dim=1)
    axis = F.normalize(unit[[vocab[w] for w in positive]].mean(0) - unit[[vocab[w] for w in negative]].mean(0), dim=0)
    return unit[[vocab[w] for w in words]] @ axis


def wrong_no_empty_check(words, negative, positive, vocab, vectors):
    """Never checks for empty lists: the mean of no rows is NaN and every score NaN."""
    unit = F.normalize(vectors, dim=1)
    axis = F.normalize(unit[[vocab[w] for w in positive]].mean(0) - unit[[vocab[w] for w in negative]].mean(0), dim=0)
    return [float(unit[vocab[w]] @ axis) for w in words]


def wrong_numpy_floats(words, negative, positive, vocab, vectors):
    """Works in numpy and returns a list of its float32 scores (numpy floats, not Python floats)."""
    import numpy as np
    if not negative or not positive:
        raise ValueError("negative and positive must each name at least one word")
    rows = vectors.detach().numpy()
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    axis = unit[[vocab[w] for w in positive]].mean(0) - unit[[vocab[w] for w in negative]].mean(0)
    axis = axis / np.linalg.norm(axis)
    return [unit[vocab[w]] @ axis for w in words]
