"""ClozeExplorer: its numpy model (see tests/assignments/test_a6_pretraining_code.py for the
comparison with torch) and its view, driven by setting `.value` as a user would."""
from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from widgets import ClozeExplorer, Projector
from widgets._cloze_model import ClozeModel
from widgets._cloze_view import EXAMPLES


def attrs(html: str, name: str) -> list[str]:
    return re.findall(rf'{name}="([^"]*)"', html)


@pytest.fixture(scope="module")
def model() -> ClozeModel:
    return ClozeModel.load()


def test_fill_gives_k_probabilities_per_blank_from_characters_only(model):
    tokens, blanks = model.fill("[MASK]华人民共和[MASK]", k=4)
    assert tokens[0] == "[MASK]" and len(tokens) == 7 and [b.position for b in blanks] == [0, 6]
    for blank in blanks:
        probabilities = [p for _, p in blank.predictions]
        assert len(probabilities) == 4 and probabilities == sorted(probabilities, reverse=True)
        assert all(t not in ("[PAD]", "[UNK]", "[CLS]", "[MASK]") for t, _ in blank.predictions)
        assert 0 < sum(probabilities) <= 1 + 1e-6
        assert blank.attention.shape == (7,) and 0 < blank.attention.sum() <= 1 + 1e-6


def test_fill_errors(model):
    with pytest.raises(ValueError, match="at most 127"):
        model.fill("好" * 128 + "[MASK]")
    with pytest.raises(ValueError, match="k must be"):
        model.fill("[MASK]", k=0)


def test_a_dashboard_kernel_never_imports_torch():
    code = ("import sys; from widgets import ClozeExplorer, Projector; c = ClozeExplorer(); "
            "p = Projector(dataset='chinese'); print('torch' in sys.modules, len(c.blanks))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "1"]


def test_typing_a_sentence_fills_its_blanks(model):
    view = ClozeExplorer("中华人民共和[MASK]", k=3)
    expected = [t for t, _ in model.fill("中华人民共和[MASK]", k=3)[1][0].predictions]
    assert attrs(view.predictions_view.value, "data-token") == expected
    view.sentence_box.value = "[MASK][MASK]是法国的首都。"
    assert re.findall(r'el-cloze-prediction" data-blank="(\d)"', view.predictions_view.value) == ["0"] * 3 + ["1"] * 3
    assert view.example_dropdown.value == "[MASK][MASK]是法国的首都。"  # it is one of the examples
    assert view.blank_buttons.options == ("blank [1]", "blank [2]")
    tokens = attrs(view.sentence_view.value, "data-token")
    assert tokens == ["[MASK]", "[MASK]", "是", "法", "国", "的", "首", "都", "。"]


def test_the_shading_follows_the_chosen_blank(model):
    view = ClozeExplorer("[MASK][MASK]是法国的首都。")
    _, blanks = model.fill("[MASK][MASK]是法国的首都。")
    shown = [float(v) for v in attrs(view.sentence_view.value, "data-attention")]
    assert np.allclose(shown, blanks[0].attention, atol=1e-6)
    view.blank_buttons.value = "blank [2]"
    shown = [float(v) for v in attrs(view.sentence_view.value, "data-attention")]
    assert np.allclose(shown, blanks[1].attention, atol=1e-6)
    assert "blank [2] attends" in view.sentence_view.value


def test_k_slider_and_examples(model):
    view = ClozeExplorer()
    view.k_slider.value = 8
    assert len(attrs(view.predictions_view.value, "data-rank")) == 8
    view.example_dropdown.value = EXAMPLES[3]
    assert view.sentence_box.value == EXAMPLES[3]
    view.sentence_box.value = "我们[MASK]"  # typed: no longer an example
    assert view.example_dropdown.value == "(your own sentence)"


def test_messages_say_what_is_wrong():
    view = ClozeExplorer()
    view.sentence_box.value = "没有空格"
    assert "Write [MASK]" in view.message_view.value and view.predictions_view.value.count("el-cloze-prediction\"") == 0
    view.sentence_box.value = "𠀀[MASK]"
    assert "read as [UNK]" in view.message_view.value and "𠀀" in view.message_view.value
    view.sentence_box.value = "好" * 130 + "[MASK]"
    assert "at most 127" in view.message_view.value
    view.sentence_box.value = "中华人民共和[MASK]"
    assert view.message_view.value.count("</div>") == 1 and ">" + "</div>" in view.message_view.value
    assert "ClozeExplorer: '中华人民共和[MASK]': [1]" in view.plain_text()


# --- the Projector's Chinese data set -----------------------------------------------------

def test_the_projector_serves_the_encoders_characters_and_words_made_of_them(model):
    view = Projector(dataset="chinese")
    characters, table = model.character_vectors()
    assert view.model.words == characters and view.model.unit.shape == table.shape
    assert view.word_buttons.value == "北京"
    neighbours = attrs(view.neighbours_view.value, "data-word")
    assert len(neighbours) == 8 and all(len(w) == 1 and w in model.vocab for w in neighbours)
    assert "北" not in neighbours and "京" not in neighbours
    # 北京 is the mean of its characters' unit rows
    unit = view.model.unit
    mean = unit[view.model.index["北"]] + unit[view.model.index["京"]]
    scores = unit @ (mean / np.linalg.norm(mean))
    scores[[view.model.index["北"], view.model.index["京"]]] = -np.inf
    assert characters[int(np.argmax(scores))] == neighbours[0]


def test_switching_data_sets_changes_the_vectors_presets_and_boxes():
    view = Projector(dataset="chinese")
    assert view.analogy_a.value == "上" and "喜欢" in " ".join(view.preset_dropdown.options)
    view.words_text.value = "北京 上海 abc"
    assert "abc" in view.note_view.value and "characters served" in view.note_view.value
    view.dataset_dropdown.value = "glove"
    assert len(view.model.words) == 50_000 and view.analogy_a.value == "man"
    assert view.word_buttons.value == "beijing"
    view.dataset_dropdown.value = "chinese"
    assert view.word_buttons.value == "北京" and view.axis_negative.value == "国"
