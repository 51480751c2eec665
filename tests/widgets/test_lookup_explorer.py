"""LookupExplorer: set a control's value as a user would and check what is shown."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

from widgets import LookupExplorer


def values(html: str) -> list[float]:
    return json.loads(re.search(r'data-values="([^"]*)"', html).group(1).replace("&quot;", '"'))


def test_moving_the_index_updates_highlight_one_hot_and_result_but_not_the_matrix():
    explorer = LookupExplorer("北京欢迎你", dim=3, seed=0)
    matrix_before = explorer.matrix_view.value
    explorer.index_slider.value = 2
    assert 'data-row="2"' in explorer.highlight_view.value
    assert "tr[data-row='2']" in explorer.highlight_view.value   # the CSS that colours row 2
    assert 'data-token="欢"' in explorer.highlight_view.value
    assert values(explorer.one_hot_view.value) == [0, 0, 1, 0, 0]
    expected = explorer.model.weight[2].tolist()
    assert values(explorer.result_view.value) == pytest.approx(expected, abs=1e-6)
    assert explorer.matrix_view.value is matrix_before


def test_highlight_css_is_scoped_to_its_own_instance():
    first, second = LookupExplorer(), LookupExplorer()
    scope = next(c for c in first._dom_classes if c.startswith("el-lookup-"))
    assert scope not in second._dom_classes
    assert f".{scope} " in first.highlight_view.value
    assert f".{scope} " not in second.highlight_view.value


@pytest.mark.parametrize("mode", ["one-hot @ W", "Linear(bias=False)", "lookup"])
def test_every_mode_shows_the_same_vector(mode):
    explorer = LookupExplorer(dim=4)
    explorer.index_slider.value = 3
    explorer.mode_toggle.value = mode
    html = explorer.result_view.value
    assert f'data-mode="{mode}"' in html and 'data-agree="true"' in html
    assert values(html) == pytest.approx(explorer.model.weight[3].tolist(), abs=1e-6)


def test_matrix_shows_every_row_with_token_labels():
    explorer = LookupExplorer("北京欢迎你", dim=2)
    html = explorer.matrix_view.value
    assert 'data-shape="5,2"' in html
    rows = re.findall(r'<tr class="el-row" data-row="(\d)" data-token="(.)">', html)
    assert rows == [(str(i), t) for i, t in enumerate("北京欢迎你")]
    assert html.count("<td ") == 10


def test_new_sentence_rebuilds_vocabulary_and_clamps_the_slider():
    explorer = LookupExplorer("北京欢迎你")
    explorer.index_slider.value = 4
    explorer.sentence_box.value = "你好 你好"
    assert explorer.index_slider.max == 1 and explorer.index_slider.value == 1
    assert 'data-size="2"' in explorer.vocab_view.value
    assert 'data-shape="2,3"' in explorer.matrix_view.value
    assert 'data-row="1"' in explorer.highlight_view.value
    assert values(explorer.one_hot_view.value) == [0, 1]


def test_empty_sentence_shows_an_error_and_loses_nothing():
    explorer = LookupExplorer("北京欢迎你")
    explorer.index_slider.value = 3
    shown = [explorer.matrix_view.value, explorer.result_view.value, explorer.vocab_view.value]
    explorer.sentence_box.value = "  "
    assert "no tokens" in explorer.message_view.value
    assert [explorer.matrix_view.value, explorer.result_view.value,
            explorer.vocab_view.value] == shown
    explorer.sentence_box.value = "你好"                   # a good sentence clears the message
    assert explorer.message_view.value == ""


def test_dimension_slider_redraws_the_matrix():
    explorer = LookupExplorer(dim=3)
    explorer.dim_slider.value = 16
    assert 'data-shape="5,16"' in explorer.matrix_view.value
    assert len(values(explorer.result_view.value)) == 16


def test_students_embedding_is_shown_and_contradicting_controls_are_disabled():
    embedding = torch.nn.Embedding(5, 4)
    explorer = LookupExplorer("北京欢迎你", embedding=embedding)
    assert explorer.sentence_box.disabled and explorer.dim_slider.disabled
    assert explorer.dim_slider.value == 4
    explorer.index_slider.value = 1
    assert values(explorer.result_view.value) == pytest.approx(
        embedding.weight[1].tolist(), abs=1e-6)


def test_numpy_weight_is_shown():
    weight = np.arange(6, dtype=np.float64).reshape(3, 2)
    explorer = LookupExplorer("abc", embedding=weight)
    explorer.index_slider.value = 2
    assert values(explorer.result_view.value) == [4.0, 5.0]
    assert 'data-shape="3,2"' in explorer.matrix_view.value


def test_each_mode_says_how_it_is_computed():
    """The Linear mode runs in numpy: the view must say what it computes, not pose as torch."""
    explorer = LookupExplorer()
    assert len(explorer.mode_toggle.tooltips) == len(explorer.mode_toggle.options)
    explorer.mode_toggle.value = "Linear(bias=False)"
    how = re.search(r'class="el-result-how">computed as ([^<]*)<', explorer.result_view.value).group(1)
    assert "L = W.T" in how and "nn.Linear(V, d, bias=False)" in how and "numpy" in how
    assert how == explorer.mode_toggle.tooltips[2]


def test_explorer_without_embedding_never_imports_torch():
    """Issue 6: the lookup dashboard kernel must not pay ~190 MB for torch it does not use."""
    script = textwrap.dedent("""
        import json, sys
        import numpy as np
        import widgets
        explorer = widgets.LookupExplorer(sentence="北京欢迎你", dim=4, seed=0)
        explorer.index_slider.value = 3
        for mode in explorer.mode_toggle.options:
            explorer.mode_toggle.value = mode
        explorer.dim_slider.value = 6
        explorer.sentence_box.value = "你好 世界"
        given = widgets.LookupExplorer("ab", embedding=np.eye(2))    # a numpy weight too
        print(json.dumps({"torch": "torch" in sys.modules,
                          "shape": explorer.matrix_view.value.count("<td "),
                          "agree": 'data-agree="true"' in explorer.result_view.value,
                          "given": given.model.weight.tolist()}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # The explorer really ran (4 tokens x 6 columns, modes agreeing) and torch stayed out.
    assert report == {"torch": False, "shape": 24, "agree": True, "given": [[1.0, 0.0], [0.0, 1.0]]}


def test_wrong_sized_embedding_is_a_clear_error():
    with pytest.raises(ValueError, match="6 rows but the sentence"):
        LookupExplorer("北京欢迎你", embedding=torch.zeros(6, 2))


def test_tokens_are_escaped_in_html():
    explorer = LookupExplorer("<a&")
    assert "&lt;" in explorer.matrix_view.value and "<a" not in explorer.vocab_view.value


def test_bfloat16_embedding_is_rendered():
    explorer = LookupExplorer("ab", embedding=torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.bfloat16))
    explorer.index_slider.value = 1
    assert values(explorer.result_view.value) == [3.0, 4.0]
    assert "4.00" in explorer.matrix_view.value


def test_index_change_sends_nothing_for_the_matrix(monkeypatch):
    """The speed design at the wire: only the small views are re-sent to the browser."""
    import comm

    sent: list[tuple[str, dict]] = []

    class RecordingComm(comm.DummyComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            if data and data.get("method") == "update":
                sent.append((self.comm_id, data["state"]))

    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    explorer = LookupExplorer("".join(chr(0x4E00 + i) for i in range(50)), dim=16)
    sent.clear()
    explorer.index_slider.value = 7
    updated = {comm_id for comm_id, _ in sent}
    assert explorer.matrix_view.comm.comm_id not in updated
    assert explorer.vocab_view.comm.comm_id not in updated
    assert {explorer.highlight_view.comm.comm_id, explorer.one_hot_view.comm.comm_id,
            explorer.result_view.comm.comm_id} <= updated
    assert sum(len(str(state)) for _, state in sent) < len(explorer.matrix_view.value) / 4


def test_the_weight_has_a_colour_legend_matching_its_cells():
    from widgets._html import heat
    from widgets._lookup_view import render_matrix

    weight = np.array([[-2.0, 1.0], [0.5, 0.0]])
    html_text = render_matrix("s", ["a", "b"], weight)
    assert 'class="el-heat-legend"' in html_text and "blue below 0, red above" in html_text
    # The legend's ends are the colours of the largest values shown, -2 and +2.
    assert f"background:{heat(-2.0, 2.0)}" in html_text.split("el-heat-legend")[1]
    assert f"background:{heat(2.0, 2.0)}" in html_text.split("el-heat-legend")[1]
