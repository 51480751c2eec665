"""What several test packages (and the benchmarks) share: the variants' machinery
(``variants``) and the browser harness (``browser``). Importable as ``support`` because
pytest puts ``tests/`` on ``sys.path`` (``tests/conftest.py``, rootdir-relative imports);
the benchmarks add it themselves."""
