"""The dashboard notebooks: committed clean, thin, lean, and their data up to date."""
from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest

from autograder.dashboards import all_dashboards
from autograder.dashboards._catalog import widgets_dashboards_dir
from autograder.dashboards._voila_server import prepare_served_dir
from autograder.dashboards.class_report_view import COURSE_DIR_ENV, DB_URL_ENV
from autograder.dashboards.make_data import DATA_FILE, build

DATA = widgets_dashboards_dir() / "data" / DATA_FILE


@pytest.mark.parametrize("dashboard", all_dashboards(), ids=lambda d: d.slug)
def test_notebook_is_committed_clean(dashboard):
    nb = json.loads(dashboard.source.read_text(encoding="utf-8"))
    assert set(nb["metadata"]) == {"kernelspec"}
    for cell in nb["cells"]:
        assert cell["metadata"] == {}
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("dashboard", all_dashboards(), ids=lambda d: d.slug)
def test_notebook_cells_only_import_load_and_construct(dashboard):
    """No logic in dashboard cells: no loops, functions, classes or conditionals."""
    import ast

    nb = nbformat.read(dashboard.source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.For, ast.While, ast.If, ast.FunctionDef, ast.ClassDef,
                                         ast.Lambda, ast.ListComp, ast.DictComp)), \
                f"{dashboard.slug}: logic in a dashboard cell: {ast.unparse(node)[:60]}"


def test_shipped_data_tells_the_story_the_dashboards_tell():
    data = json.loads(DATA.read_text(encoding="utf-8"))

    def cosines(items, matrix, item):
        matrix = np.array(matrix)
        unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
        return dict(zip(items, (unit @ unit[items.index(item)]).tolist()))

    def ranked(items, matrix, item):
        values = cosines(items, matrix, item)
        return sorted((w for w in items if w != item), key=lambda w: -values[w]), values

    words, tokens, sentences = data["words"], data["tokens"], data["sentences"]
    # Training and similarity dashboards: input vectors, "its nearest word is 讨厌".
    nearest, like = ranked(words, data["context_input"]["word_vectors"], "喜欢")
    assert nearest[0] == "讨厌" and like["讨厌"] - like[nearest[1]] >= 0.05
    # "in input + output the words it is written with come first".
    nearest, _ = ranked(words, data["context"]["word_vectors"], "喜欢")
    assert set(nearest[:3]) <= {"猫", "狗", "下雨", "这本书", "这首歌", "看电影", "喝茶"}
    # "after sentiment training 讨厌 is at the very bottom" (a tie with the other negative words).
    nearest, like = ranked(words, data["sentiment"]["word_vectors"], "喜欢")
    assert like["讨厌"] < -0.9 and like["讨厌"] <= like[nearest[-1]] + 0.01
    # Similarity dashboard: "忐's nearest neighbour is 忑 ..., and 喜's is 欢".
    final = data["context"]["snapshots"][-1][1]
    assert ranked(tokens, final, "忐")[0][0] == "忑" and ranked(tokens, final, "喜")[0][0] == "欢"
    # "我讨厌猫 is still at 0.85 from 我喜欢猫"; sentence neighbours swap one substitute.
    nearest, like = ranked(sentences, data["context_input"]["sentence_vectors"], "我喜欢猫")
    assert f"{like['我讨厌猫']:.2f}" == "0.85"
    assert set(nearest[:2]) == {"他喜欢猫", "我喜欢狗"}
    # Training dashboard: the highlighted pairs, from their start to the end of the run.
    for run, (a, b), start_below, end_above in (("context_input", ("猫", "狗"), 0.5, 0.9),
                                                ("context", ("忐", "忑"), 0.6, 0.95)):
        first, last = (cosines(tokens, data[run]["snapshots"][i][1], a)[b] for i in (0, -1))
        assert first < start_below and last > end_above, (run, first, last)
    # "their input vectors stay apart (about 0.7)".
    assert 0.6 <= cosines(tokens, data["context_input"]["snapshots"][-1][1], "忐")["忑"] <= 0.8
    assert cosines(tokens, data["sentiment"]["snapshots"][-1][1], "喜")["讨"] < -0.9
    assert "我喜欢猫" in sentences                     # the similarity dashboard starts there


@pytest.mark.slow
def test_shipped_data_is_what_make_data_produces():
    """Regenerating (two seeded trainings, a few seconds) gives the committed numbers."""
    committed = json.loads(DATA.read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(build()))
    assert fresh.keys() == committed.keys()
    for key in ("tokens", "words", "sentences"):
        assert fresh[key] == committed[key]
    for run in ("context_input", "context", "sentiment"):
        assert [s for s, _ in fresh[run]["snapshots"]] == [s for s, _ in committed[run]["snapshots"]]
        for part in ("word_vectors", "sentence_vectors"):
            np.testing.assert_allclose(fresh[run][part], committed[run][part], atol=1e-4)
        np.testing.assert_allclose([m for _, m in fresh[run]["snapshots"]],
                                   [m for _, m in committed[run]["snapshots"]], atol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("dashboard", all_dashboards(), ids=lambda d: d.slug)
def test_dashboard_runs_in_a_kernel_and_loads_torch_only_if_it_uses_it(dashboard, course, tmp_path,
                                                                       monkeypatch):
    from nbclient import NotebookClient

    course_dir, db_url = course
    monkeypatch.setenv(COURSE_DIR_ENV, str(course_dir))
    monkeypatch.setenv(DB_URL_ENV, db_url)
    served = tmp_path / "served"
    prepare_served_dir([dashboard], served)
    nb = nbformat.read(served / dashboard.filename, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print('torch' in sys.modules)"))
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(served)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum(o.output_type == "display_data" or o.output_type == "execute_result"
               for o in outputs) >= 1                   # a widget was displayed
    # None uses torch: even the lookup explorer runs on numpy (issue 6, at most 100 MB a kernel).
    assert outputs[-1].text.strip() == "False"
