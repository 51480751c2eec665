"""Quiz: practice checking by salted hash, graded answers recorded as a notebook line."""
from __future__ import annotations

import hashlib
import re

import pytest

from widgets import Quiz, hash_answer
from widgets._quiz_model import QuizModel

OPTIONS = ["(V, d)", "(d, V)", "(V,)"]


def test_hash_answer_is_salted_sha256():
    key = hash_answer("b", salt="s1")
    assert key == "sha256:s1:" + hashlib.sha256(b"s1:b").hexdigest()
    assert hash_answer("b", salt="s2") != key
    assert hash_answer("b").split(":")[1] != hash_answer("b").split(":")[1]   # random salts
    with pytest.raises(ValueError):
        hash_answer("b", salt="a:b")


def test_practice_model_checks_against_the_hash_only():
    model = QuizModel("?", OPTIONS, practice_key=hash_answer("b", salt="x"))
    assert [model.is_correct(letter) for letter in "abc"] == [False, True, False]
    assert "b" not in vars(model).values()                     # only the salted digest is kept
    assert model._salt_digest == ("x", hashlib.sha256(b"x:b").hexdigest())
    with pytest.raises(ValueError, match="records no answer"):
        model.answer_line("b")


def test_graded_model_knows_no_answer_and_gives_the_line():
    model = QuizModel("?", OPTIONS, name="quiz_weight_shape")
    assert model.answer_line("c") == 'quiz_weight_shape = "c"'
    with pytest.raises(ValueError, match="does not know"):
        model.is_correct("a")
    with pytest.raises(ValueError, match="not one of"):
        model.answer_line("z")
    assert model.recorded_status({}) == ("missing", None)
    assert model.recorded_status({"quiz_weight_shape": "a"}) == ("valid", "a")
    assert model.recorded_status({"quiz_weight_shape": 1}) == ("invalid", "1")
    assert model.recorded_status({"quiz_weight_shape": " C "}) == ("valid", "c")
    assert model.recorded_status({"quiz_weight_shape": "d"}) == ("invalid", "'d'")


@pytest.mark.parametrize("kwargs, match", [
    ({}, "exactly one"),
    ({"name": "q", "practice_key": hash_answer("a")}, "exactly one"),
    ({"name": "not a name"}, "variable name"),
    ({"name": "class"}, "variable name"),
    ({"practice_key": "b"}, "hash_answer"),
])
def test_bad_quiz_definitions_are_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        QuizModel("?", OPTIONS, **kwargs)


def test_options_as_dict_and_too_few_options():
    assert QuizModel("?", {"x": "one", "y": "two"}, name="q").options == {"x": "one", "y": "two"}
    with pytest.raises(ValueError, match="two options"):
        QuizModel("?", ["only"], name="q")


def test_practice_quiz_gives_immediate_feedback():
    quiz = Quiz("Shape of W?", OPTIONS, practice_key=hash_answer("a", salt="k"))
    assert quiz.feedback_view.value == ""
    quiz.choice_buttons.value = "b"
    assert 'data-correct="false"' in quiz.feedback_view.value
    quiz.choice_buttons.value = "a"
    assert 'data-correct="true"' in quiz.feedback_view.value
    assert quiz.recorded_view.value == ""


def test_graded_quiz_shows_the_line_to_write():
    quiz = Quiz("Shape of W?", OPTIONS, name="quiz_weight_shape", namespace={})
    assert quiz.choice_buttons.value is None
    assert 'data-status="missing"' in quiz.recorded_view.value
    quiz.choice_buttons.value = "b"
    line = re.search(r'data-line="([^"]*)"', quiz.feedback_view.value).group(1)
    assert line == "quiz_weight_shape = &quot;b&quot;"
    assert "data-correct" not in quiz.feedback_view.value


def test_graded_quiz_preselects_the_recorded_answer_and_warns_on_a_different_choice():
    namespace = {"quiz_weight_shape": "c"}
    quiz = Quiz("Shape of W?", OPTIONS, name="quiz_weight_shape", namespace=namespace)
    assert quiz.choice_buttons.value == "c"
    assert 'data-status="valid"' in quiz.recorded_view.value and "but you chose" not in quiz.recorded_view.value
    quiz.choice_buttons.value = "a"
    assert "but you chose" in quiz.recorded_view.value
    namespace["quiz_weight_shape"] = "a"          # the student runs the corrected answer cell
    quiz.choice_buttons.value = "b"
    quiz.choice_buttons.value = "a"
    assert 'Recorded answer: "a".' in quiz.recorded_view.value


def test_graded_quiz_flags_an_answer_that_is_not_a_letter():
    quiz = Quiz("?", OPTIONS, name="quiz_weight_shape", namespace={"quiz_weight_shape": "(V, d)"})
    assert quiz.choice_buttons.value is None
    assert 'data-status="invalid"' in quiz.recorded_view.value


def test_question_renders_bold_and_code_but_never_raw_html():
    quiz = Quiz("What is **not** in `W`? <script>x</script>", OPTIONS, name="q", namespace={})
    html = quiz.question_view.value
    assert "<b>not</b>" in html and "<code>W</code>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_graded_quiz_drawn_before_its_answer_cell_shows_the_answer_once_recorded():
    namespace: dict = {}
    quiz = Quiz("?", OPTIONS, name="quiz_weight_shape", namespace=namespace)
    assert 'data-status="missing"' in quiz.recorded_view.value
    namespace["quiz_weight_shape"] = " B"         # the answer cell below runs
    quiz.refresh_recorded()
    assert 'data-status="valid"' in quiz.recorded_view.value and quiz.choice_buttons.value == "b"
    quiz.choice_buttons.value = "c"               # a choice is never overridden by a later refresh
    namespace["quiz_weight_shape"] = "a"
    quiz.refresh_recorded()
    assert quiz.choice_buttons.value == "c" and 'Recorded answer: "a", but you chose "c"' in quiz.recorded_view.value


def test_quiz_plain_text_is_short_and_never_the_key():
    graded = Quiz("Shape of **W**?", OPTIONS, name="quiz_weight_shape", namespace={})
    text = graded._repr_mimebundle_()["text/plain"]
    assert text == repr(graded) == ('Quiz: Shape of **W**?\n  a) (V, d)\n  b) (d, V)\n  c) (V,)\n'
                                    '  Graded: the answer is the line quiz_weight_shape = "<letter>" in its answer cell.')
    practice = Quiz("?", OPTIONS, practice_key=hash_answer("b", salt="x"))
    assert "sha256" not in repr(practice) and "Practice question" in repr(practice)
