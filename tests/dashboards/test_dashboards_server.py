"""The dashboards command without a browser: catalog, landing page, served folder, Voila config."""
from __future__ import annotations

import re

import pytest
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from autograder.cli import build_parser
from autograder.dashboards import Dashboard, all_dashboards, landing_page
from autograder.dashboards._voila_server import (DashboardServer, NoDelayKernelWebsocketHandler,
                                           XsrfCookieVoilaHandler, prepare_served_dir, voila_config)


def test_six_dashboards_each_with_its_notebook():
    dashboards = all_dashboards()
    assert [d.slug for d in dashboards] == ["lookup", "similarity", "training", "projector", "cloze", "class_report"]
    assert all(d.source.is_file() for d in dashboards)
    # Student dashboards ship with widgets; the class report (grades) only with the instructor install.
    assert [d.instructor_only for d in dashboards] == [False, False, False, False, False, True]
    assert all(d.source.parent.name == "dashboards" for d in dashboards)


def test_landing_page_links_every_dashboard_below_the_base_url():
    page = landing_page(all_dashboards(), base_url="/course/voila")
    links = re.findall(r'<a href="([^"]+)">', page)
    assert links == [f"/course/voila/voila/render/{slug}.ipynb"
                     for slug in ("lookup", "similarity", "training", "projector", "cloze", "class_report")]
    assert page.count("instructor</span>") == 1


def test_served_folder_holds_the_notebooks_and_their_data(tmp_path):
    written = prepare_served_dir(all_dashboards(), tmp_path / "served")
    assert sorted(p.name for p in written) == ["class_report.ipynb", "cloze.ipynb", "lookup.ipynb", "projector.ipynb",
                                               "similarity.ipynb", "training.ipynb"]
    assert (tmp_path / "served" / "data" / "embeddings.json").is_file()
    assert sorted(p.name for p in (tmp_path / "served").glob("*.ipynb")) == sorted(p.name for p in written)


def test_a_missing_notebook_is_named(tmp_path):
    broken = [Dashboard("x", "X", "an absent notebook", tmp_path / "nope.ipynb")]
    with pytest.raises(FileNotFoundError, match="nope.ipynb"):
        prepare_served_dir(broken, tmp_path / "served")
    assert not (tmp_path / "served").exists()


def test_voila_config_preheats_and_pins_the_port(tmp_path):
    c = voila_config(tmp_path, all_dashboards(), port=9999, pool_size=2, open_browser=False)
    assert c.VoilaConfiguration.preheat_kernel is True and c.VoilaConfiguration.default_pool_size == 2
    assert c.Voila.port == 9999 and c.Voila.port_retries == 0 and c.Voila.open_browser is False
    assert c.Voila.root_dir == str(tmp_path)
    assert "@jupyter-widgets/jupyterlab-manager" in c.VoilaConfiguration.extension_allowlist
    cold = voila_config(tmp_path, all_dashboards(), pool_size=0)
    assert cold.VoilaConfiguration.preheat_kernel is False and cold.Voila.port_retries > 0
    with pytest.raises(ValueError, match="0 or more"):
        voila_config(tmp_path, all_dashboards(), pool_size=-1)


def test_server_routes_landing_page_and_nodelay_websocket(tmp_path):
    app = DashboardServer(config=voila_config(tmp_path, all_dashboards(), port=9999,
                                              open_browser=False, pool_size=0))
    app.initialize([])
    app.init_settings()
    handlers = app.init_handlers()
    assert handlers[0][0] == "/?"                      # our landing page wins over Voila's tree
    classes = [h[1] for h in handlers]
    assert NoDelayKernelWebsocketHandler in classes and XsrfCookieVoilaHandler in classes
    assert not {VoilaKernelWebsocketHandler, TornadoVoilaHandler} & set(classes)
    assert b"voila/render/lookup.ipynb" in handlers[0][2]["page"].encode()


@pytest.mark.parametrize("argv, message", [
    (["--port", "0"], "1..65535"), (["--port", "http"], "whole number"),
    (["--pool-size", "-1"], "0 or more"), (["--base-url", "services/x"], "starting with /")])
def test_cli_rejects_bad_arguments(argv, message, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["dashboards", *argv])
    assert message in capsys.readouterr().err


def test_cli_defaults():
    args = build_parser().parse_args(["dashboards", "--no-browser"])
    assert args.port is None and args.no_browser and args.pool_size == 1
    assert args.course_dir is None and args.db_url is None and not args.students_only
    assert args.base_url == "/"
    assert build_parser().parse_args(["dashboards", "--base-url", "/services/d"]).base_url == "/services/d/"


@pytest.mark.slow
def test_a_busy_port_is_a_clear_error(tmp_path):
    """An explicit --port is never silently replaced by another one."""
    import socket
    import subprocess
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "autograder", "dashboards", "--no-browser",
                               "--ip", "127.0.0.1", "--port", str(port), "--pool-size", "0"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "no available port could be found" in done.stdout + done.stderr


def test_students_only_serves_no_grades(tmp_path, monkeypatch):
    """--students-only (the server students can reach) neither links nor serves the class report."""
    from autograder.dashboards import _voila_server, served_dashboards

    served = []
    monkeypatch.setattr(_voila_server, "serve", lambda dashboards, **kwargs: served.append(dashboards) or 0)
    args = build_parser().parse_args(["dashboards", "--students-only", "--no-browser", "--ip", "0.0.0.0"])
    assert args.func(args) == 0
    (dashboards,) = served
    assert [d.slug for d in dashboards] == ["lookup", "similarity", "training", "projector", "cloze"] == \
        [d.slug for d in served_dashboards(students_only=True)]
    written = prepare_served_dir(dashboards, tmp_path / "served")
    assert "class_report.ipynb" not in {p.name for p in written}
    assert not list((tmp_path / "served").glob("class_report*"))
    assert "class_report" not in landing_page(dashboards)
    assert [d.slug for d in served_dashboards(students_only=False)][-1] == "class_report"


def test_without_a_gradebook_the_command_says_how_to_point_it_at_one(tmp_path, monkeypatch, capsys):
    """Started outside a course, `dashboards` warns at once and names --course-dir."""
    import autograder.dashboards._voila_server as server_module
    from autograder.cli import main

    served = {}
    monkeypatch.setattr(server_module, "serve", lambda dashboards, **kw: served.update(kw) or 0)
    monkeypatch.chdir(tmp_path)
    assert main(["dashboards", "--no-browser"]) == 0
    err = capsys.readouterr().err
    assert f"no gradebook at {tmp_path / 'gradebook.db'}" in err and "--course-dir DIR" in err
    assert served["course_dir"] == tmp_path and served["db_url"] == f"sqlite:///{tmp_path / 'gradebook.db'}"
