"""The dashboard server's log stays readable: no warning repeated for every kernel or visit."""
from __future__ import annotations

import urllib.request

import pytest

from autograder.dashboards._browser import DashboardServer
from autograder.dashboards._server import voila_config

pytestmark = [pytest.mark.slow]


def test_kernels_get_curve_keys(tmp_path):
    config = voila_config(tmp_path, [], port=8866)
    assert config.KernelManager.transport_encryption == "auto"


def test_only_tornados_websocket_ping_warning_is_left_out():
    import logging

    from autograder.dashboards._server import _drop_websocket_ping_warning

    def record(msg):
        return logging.LogRecord("tornado.general", logging.WARNING, __file__, 1, msg, None, None)

    assert not _drop_websocket_ping_warning(record(
        "The websocket_ping_timeout (90000) cannot be longer than the websocket_ping_interval (30000).\n"
        "Setting websocket_ping_timeout=30000"))
    assert _drop_websocket_ping_warning(record("WebSocket ping timeout after 91000 ms."))


def test_preheated_kernels_and_visits_log_no_routine_warnings(tmp_path, course):
    course_dir, db_url = course
    server = DashboardServer(tmp_path, course_dir=course_dir, db_url=db_url, pool_size=1)
    try:
        server.wait_until_up()
        server.wait_for_pools(["lookup.ipynb"])
        with urllib.request.urlopen(f"{server.url}voila/render/lookup.ipynb", timeout=60) as page:
            assert page.status == 200
        log = server.log()
    finally:
        server.stop()
    assert "Kernel pool of lookup.ipynb is filled" in log  # kernels did start, and their stderr is here
    assert "without encryption" not in log, log   # ipykernel's warning for plain-text TCP
    assert "is not trusted" not in log, log
