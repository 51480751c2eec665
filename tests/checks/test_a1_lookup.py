"""a1_lookup: the checks' particular messages, and the reference against independent
computations. What every assignment's checks must do is in ``test_checks_contract.py``."""
from __future__ import annotations

import torch

import autograder.reference.a1_lookup as ref
from autograder.examples.variants import namespace_with, variant_source
from test_checks_contract import failed_checks

A = "a1_lookup"


def test_failure_messages_say_what_is_wrong_without_expected_values():
    messages = failed_checks(A, namespace_with(A, "one_hot", "wrong_int64"))
    assert messages == {"one_hot_dtype": "one_hot returned int64; the instructions ask for float32"}
    messages = failed_checks(A, namespace_with(A, "lookup", "wrong_detached"))
    assert "cut off from weight" in messages["lookup_gradient"]
    messages = failed_checks(A, namespace_with(A, "build_vocab", "wrong_sorted"))
    assert "order" not in messages["build_vocab_basic"] or "0, 1, 2" in messages["build_vocab_basic"]
    assert "{" not in messages["build_vocab_basic"]  # no dict literal of the expected mapping


def _with(function: str, fn) -> dict:
    return {**vars(ref), function: fn}


def test_the_float64_hint_is_only_added_to_a_dtype_error():
    def shape_error_on_float64(weight, indices):
        if weight.dtype == torch.float64:
            raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (2x4 and 5x4)")
        return ref.lookup_via_one_hot(weight, indices)

    message = failed_checks(A, _with("lookup_via_one_hot", shape_error_on_float64))["lookup_via_one_hot_dtype"]
    assert message.endswith("raised RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x4 and 5x4)")

    def scalar_type_error(weight, indices):
        if weight.dtype == torch.float64:
            raise RuntimeError("expected scalar type Float but found Double")
        return ref.lookup_via_one_hot(weight, indices)

    message = failed_checks(A, _with("lookup_via_one_hot", scalar_type_error))["lookup_via_one_hot_dtype"]
    assert "cast the one-hot matrix with .to(weight.dtype) first" in message


def test_the_off_by_one_wording_is_only_for_an_off_by_one():
    # A one_hot with no upper check at all is told about 9, not about `>` for `>=`.
    for variant, index in (("wrong_no_upper_check", "[0, 9, 1]"), ("wrong_no_checks", "[-1]"),
                           ("wrong_off_by_one_range", "[5]")):
        message = failed_checks(A, namespace_with(A, "one_hot", variant))["one_hot_index_range"]
        assert message.startswith(f"one_hot({index}, 5)"), (variant, message)
        assert ("not only > vocab_size" in message) == (variant == "wrong_off_by_one_range"), variant


def test_a_numbering_mistake_is_not_reported_as_a_whitespace_mistake():
    for variant in ("wrong_sorted", "wrong_one_based", "wrong_position_as_index"):
        assert set(failed_checks(A, namespace_with(A, "build_vocab", variant))) == {"build_vocab_basic"}, variant


class _Rigged(dict):
    def __eq__(self, other):
        return True

    __hash__ = dict.__hash__


def test_the_new_helpers_never_ask_a_student_object_anything():
    # Every a1 check, with each function returning an object that claims equality: the check
    # fails (it is not fooled) and the probe does not crash on it.
    class Liar:
        shape = (0,)
        dtype = torch.int64

        def __eq__(self, other):
            return True

        def __len__(self):
            return 0

        __hash__ = object.__hash__

    for function in ("build_vocab", "encode", "one_hot", "lookup", "lookup_via_one_hot"):
        for fake in (Liar(), _Rigged(), torch.zeros(0).as_subclass(type("T", (torch.Tensor,), {}))):
            failed = failed_checks(A, _with(function, lambda *args, fake=fake: fake))
            assert f"{function}_basic" in failed, (function, fake)


# The reference against independent computations (micrograd style).

def test_reference_matches_nn_embedding_and_autograd():
    torch.manual_seed(0)
    embedding = torch.nn.Embedding(5, 3)
    idx = [1, 3, 1, 0]
    assert torch.equal(ref.lookup(embedding.weight, idx), embedding(torch.tensor(idx)))
    assert torch.allclose(ref.lookup_via_one_hot(embedding.weight, idx), embedding(torch.tensor(idx)))
    weight = embedding.weight.detach().clone().requires_grad_()
    ref.lookup(weight, idx).sum().backward()
    counts = torch.bincount(torch.tensor(idx), minlength=5).float()
    assert torch.equal(weight.grad, counts[:, None].expand(5, 3))


def test_reference_one_hot_matches_functional_and_article():
    assert ref.one_hot([1], 5).tolist() == [[0.0, 1.0, 0.0, 0.0, 0.0]]
    idx = torch.tensor([4, 0, 2, 2])
    assert torch.equal(ref.one_hot(idx, 6), torch.nn.functional.one_hot(idx, 6).float())
    assert ref.build_vocab("北京欢迎你") == {"北": 0, "京": 1, "欢": 2, "迎": 3, "你": 4}
    assert ref.encode("北京欢迎你", ref.build_vocab("北京欢迎你")).tolist() == [0, 1, 2, 3, 4]


def test_an_error_raised_inside_the_students_own_helper_names_the_helper():
    # A right lookup_via_one_hot that calls the student's one_hot, which refuses int32 indices:
    # the error is one_hot's, and a hint about the product's shapes and order would be untrue.
    namespace = namespace_with(A, "one_hot", "wrong_int32_unsupported")
    exec(compile(variant_source(A, "lookup_via_one_hot", "correct_uses_one_hot"), "<cell>", "exec"), namespace)
    messages = failed_checks(A, namespace)
    own = {name for name in messages if name.startswith("lookup_via_one_hot")}
    assert own, messages
    for name in own:
        assert "inside your one_hot, which lookup_via_one_hot calls" in messages[name], messages[name]
        assert "if one_hot's own test cells fail too, fix one_hot first" in messages[name]
    # one_hot's own cells still say what is wrong with one_hot, as before
    assert "int64 indices worked but int32 ones did not" in messages["one_hot_dtype"]
