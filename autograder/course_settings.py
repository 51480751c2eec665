"""A course's settings, read one way: its ``nbgrader_config.py`` loaded by traitlets, as nbgrader loads it.

Grading (``embedding-lab grade``, the demo), the dashboards and the command line all ask
:func:`course_settings` for what a course configured (its gradebook, its cell timeout, its
exchange), so a ``db_url`` computed in the config file sends all of them to the same gradebook.
Nothing here writes the file: ``course.config_text`` does.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

DEFAULT_COURSE_DIR = Path("course")
"""Where ``make demo`` puts the course, and the course a command means when none is named."""

if TYPE_CHECKING:
    from traitlets.config import Config

CONFIG_FILE = "nbgrader_config.py"


class CourseSettingsError(Exception):
    """The course's ``nbgrader_config.py`` cannot be loaded (the message says which file and why)."""


@dataclass(frozen=True)
class CourseSettings:
    """What a course directory's ``nbgrader_config.py`` sets, with nbgrader's defaults filled in."""

    root: Path
    """The course directory, resolved."""
    config: Config
    """The loaded traitlets config, rooted at :attr:`root` (what nbgrader's own classes are given)."""

    @property
    def db_url(self) -> str:
        """The gradebook nbgrader uses: :attr:`configured_db_url`, else ``gradebook.db`` in the course."""
        return self.configured_db_url or f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def configured_db_url(self) -> str | None:
        """``CourseDirectory.db_url`` when the config sets one (or it was given), else None."""
        value = self._value("CourseDirectory", "db_url")
        return value if isinstance(value, str) and value else None

    @property
    def cell_timeout(self) -> float | None:
        """Seconds nbgrader lets one cell run (``Execute.timeout`` or ``ExecutePreprocessor.timeout``), if set."""
        for section in ("Execute", "ExecutePreprocessor"):
            value = self._value(section, "timeout")
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
                return float(value)
        return None

    @property
    def exchange_root(self) -> str | None:
        """``Exchange.root``, the folder releases and submissions go through, if set."""
        value = self._value("Exchange", "root")
        return value if isinstance(value, str) else None

    def missing_plugins(self) -> list[str]:
        """The names of this package's classes and functions the config names (its nbgrader preprocessors,
        its feedback filter) whose module this install does not have: a course made before a rename."""
        missing = []
        for name in sorted(set(_strings(self.config))):
            if name.startswith("autograder.") and name.count(".") >= 2:
                try:
                    found = importlib.util.find_spec(name.rsplit(".", 1)[0]) is not None
                except ImportError:  # a parent package that is not there either
                    found = False
                if not found:
                    missing.append(name)
        return missing

    def _value(self, section: str, key: str) -> Any:
        # Config.get: reading an attribute of a traitlets Config would create the section.
        return self.config.get(section, {}).get(key)


def _strings(value: Any):
    """Every string in a config value, however nested (sections, lists, dicts of filters)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def course_settings(course_dir: Path | str, db_url: str | None = None) -> CourseSettings:
    """Load ``course_dir``'s ``nbgrader_config.py`` (none: nbgrader's defaults); ``db_url`` overrides the gradebook.

    Raises :class:`CourseSettingsError` when the file exists but cannot be run or read.
    """
    from traitlets.config import Config, PyFileConfigLoader  # here: every command imports this module

    root = Path(course_dir).resolve()
    config = Config()
    if (root / CONFIG_FILE).is_file():
        try:
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config())
        except Exception as exc:  # the file is Python: any error in it is the course's, worded here
            raise CourseSettingsError(f"{root / CONFIG_FILE} could not be loaded "
                                      f"({type(exc).__name__}: {exc})") from exc
    config.CourseDirectory.root = str(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return CourseSettings(root, config)
