"""Every view's text/plain output (feedback HTML, formgrader, nbconvert) is a short summary."""
from __future__ import annotations

import numpy as np

from widgets import CosineExplorer, LookupExplorer, NeighbourTable, TrainingView


def plain(widget) -> str:
    text = widget._repr_mimebundle_()["text/plain"]
    assert text == repr(widget) and "children=" not in text and "<" not in text
    return text


def test_each_view_says_what_it_shows_in_one_or_two_lines():
    assert plain(CosineExplorer()) == ("CosineExplorer: a at 20° with length 1.00, b at 70° with length 1.50: "
                                       "cosine 0.643, angle 50.0°")
    explorer = LookupExplorer("北京欢迎你", dim=3)
    explorer.index_slider.value = 3
    assert plain(explorer) == ("LookupExplorer: 5 tokens of '北京欢迎你', W of shape (5, 3); token index 3 (迎) "
                               "selects row 3 of W, computed by lookup")
    weight = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    assert plain(NeighbourTable(["猫", "狗", "车"], weight, k=2)) == \
        "NeighbourTable: the 2 nearest tokens to 猫 by cosine: 狗 0.994, 车 0.000"
    snapshots = [(0, np.eye(3)), (50, np.array([[1.0, 0.0, 0.0], [1.0, 0.1, 0.0], [0.0, 0.0, 1.0]]))]
    assert plain(TrainingView(snapshots, "忐忑x")).splitlines() == [
        "TrainingView: 2 snapshots (steps 0..50) of 3 token vectors of dimension 3, projected to 2-D",
        "  cos(忐, 忑) = 0.000 at step 0, 0.995 at step 50"]
