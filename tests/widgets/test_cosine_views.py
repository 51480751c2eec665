"""CosineExplorer and NeighbourTable: move controls, check what is shown."""
from __future__ import annotations

import math
import re

import pytest
import torch

from widgets import CosineExplorer, NeighbourTable


def attr(html: str, name: str) -> str:
    return re.search(rf'{name}="([^"]*)"', html).group(1)


def test_angle_slider_updates_drawing_and_readout():
    explorer = CosineExplorer(angle_a=0, length_a=1, angle_b=90, length_b=1)
    assert float(attr(explorer.readout_view.value, "data-cosine")) == pytest.approx(0.0, abs=1e-6)
    explorer.angle_b_slider.value = 60
    assert float(attr(explorer.readout_view.value, "data-cosine")) == pytest.approx(0.5, abs=1e-6)
    assert float(attr(explorer.readout_view.value, "data-angle")) == pytest.approx(60, abs=1e-4)
    bx, by = map(float, attr(explorer.drawing_view.value, "data-b").split(","))
    assert (bx, by) == pytest.approx((0.5, math.sqrt(3) / 2), abs=1e-4)


def test_length_changes_the_drawing_but_not_the_cosine():
    explorer = CosineExplorer(angle_a=10, angle_b=100)
    cosine = attr(explorer.readout_view.value, "data-cosine")
    drawing = explorer.drawing_view.value
    explorer.length_a_slider.value = 0.4
    assert attr(explorer.readout_view.value, "data-cosine") == cosine
    assert explorer.drawing_view.value != drawing


def test_zero_length_shows_cosine_zero_and_undefined_angle():
    explorer = CosineExplorer()
    explorer.length_b_slider.value = 0.0
    html = explorer.readout_view.value
    assert attr(html, "data-cosine") == "0.000000" and attr(html, "data-angle") == ""
    assert "undefined" in html


def ranked(html: str) -> list[str]:
    return re.findall(r'<tr class="el-neighbour" data-rank="\d+" data-token="([^"]*)"', html)


def test_neighbour_table_follows_token_and_k():
    weight = torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, 0.0]])
    table = NeighbourTable({"a": 0, "b": 1, "c": 2, "d": 3}, weight, token="a", k=2)
    assert ranked(table.table_view.value) == ["b", "c"]
    table.k_slider.value = 3
    assert ranked(table.table_view.value) == ["b", "c", "d"]
    table.token_dropdown.value = "c"
    assert ranked(table.table_view.value) == ["b", "a", "d"]
    assert 'data-token="c"' in table.table_view.value


def test_neighbour_table_caps_k_and_rejects_unknown_tokens():
    table = NeighbourTable(["a", "b", "c"], torch.eye(3), k=10)
    assert table.k_slider.value == 2 and len(ranked(table.table_view.value)) == 2
    with pytest.raises(KeyError):
        NeighbourTable(["a", "b"], torch.eye(2), token="x")
    with pytest.raises(ValueError):
        NeighbourTable(["a"], torch.eye(1))
