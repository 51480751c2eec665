"""The Voila dashboards: what each shows (``_catalog.py``), the landing page, the server.

``embedding-lab dashboards`` (``cli.py``) serves the landing page and the
dashboards with preheated kernels.
"""
from __future__ import annotations

from ._catalog import Dashboard, all_dashboards, served_dashboards
from ._landing import landing_page

DEFAULT_PORT = 8866
"""Where ``embedding-lab dashboards`` listens unless ``--port`` says otherwise (Voila's own default)."""

__all__ = ["DEFAULT_PORT", "Dashboard", "all_dashboards", "landing_page", "served_dashboards"]
