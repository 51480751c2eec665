"""Serve the dashboards with Voila: a served folder, a landing page, preheated kernels.

Voila serves one folder; the dashboards come from two packages (see
``_catalog``), so the server copies the notebooks into a private temporary
folder and serves that (which also keeps Voila from preheating, or listing,
any other notebook). Preheated kernels: Voila keeps ``pool_size`` kernels per
dashboard that have already run the notebook, so a visit only has to connect
the page to one (Voila's ``preheat_kernel`` / ``default_pool_size``).
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Unicode
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ._catalog import Dashboard
from ._landing import landing_page
from .class_report_view import COURSE_DIR_ENV, DB_URL_ENV

DEFAULT_PORT = 8866
# Our Voila template (lab, without its CDN stylesheets), found through JUPYTER_PATH.
JUPYTER_DATA_DIR = Path(__file__).resolve().parent / "jupyter"
TEMPLATE = "embedding-lab"
FRONTEND_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager",
                       # Voila's widget manager (it keeps the one matching ipywidgets).
                       "@voila-dashboards/widgets-manager7", "@voila-dashboards/widgets-manager8")


class LandingHandler(web.RequestHandler):
    """``GET /``: the landing page."""

    def initialize(self, page: str) -> None:
        self.page = page

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(self.page)


class NoDelayKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket, sending each message as soon as it is written.

    A slider move makes the kernel answer with a burst of small messages (status,
    echo, the updated HTML). With Nagle's algorithm on (tornado's default) the
    second one waits for the browser's delayed ACK, about 40 ms on Linux, which
    measured as a 50 ms median slider-to-page latency; with TCP_NODELAY, ~10 ms.
    """

    async def open(self, kernel_id):  # noqa: D102 - same contract as the parent
        self.set_nodelay(True)
        return await super().open(kernel_id)


class XsrfCookieVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, also setting the ``_xsrf`` cookie.

    When a tab closes, the page posts the cookie's token to shut its kernel down;
    Voila 0.5 never sets that cookie, so the request is refused (403) and the
    kernel lives on (voila-dashboards/voila#1458). Tornado sets the cookie the
    first time a handler reads ``xsrf_token``.
    """

    async def get(self, path=None):
        self.xsrf_token  # noqa: B018 - read for its side effect: the Set-Cookie header
        return await super().get(path)


_REPLACED_HANDLERS = {VoilaKernelWebsocketHandler: NoDelayKernelWebsocketHandler,
                      TornadoVoilaHandler: XsrfCookieVoilaHandler}


class DashboardServer(Voila):
    """Voila serving a folder of dashboards, with our landing page at the root."""

    landing_html = Unicode("", help="HTML of the landing page").tag(config=True)

    def init_handlers(self) -> list:
        landing = (url_path_join(self.server_url, r"/?"), LandingHandler, {"page": self.landing_html})
        handlers = [(pattern, _REPLACED_HANDLERS.get(handler, handler), *rest)
                    for pattern, handler, *rest in super().init_handlers()]
        return [landing, *handlers]


def prepare_served_dir(dashboards: Sequence[Dashboard], served_dir: Path) -> list[Path]:
    """Copy each dashboard's notebook into ``served_dir`` as ``<slug>.ipynb``.

    A ``data/`` folder next to a notebook is copied too: notebooks open their data
    by the relative path ``data/...``, which works both in place and when served.
    """
    missing = [str(d.source) for d in dashboards if not d.source.is_file()]
    if missing:
        raise FileNotFoundError(f"dashboard notebook(s) missing: {', '.join(missing)}")
    served_dir.mkdir(parents=True, exist_ok=True)
    for data_dir in sorted({d.source.parent / "data" for d in dashboards}):
        if data_dir.is_dir():
            shutil.copytree(data_dir, served_dir / "data", dirs_exist_ok=True)
    return [Path(shutil.copyfile(d.source, served_dir / d.filename)) for d in dashboards]


def voila_config(served_dir: Path, dashboards: Sequence[Dashboard], *, port: int | None = None,
                 ip: str = "localhost", open_browser: bool = True, pool_size: int = 1,
                 show_tracebacks: bool = False, base_url: str = "/") -> Config:
    """The whole Voila configuration, in one place (see the module docstring)."""
    if pool_size < 0:
        raise ValueError(f"pool_size is a number of kernels, 0 or more; got {pool_size}")
    c = Config()
    c.Voila.root_dir = str(served_dir)
    c.Voila.ip = ip
    c.Voila.port = port if port is not None else DEFAULT_PORT
    # An explicit port must be that port (tests and shared links rely on it).
    c.Voila.port_retries = 0 if port is not None else 50
    c.Voila.open_browser = open_browser
    c.Voila.base_url = base_url
    c.Voila.landing_html = landing_page(dashboards, base_url)
    c.VoilaConfiguration.preheat_kernel = pool_size > 0
    c.VoilaConfiguration.default_pool_size = pool_size
    c.VoilaConfiguration.show_tracebacks = show_tracebacks
    c.VoilaConfiguration.template = TEMPLATE
    # Load only the frontend extensions a dashboard uses: by default Voila loads every
    # installed JupyterLab extension (nbgrader's, Notebook 7's...) into every page.
    c.VoilaConfiguration.extension_allowlist = list(FRONTEND_EXTENSIONS)
    # Refill the pool right after a kernel is taken, so the next visitor is fast too.
    c.VoilaKernelManager.fill_delay = 0.0
    # A tab that closes shuts its kernel down (see XsrfCookieVoilaHandler), but a
    # browser that crashes or loses the network cannot: cull kernels no page is
    # connected to after 10 idle minutes. Preheated kernels are never culled.
    c.MappingKernelManager.cull_idle_timeout = 600
    c.MappingKernelManager.cull_interval = 60
    c.MappingKernelManager.cull_connected = False
    # Kernels talk to the server over CurveZMQ-encrypted TCP, with keys the kernel manager
    # makes for each kernel (ipykernel's kernelspec declares support): no plain-text
    # traffic, and no "Kernel is running over TCP without encryption" warning per kernel.
    c.KernelManager.transport_encryption = "auto"
    return c


def use_our_template() -> None:
    """Let Voila find ``TEMPLATE``: jupyter_core looks up data directories in ``JUPYTER_PATH``."""
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(JUPYTER_DATA_DIR) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(JUPYTER_DATA_DIR), *paths])


def _drop_untrusted_notebook_warnings(record: logging.LogRecord) -> bool:
    """Leave out "Notebook X is not trusted", logged on every visit.

    Trust only decides whether a notebook's *stored* outputs (HTML, JavaScript) are
    shown; the served notebooks are our own copies, committed without outputs.
    """
    return record.msg != "Notebook %s is not trusted"


def _drop_websocket_ping_warning(record: logging.LogRecord) -> bool:
    """Leave out tornado's "The websocket_ping_timeout (90000) cannot be longer than the
    websocket_ping_interval (30000)", logged at the first kernel websocket.

    jupyter_server's websockets ping every 30,000 ms and drop a client silent for 90,000 ms
    (its own timer, in milliseconds); tornado 6.5 reads the same two numbers as seconds for its
    own pings, which it then never sends, and warns. Nothing changes either way: the timeout has
    to stay longer than the interval for jupyter_server's check to work (jupyter_server#1612).
    """
    return not str(record.msg).startswith("The websocket_ping_timeout (")


def serve(dashboards: Sequence[Dashboard], *, course_dir: Path, db_url: str | None = None,
          **config) -> int:
    """Run the server until interrupted (Ctrl-C or SIGTERM); kernels are shut down on exit."""
    from .class_report_view import default_db_url

    # Kernels (preheated ones included) inherit this process's environment.
    os.environ[COURSE_DIR_ENV] = str(Path(course_dir).resolve())
    os.environ[DB_URL_ENV] = db_url or default_db_url(course_dir)
    use_our_template()
    with tempfile.TemporaryDirectory(prefix="embedding-lab-dashboards-") as tmp:
        served_dir = Path(tmp)
        prepare_served_dir(dashboards, served_dir)
        app = DashboardServer(config=voila_config(served_dir, dashboards, **config))
        app.initialize([])
        app.log.addFilter(_drop_untrusted_notebook_warnings)
        logging.getLogger("tornado.general").addFilter(_drop_websocket_ping_warning)
        app.start()  # blocks; Voila stops its kernels when it returns
    return 0
