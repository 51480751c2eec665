"""The dashboard notebooks: committed clean, thin, lean, and their data up to date."""
from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest

from autograder.dashboards import all_dashboards
from autograder.dashboards._catalog import widgets_dashboards_dir
from autograder.dashboards._server import prepare_served_dir
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

    def cos(run, a, b):
        vectors = np.array(data[run]["word_vectors"])
        u, v = vectors[data["words"].index(a)], vectors[data["words"].index(b)]
        return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))

    assert cos("context", "喜欢", "讨厌") > 0.9          # same slots: neighbours
    nearest = sorted((w for w in data["words"] if w != "喜欢"), key=lambda w: -cos("context", "喜欢", w))
    assert "讨厌" in nearest[:5]                        # "among the five words nearest to 喜欢"
    assert cos("sentiment", "喜欢", "讨厌") < -0.5       # opposite labels: opposites
    others = [w for w in data["words"] if w != "喜欢"]
    assert min(others, key=lambda w: cos("sentiment", "喜欢", w)) == "讨厌"   # "the farthest"
    tokens = data["tokens"]
    final = np.array(data["context"]["snapshots"][-1][1])
    unit = final / np.linalg.norm(final, axis=1, keepdims=True)
    cosines = unit @ unit[tokens.index("忐")]
    cosines[tokens.index("忐")] = -2
    assert tokens[int(np.argmax(cosines))] == "忑"       # "忐's nearest neighbour is 忑"
    first = np.array(data["context"]["snapshots"][0][1])
    start = first[tokens.index("忐")] @ first[tokens.index("忑")] / np.linalg.norm(first[[tokens.index("忐")]]) \
        / np.linalg.norm(first[[tokens.index("忑")]])
    assert start < 0.5 and cosines[tokens.index("忑")] > 0.95  # "start far apart ... end up pointing the same way"
    assert "我喜欢猫" in data["sentences"]              # the similarity dashboard starts there


@pytest.mark.slow
def test_shipped_data_is_what_make_data_produces():
    """Regenerating (two seeded trainings, a few seconds) gives the committed numbers."""
    committed = json.loads(DATA.read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(build()))
    assert fresh.keys() == committed.keys()
    for key in ("tokens", "words", "sentences"):
        assert fresh[key] == committed[key]
    for run in ("context", "sentiment"):
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
