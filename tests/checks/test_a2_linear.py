"""a2_linear: the checks' particular messages, and the reference against independent
computations. What every assignment's checks must do is in ``test_checks_contract.py``."""
from __future__ import annotations

import pytest
import torch
from torch import nn

import autograder.reference.a2_linear as ref
from support.variants import namespace_with
from test_checks_contract import failed_checks

A = "a2_linear"


def test_failure_messages_name_the_misconception():
    messages = failed_checks(A, namespace_with(A, "embedding_to_linear", "wrong_shared_view"))
    assert "own copy" in messages["embedding_to_linear_independent"]
    messages = failed_checks(A, namespace_with(A, "linear_to_embedding", "wrong_removes_bias"))
    assert "removed or changed that layer's bias" in messages["linear_to_embedding_bias_error"]
    messages = failed_checks(A, namespace_with(A, "embedding_weight_grad", "wrong_overwrite_repeated"))
    assert "only one of index 2's three upstream rows" in messages["embedding_weight_grad_repeated"]
    messages = failed_checks(A, namespace_with(A, "embedding_weight_grad", "wrong_float64_numpy"))
    assert messages["embedding_weight_grad_dtype"].startswith("embedding_weight_grad returned float64")


def with_function(name: str, function) -> dict:
    return {**vars(ref), name: function}


# A cell judges its own rule; these mistakes, which no variant module holds, show it still does.

def test_index_types_cell_compares_tensor_indices_with_a_list():
    def wrong_for_int32(indices, upstream, vocab_size):
        grad = ref.embedding_weight_grad(indices, upstream, vocab_size)
        return grad * 0 if isinstance(indices, torch.Tensor) and indices.dtype == torch.int32 else grad

    def empty_gives_ones(indices, upstream, vocab_size):
        return ref.embedding_weight_grad(indices, upstream, vocab_size) + (len(indices) == 0)

    def clears_indices(indices, upstream, vocab_size):
        grad = ref.embedding_weight_grad(indices, upstream, vocab_size)
        if isinstance(indices, torch.Tensor):
            indices.zero_()
        return grad

    for function, message in [
            (wrong_for_int32, "embedding_weight_grad gave a different result for an int32 tensor [3, 1] than for "
                              "the list [3, 1]"),
            (empty_gives_ones, "embedding_weight_grad([], upstream of shape (0, 3), 5) is not all zeros"),
            (clears_indices, "embedding_weight_grad modified the indices it was given")]:
        messages = failed_checks(A, with_function("embedding_weight_grad", function))
        assert set(messages) == {"embedding_weight_grad_index_types"}, messages
        assert messages["embedding_weight_grad_index_types"].startswith(message)


def test_repeated_cell_names_the_mistake_in_either_layout():
    def transposed_overwrite(indices, upstream, vocab_size):
        grad = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype)
        grad[torch.as_tensor(indices, dtype=torch.long)] = upstream
        return grad.T

    messages = failed_checks(A, with_function("embedding_weight_grad", transposed_overwrite))
    assert set(messages) == {"embedding_weight_grad_basic", "embedding_weight_grad_repeated"}
    assert "only one of index 2's three upstream rows" in messages["embedding_weight_grad_repeated"]


@pytest.mark.parametrize("direction", ["embedding_to_linear", "linear_to_embedding"])
def test_dtype_cell_judges_float64_values_in_the_float32_layout(direction):
    def float64_untransposed(layer):
        made = getattr(ref, direction)(layer)
        if layer.weight.dtype == torch.float64:
            made.weight = nn.Parameter(layer.weight.detach().clone())
        return made

    def float64_zeros(layer):
        made = getattr(ref, direction)(layer)
        if layer.weight.dtype == torch.float64:
            with torch.no_grad():
                made.weight.zero_()
        return made

    for function in (float64_untransposed, float64_zeros):
        messages = failed_checks(A, with_function(direction, function))
        assert set(messages) == {f"{direction}_dtype"}, messages
        assert "does not hold the" in messages[f"{direction}_dtype"] and "as it does for a float32 one" in messages[
            f"{direction}_dtype"]


# The reference against independent computations.

@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_reference_conversions_match_the_modules(dtype):
    torch.manual_seed(1)
    embedding = nn.Embedding(7, 4, dtype=dtype)
    linear = ref.embedding_to_linear(embedding)
    for idx in ([3], [0, 6, 6, 2], []):
        one_hot = torch.nn.functional.one_hot(torch.tensor(idx, dtype=torch.long), 7).to(dtype)
        assert torch.allclose(linear(one_hot), embedding(torch.tensor(idx, dtype=torch.long)))
    back = ref.linear_to_embedding(linear)
    assert torch.equal(back.weight, embedding.weight) and back.weight.dtype == dtype
    with pytest.raises(ValueError):
        ref.linear_to_embedding(nn.Linear(3, 2))


def test_reference_gradient_matches_autograd():
    generator = torch.Generator().manual_seed(3)
    indices = torch.randint(0, 9, (40,), generator=generator)
    upstream = torch.randn(40, 5, generator=generator)
    weight = torch.randn(9, 5, generator=generator, requires_grad=True)
    (upstream * nn.functional.embedding(indices, weight)).sum().backward()
    assert torch.allclose(ref.embedding_weight_grad(indices, upstream, 9), weight.grad, atol=1e-6)
