"""copy_pretrained_rows: a new table with the pretrained row of every known token, init's row elsewhere."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check
from autograder.checks.toolbox import dtype_of, name_the_mistakes, requires_grad_of, same_plain, shape_of

from ._inputs import float64, pair


def _right(vocab, pretrained_vocab, pretrained, init):
    weight = init.detach().to(torch.float64).clone()
    for token, row in vocab.items():
        if token in pretrained_vocab:
            weight[row] = pretrained.detach().to(torch.float64)[pretrained_vocab[token]]
    return weight, [t for t in sorted(vocab, key=vocab.get) if t not in pretrained_vocab]


def _weight_slips(vocab, pretrained_vocab, pretrained, init):
    by_position = init.detach().to(torch.float64).clone()
    for token, row in vocab.items():
        if token in pretrained_vocab and row < pretrained.shape[0]:
            by_position[row] = pretrained.detach().to(torch.float64)[row]
    return [(by_position, "copied pretrained row i into row i: look each token up, pretrained[pretrained_vocab[t]] "
                          "goes into row vocab[t]")]


def _missing_slips(vocab, pretrained_vocab):
    return [([t for t in vocab if t not in pretrained_vocab],
             "lists the missing tokens in the dict's order: list them in order of their index in vocab"),
            (sorted(t for t in vocab if t not in pretrained_vocab),
             "lists the missing tokens in alphabetical (code point) order: list them in order of their index in vocab"),
            ([t for t in sorted(vocab, key=vocab.get) if t in pretrained_vocab],
             "lists the tokens that were found: list those that are not in pretrained_vocab")]


def _step(p, copy_pretrained_rows, vocab, pretrained_vocab, pretrained, init, what: str) -> None:
    right_weight, right_missing = _right(vocab, pretrained_vocab, pretrained, init)
    out = p.call(copy_pretrained_rows, dict(vocab), dict(pretrained_vocab), pretrained.clone(), init.clone(),
                 what=f"copy_pretrained_rows({what})")
    p.expect(type(out) is tuple and len(out) == 2, "copy_pretrained_rows should return a tuple (weight, missing)")
    weight, missing = pair(out)
    p.expect(shape_of(weight), f"copy_pretrained_rows gave a weight of shape {{got}} ({what}); it should be "
                               f"(len(vocab), d) = {shape_of(right_weight)}")
    slips = [(wrong, f"copy_pretrained_rows {why} ({what})")
             for wrong, why in _weight_slips(vocab, pretrained_vocab, pretrained, init)
             if float((wrong - right_weight).abs().max()) > 1e-4]
    name_the_mistakes(p, float64(weight), slips)
    p.expect(weight, f"copy_pretrained_rows gave a wrong weight ({what}): row vocab[t] is "
                     "pretrained[pretrained_vocab[t]] for a token t both know, and init's row vocab[t] otherwise",
             check_dtype=False)
    for wrong, why in _missing_slips(vocab, pretrained_vocab):
        if wrong != right_missing:
            p.expect(same_plain(missing, wrong), f"copy_pretrained_rows {why} ({what})")
    p.expect(missing, f"copy_pretrained_rows gave a wrong list of missing tokens ({what}): the tokens of vocab "
                      "that pretrained_vocab does not have, as a list, in order of their index in vocab")


def _rows(n: int, d: int, seed: int, dtype=torch.float32) -> torch.Tensor:
    return torch.randn(n, d, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


@check
def copy_pretrained_rows_basic(p, copy_pretrained_rows):
    """copy_pretrained_rows: pretrained rows for known tokens, init rows for the others."""
    _step(p, copy_pretrained_rows, {"好": 0, "书": 1, "赞": 2}, {"书": 0, "好": 1},
          torch.tensor([[1.0, 1.0], [2.0, 2.0]]), torch.zeros(3, 2), "the notebook's example")
    vocab = {"[PAD]": 0, "[UNK]": 1, "很": 2, "好": 3, "差": 4, "赞": 5, "坑": 6}
    pretrained_vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[MASK]": 3, "的": 4, "好": 5, "很": 6, "差": 7}
    _step(p, copy_pretrained_rows, vocab, pretrained_vocab, _rows(8, 3, seed=50), _rows(7, 3, seed=51),
          "7 review tokens, 8 pretrained ones, 5 shared")


@check
def copy_pretrained_rows_missing(p, copy_pretrained_rows):
    """copy_pretrained_rows lists the missing tokens in order of their index in vocab."""
    # Keys inserted out of index order: the dict's order is not the rows' order.
    vocab = {"坑": 4, "赞": 1, "好": 0, "棒": 3, "差": 2}
    _step(p, copy_pretrained_rows, vocab, {"好": 1, "差": 0}, _rows(2, 2, seed=52), _rows(5, 2, seed=53),
          "a vocab whose keys are not in index order")
    _step(p, copy_pretrained_rows, {"a": 0, "b": 1}, {"a": 0, "b": 1, "c": 2}, _rows(3, 2, seed=54),
          _rows(2, 2, seed=55), "every token known")


@check
def copy_pretrained_rows_dtype(p, copy_pretrained_rows):
    """copy_pretrained_rows returns init's dtype (float64 pretrained rows copied into float32)."""
    for pretrained_dtype, init_dtype in ((torch.float64, torch.float32), (torch.float32, torch.float64)):
        names = [str(d).removeprefix("torch.") for d in (pretrained_dtype, init_dtype)]
        what = f"{names[0]} pretrained rows, a {names[1]} init"
        out = p.call(copy_pretrained_rows, {"a": 0, "b": 1}, {"b": 0}, _rows(1, 2, seed=56, dtype=pretrained_dtype),
                     _rows(2, 2, seed=57, dtype=init_dtype), what=f"copy_pretrained_rows({what})")
        weight, _ = pair(out)
        p.expect(dtype_of(weight), f"copy_pretrained_rows returned a {{got}} weight for {what}; it should have "
                                   f"init's dtype, {names[1]}")


@check
def copy_pretrained_rows_new_tensor(p, copy_pretrained_rows):
    """copy_pretrained_rows returns a new tensor that needs no gradient, and modifies neither input."""
    pretrained = _rows(3, 2, seed=58).requires_grad_()
    init = torch.nn.Parameter(_rows(3, 2, seed=59))  # an nn.Embedding's weight, as the notebook passes
    out = p.call(copy_pretrained_rows, {"x": 0, "y": 1, "z": 2}, {"y": 0, "q": 1}, pretrained, init,
                 what="copy_pretrained_rows(pretrained rows and an init that need a gradient)")
    weight, _ = pair(out)
    p.expect(weight is not init and weight is not pretrained,
             "copy_pretrained_rows returned the init (or pretrained) tensor it was given: return a new tensor "
             "(init.detach().clone())")
    p.expect(requires_grad_of(weight) is False,
             "copy_pretrained_rows returned a weight that needs a gradient or carries init's or pretrained's "
             "gradient history: start from init.detach().clone() (and copy pretrained.detach() rows)")
    p.expect(init.detach(), "copy_pretrained_rows changed the init tensor it was given (rows written into it in "
                            "place): copy init first (init.detach().clone()) and write into the copy",
             check_dtype=False)
    p.expect(pretrained.detach(), "copy_pretrained_rows changed the pretrained tensor it was given: it only reads "
                                  "from it", check_dtype=False)


@check
def copy_pretrained_rows_errors(p, copy_pretrained_rows):
    """copy_pretrained_rows raises ValueError for different d or an init with the wrong number of rows."""
    p.raises(ValueError, copy_pretrained_rows, {"a": 0, "b": 1}, {"a": 0}, _rows(1, 3, seed=60), _rows(2, 2, seed=61),
             what="copy_pretrained_rows(pretrained rows of d = 3, init rows of d = 2)",
             message="copy_pretrained_rows with pretrained rows of d = 3 and init rows of d = 2 should raise "
                     "ValueError (a row cannot be copied into a row of another length), but raised {got}")
    p.raises(ValueError, copy_pretrained_rows, {"a": 0, "b": 1, "c": 2}, {"a": 0}, _rows(1, 2, seed=62),
             _rows(2, 2, seed=63), what="copy_pretrained_rows(a vocab of 3 tokens, an init of 2 rows)",
             message="copy_pretrained_rows with a vocab of 3 tokens and an init of 2 rows should raise ValueError "
                     "(init has one row per token of vocab), but raised {got}")
