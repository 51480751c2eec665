"""The Projector: its pure model against a5's reference, and its view driven by setting `.value`."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch

import autograder.reference.a5_pretrained as ref
from widgets import Projector, WordMap
from widgets._projector_model import PRESETS, ProjectorModel, parse_words, pca_2d, unit_rows

WORDS = ["cat", "dog", "fish", "bird", "car", "boat", "plane", "train", "tiger"]
ROWS = np.array([[1.0, 0.1, 0.0], [0.9, 0.3, 0.1], [0.5, 0.0, 0.9], [0.7, 0.6, 0.2], [-1.0, 0.2, 0.1],
                 [0.0, -0.2, 1.0], [-0.4, 0.9, 0.3], [-0.9, 0.1, 0.5], [2.0, 0.2, 0.0]])


def small_model() -> ProjectorModel:
    return ProjectorModel(WORDS, ROWS)


def attrs(html: str, name: str) -> list[str]:
    return re.findall(rf'{name}="([^"]*)"', html)


def map_words(view: Projector) -> list[str]:
    return attrs(view.map_view.value, "data-word")


# --- model --------------------------------------------------------------------

def test_parse_words_splits_lowercases_and_drops_duplicates():
    assert parse_words(" King, queen;;KING\tman \n") == ["king", "queen", "man"]
    assert parse_words("") == []


def test_unit_rows_keeps_zero_rows_zero():
    unit = unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert unit.dtype == np.float32 and unit.tolist() == [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]


def test_model_agrees_with_the_a5_reference():
    model = small_model()
    vocab = {w: i for i, w in enumerate(WORDS)}
    vectors = torch.tensor(ROWS, dtype=torch.float32)
    for word in ("cat", "boat", "tiger"):
        got, want = model.neighbours(word, 4), ref.nearest(word, vocab, vectors, 4)
        assert [w for w, _ in got] == [w for w, _ in want]
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
    assert [w for w, _ in model.analogy("cat", "dog", "car", 3)] == \
           [w for w, _ in ref.analogy("cat", "dog", "car", vocab, vectors, 3)]
    assert np.allclose(model.axis_scores(["fish", "plane"], ["car"], ["cat", "dog"]),
                       ref.direction_scores(["fish", "plane"], ["car"], ["cat", "dog"], vocab, vectors), atol=1e-6)
    words = ["cat", "dog", "car", "boat", "plane"]
    got = model.project(words)
    want = ref.project_2d(torch.tensor(unit_rows(ROWS[[WORDS.index(w) for w in words]]))).numpy()
    for j in range(2):  # the same columns up to sign
        assert min(abs(got[:, j] - want[:, j]).max(), abs(got[:, j] + want[:, j]).max()) < 1e-5


def test_ties_go_to_the_smaller_row_and_the_word_is_never_listed():
    model = ProjectorModel(["a", "b", "c", "d"], np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [3.0, 0.0]]))
    assert [w for w, _ in model.neighbours("b", 3)] == ["a", "d", "c"]
    assert [w for w, _ in model.neighbours("b", 10)] == ["a", "d", "c"]


def test_pca_2d_fixes_signs_and_handles_two_words():
    coords = pca_2d(np.array([[0.0, 0.0], [1.0, 0.0]]))
    assert coords.shape == (2, 2) and coords[np.argmax(abs(coords[:, 0])), 0] > 0
    assert np.allclose(coords[:, 1], 0.0)
    with pytest.raises(ValueError, match="at least 2 words"):
        pca_2d(np.ones((1, 3)))


def test_model_errors_are_worded():
    model = small_model()
    with pytest.raises(KeyError, match="not among the 9 words served"):
        model.neighbours("horse")
    with pytest.raises(ValueError, match="k must be"):
        model.neighbours("cat", 0)
    with pytest.raises(ValueError, match="at least one word"):
        model.axis([], ["cat"])
    with pytest.raises(ValueError, match="duplicates"):
        ProjectorModel(["a", "a"], np.ones((2, 2)))


# --- view ---------------------------------------------------------------------

def test_typing_words_redraws_the_map_and_names_unknown_words():
    view = Projector(small_model(), words="cat dog car")
    view.show_neighbours.value = False
    assert map_words(view) == ["cat", "dog", "car"]
    view.words_text.value = "boat, PLANE horse train"
    assert map_words(view) == ["boat", "plane", "train"]
    assert "horse" in view.note_view.value and "9 words served" in view.note_view.value
    assert view.word_buttons.options == ("boat", "plane", "train") and view.word_buttons.value == "boat"


def test_clicking_a_word_lists_and_draws_its_neighbours():
    view = Projector(small_model(), words="cat car boat", k=2)
    view.word_buttons.value = "car"
    table = view.neighbours_view.value
    assert attrs(table, "data-word") == [w for w, _ in small_model().neighbours("car", 2)]
    assert re.search(r'data-word="car"[^>]*data-selected="1"', view.map_view.value)
    extra = [w for w in attrs(table, "data-word") if w not in ("cat", "car", "boat")]
    assert map_words(view) == ["cat", "car", "boat", *extra]
    view.show_neighbours.value = False
    assert map_words(view) == ["cat", "car", "boat"]
    view.k_slider.value = 4
    assert len(attrs(view.neighbours_view.value, "data-word")) == 4


def test_map_coordinates_are_the_pca_of_the_words_shown():
    view = Projector(small_model(), words="cat dog fish car boat")
    view.show_neighbours.value = False
    xs = [float(v) for v in attrs(view.map_view.value, "data-x")]
    ys = [float(v) for v in attrs(view.map_view.value, "data-y")]
    assert np.allclose(np.c_[xs, ys], small_model().project(["cat", "dog", "fish", "car", "boat"]), atol=1e-4)


def test_a_preset_fills_the_words_box():
    model = ProjectorModel(parse_words(PRESETS["royalty and gender"]), np.random.default_rng(0).normal(size=(10, 5)))
    view = Projector(model, words="king queen")
    view.preset_dropdown.value = "royalty and gender"
    assert view.words_text.value == PRESETS["royalty and gender"]
    assert len(map_words(view)) >= 10
    view.words_text.value = "king queen boy"  # typing over a preset: the dropdown says so
    assert view.preset_dropdown.value == "(your own words)" and map_words(view)[:3] == ["king", "queen", "boy"]


def test_analogy_box_answers_and_explains_unknown_words():
    view = Projector(small_model(), words="cat dog")
    view.analogy_a.value, view.analogy_b.value, view.analogy_c.value = "cat", "dog", "car"
    assert attrs(view.analogy_view.value, "data-word") == [w for w, _ in small_model().analogy("cat", "dog", "car", 5)]
    view.analogy_c.value = "horse"
    assert "horse" in view.analogy_view.value and "el-analogy\"" not in view.analogy_view.value
    view.analogy_c.value = ""
    assert "one word in each box" in view.analogy_view.value


def test_axis_view_scores_the_words_shown():
    view = Projector(small_model(), words="fish plane tiger")
    view.axis_negative.value, view.axis_positive.value = "car", "cat dog"
    scores = dict(zip(attrs(view.axis_view.value, "data-word"), map(float, attrs(view.axis_view.value, "data-score"))))
    want = small_model().axis_scores(["fish", "plane", "tiger"], ["car"], ["cat", "dog"])
    assert scores == pytest.approx(dict(zip(["fish", "plane", "tiger"], want)), abs=1e-5)
    view.axis_positive.value = ""
    assert "at least one word" in view.axis_view.value


def test_fewer_than_two_words_asks_for_more():
    view = Projector(small_model(), words="cat")
    view.show_neighbours.value = False
    assert "at least two words" in view.map_view.value
    view.words_text.value = "horse"
    assert view.word_buttons.value is None and view.neighbours_view.value == ""


def test_word_map_draws_given_coordinates_and_checks_their_shape():
    wm = WordMap(["a", "b"], torch.tensor([[0.0, 1.0], [2.0, -1.0]]))
    assert attrs(wm.map_view.value, "data-word") == ["a", "b"]
    with pytest.raises(ValueError, match=r"shape \(3, 2\)"):
        WordMap(["a", "b", "c"], np.zeros((2, 2)))


def test_default_projector_serves_the_most_frequent_glove_words():
    view = Projector()
    assert len(view.model.words) == 50_000 and view.model.words[:3] == ["the", ",", "."]
    assert view.model.unit.dtype == np.float32 and view.model.unit.shape == (50_000, 50)
    assert attrs(view.analogy_view.value, "data-word")[0] == "queen"
    view.word_buttons.value = "beijing"
    assert attrs(view.neighbours_view.value, "data-word")[:4] == ["china", "taiwan", "seoul", "taipei"]


def test_a_notebook_can_hand_over_the_vectors_it_holds():
    vocab = {w: i for i, w in enumerate(WORDS)}
    view = Projector(vocab=dict(reversed(list(vocab.items()))), vectors=torch.tensor(ROWS), words="cat dog car")
    assert view.model.words == WORDS
    assert view.model.neighbours("cat", 3) == small_model().neighbours("cat", 3)


def test_a_static_word_map_offers_no_clicked_word_in_its_legend():
    # Nothing can be clicked on a WordMap (a5 draws its own project_2d with it): its legend
    # names the words only; the Projector's names the clicked word's neighbours too.
    static = WordMap(["a", "b", "c"], np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])).map_view.value
    assert "clicked" not in static
    assert "neighbours of the clicked word" in Projector(small_model(), words="fish plane tiger").map_view.value


def test_the_axis_scores_only_the_words_typed_and_says_so():
    view = Projector(small_model(), words="fish plane tiger")
    view.word_buttons.value = "fish"  # its neighbours join the map, in grey, unscored
    view.axis_negative.value, view.axis_positive.value = "car", "cat dog"
    assert len(map_words(view)) > 3
    assert set(attrs(view.axis_view.value, "data-word")) == {"fish", "plane", "tiger"}
    assert "the words you typed or picked" in view.children[-3].value  # the heading above the two lists
