"""TrainingProjection against an independent PCA, and TrainingView driven by its slider."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from widgets import TrainingView
from widgets._training_model import TrainingProjection
from widgets._training_view import render_step

TOKENS = ["忐", "忑", "喜", "欢", "讨", "厌"]


def merging_run(steps: int = 5) -> list[tuple[int, torch.Tensor]]:
    """Random vectors where 忑 moves linearly onto 忐 over the run."""
    generator = torch.Generator().manual_seed(0)
    start = torch.randn(6, 4, generator=generator)
    run = []
    for s in range(steps):
        weight = start.clone()
        t = s / (steps - 1)
        weight[1] = (1 - t) * start[1] + t * start[0]
        run.append((10 * s, weight))
    return run


def test_axes_match_an_eigendecomposition_of_the_stacked_covariance():
    run = merging_run()
    projection = TrainingProjection(run, TOKENS)
    stacked = np.concatenate([w.double().numpy() for _, w in run])
    centred = stacked - stacked.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred)
    top_two = eigenvectors[:, np.argsort(eigenvalues)[::-1][:2]].T
    assert np.abs(projection.axes @ top_two.T) == pytest.approx(np.eye(2), abs=1e-8)
    expected = (np.stack([w.double().numpy() for _, w in run]) - stacked.mean(axis=0)) @ projection.axes.T
    assert projection.points == pytest.approx(expected, abs=1e-10)


def test_signs_are_fixed_so_the_picture_is_reproducible():
    projection = TrainingProjection(merging_run(), TOKENS)
    for axis in projection.axes:
        assert axis[np.argmax(np.abs(axis))] > 0
    negated = TrainingProjection([(s, -w) for s, w in merging_run()], TOKENS)
    assert negated.points == pytest.approx(-projection.points, abs=1e-10)


def test_points_that_do_not_move_stay_put_across_steps():
    projection = TrainingProjection(merging_run(), TOKENS)
    unmoved = [0, 2, 3, 4, 5]
    for step in range(1, 5):
        assert projection.points[step, unmoved] == pytest.approx(projection.points[0, unmoved])


def test_cosine_is_measured_in_full_dimensions():
    run = merging_run()
    projection = TrainingProjection(run, TOKENS)
    expected = torch.nn.functional.cosine_similarity(run[0][1][0], run[0][1][1], dim=0).item()
    assert projection.cosine(0, 0, 1) == pytest.approx(expected, abs=1e-6)
    assert projection.cosine(4, 0, 1) == pytest.approx(1.0, abs=1e-9)


def test_input_formats_dict_string_and_one_dimension():
    run = merging_run()
    as_dict = TrainingProjection({s: w for s, w in reversed(run)}, {t: i for i, t in enumerate(TOKENS)})
    assert as_dict.steps == [0, 10, 20, 30, 40]
    assert as_dict.points == pytest.approx(TrainingProjection(run, "".join(TOKENS)).points)
    thin = TrainingProjection([(0, np.array([[1.0], [2.0]])), (1, np.array([[3.0], [5.0]]))], ["a", "b"])
    assert thin.points[:, :, 1] == pytest.approx(np.zeros((2, 2)))


def test_highlight_default_skips_missing_tokens_but_explicit_ones_must_exist():
    weight = np.eye(3)
    assert TrainingProjection([(0, weight)], ["a", "b", "c"]).highlight == []
    assert TrainingProjection([(0, weight)], ["a", "b", "c"], highlight=("c",)).highlight == [2]
    with pytest.raises(KeyError, match="x"):
        TrainingProjection([(0, weight)], ["a", "b", "c"], highlight=("a", "x"))


@pytest.mark.parametrize("snapshots, error", [
    ([], ValueError),
    ([(0, np.zeros((3, 2))), (1, np.zeros((4, 2)))], ValueError),
    ([(0, np.full((3, 2), np.nan))], ValueError),
    ([np.zeros((3, 2))], TypeError),
    ([(0, np.zeros(3))], ValueError),
])
def test_bad_snapshots_are_clear_errors(snapshots, error):
    with pytest.raises(error):
        TrainingProjection(snapshots, ["a", "b", "c"])


def test_wrong_number_of_tokens_is_a_clear_error():
    with pytest.raises(ValueError, match="2 tokens for snapshots with 3 rows"):
        TrainingProjection([(0, np.eye(3))], ["a", "b"])


def point(html: str, token: str) -> tuple[float, float]:
    match = re.search(rf'data-token="{token}" data-x="([^"]*)" data-y="([^"]*)"', html)
    return float(match.group(1)), float(match.group(2))


def test_step_slider_redraws_plot_and_readout():
    view = TrainingView(merging_run(), TOKENS)
    assert 'data-step="0"' in view.plot_view.value
    first_gap = np.subtract(point(view.plot_view.value, "忐"), point(view.plot_view.value, "忑"))
    view.step_slider.value = 4
    html = view.plot_view.value
    assert 'data-step="40"' in html and 'data-step="40"' in view.readout_view.value
    assert point(html, "忐") == pytest.approx(point(html, "忑"), abs=1e-4)
    assert np.linalg.norm(first_gap) > 0.1
    assert float(re.search(r'data-cosine="([^"]*)"', view.readout_view.value).group(1)) == \
        pytest.approx(1.0, abs=1e-6)
    assert html.count('data-highlight="true"') == 2
    dim = view.projection.weights.shape[2]
    assert f"in all {dim} dimensions" in view.readout_view.value  # the number, not a letter


def test_play_button_is_linked_to_the_slider_and_spans_all_snapshots():
    view = TrainingView(merging_run(3), TOKENS)
    assert (view.play.min, view.play.max) == (0, 2) == (view.step_slider.min, view.step_slider.max)
    assert view._link.source == (view.play, "value") and view._link.target == (view.step_slider, "value")


def test_revisiting_a_step_reuses_the_cached_drawing():
    view = TrainingView(merging_run(), TOKENS)
    view.step_slider.value = 3
    drawn = view.plot_view.value
    view.step_slider.value = 0
    view.step_slider.value = 3
    assert view.plot_view.value is drawn


def _label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    boxes = []
    for x, y, size, token in re.findall(r'<text x="([-\d.]+)" y="([-\d.]+)" font-size="(\d+)"[^>]*>([^<]+)</text>', svg):
        x, y, size = float(x), float(y), float(size)
        boxes.append((x, y - size, x + size * len(token), y))
    return boxes


def test_labels_never_overlap_and_highlighted_ones_are_always_shown():
    generator = np.random.default_rng(0)
    tokens = [chr(0x4E00 + i) for i in range(40)] + ["忐", "忑"]
    start = generator.normal(size=(42, 4)) * 0.01
    start[40:] = start[40] + 1e-4                      # 忐 and 忑 start on top of each other
    end = generator.normal(size=(42, 4)) * 3
    svg = render_step(TrainingProjection([(0, start), (10, end)], tokens), 0)
    boxes = _label_boxes(svg)
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert not overlapping
    assert re.search(r'data-token="忐"[^>]*data-labelled="true"', svg)
    assert re.search(r'data-token="忑"[^>]*data-labelled="true"', svg)


def test_optional_labels_cover_no_other_point_and_every_label_has_a_halo():
    # A label over someone else's dot reads as that dot's name: optional labels are left
    # out (the point keeps its hover title) rather than drawn there.
    generator = np.random.default_rng(2)
    tokens = [chr(0x4E00 + i) for i in range(60)]
    svg = render_step(TrainingProjection([(0, generator.normal(size=(60, 4)))], tokens, highlight=()), 0)
    dots = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)"', svg)]
    labels = re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)"[^>]*/><text x="([-\d.]+)" y="([-\d.]+)" '
                        r'font-size="(\d+)"[^>]*>([^<]+)</text>', svg)
    assert 10 < len(labels) < 60                       # crowded: some labels are left out
    for cx, cy, x, y, size, token in labels:
        left, top, right, bottom = float(x), float(y) - float(size), float(x) + float(size) * len(token), float(y) + 2
        covered = [(dx, dy) for dx, dy in dots if (dx, dy) != (float(cx), float(cy))
                   and left < dx + 3 and dx - 3 < right and top < dy + 3 and dy - 3 < bottom]
        assert not covered, (token, covered)
    assert svg.count("<text") == svg.count('paint-order="stroke"')


def test_the_readout_fits_the_width_of_its_plot():
    # Two views side by side (the dashboard's context and sentiment runs) must not run together.
    view = TrainingView(merging_run(), TOKENS)
    readout = view.readout_view.value
    assert "max-width: 420px" in readout and "<br>cos(" in readout
    assert all(len(re.sub(r"<[^>]+>", "", line)) <= 420 / 8 for line in readout.split("<br>"))  # 8 px per monospace character at 13 px


def test_a_small_first_step_is_zoomed_to_fit_and_says_so():
    generator = np.random.default_rng(1)
    projection = TrainingProjection([(0, generator.normal(size=(6, 3)) * 0.01),
                                     (10, generator.normal(size=(6, 3)) * 3)], list("abcdef"), highlight=())
    first, last = render_step(projection, 0), render_step(projection, 1)
    assert float(re.search(r'data-zoom="([\d.]+)"', first).group(1)) > 50 and "(zoomed ×" in first
    assert "(zoomed" not in last
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', first)]
    assert max(xs) - min(xs) > 200                     # spread over the plot, not a blob
