# The two commands: `make demo` (the whole instructor pipeline on the bundled
# course) and `make test` (the whole suite). Each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test quick dashboards bench student-wheel clean

$(STAMP): pyproject.toml requirements/constraints.txt widgets/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	bash tools/install-system-packages.sh sandbox
	$(VENV)/bin/embedding-lab demo

# --dist loadfile: a module's tests share module fixtures (a graded course, test
# accounts), so each module runs on one worker. (Not loadgroup: xdist 3.8 tags
# nodeids through an attribute pytest 9 no longer reads, and groups are ignored.)
test: $(STAMP)
	bash tools/install-system-packages.sh sandbox browser
	$(PY) -m pytest -n 2 --dist loadfile

# The quick loop while editing: everything but the slow and browser tests (mypy on the
# grading and checks packages included: tests/test_types.py).
quick: $(STAMP)
	$(PY) -m pytest -m "not slow and not browser" -q

dashboards: $(STAMP)
	$(VENV)/bin/embedding-lab dashboards

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

# The student install as a wheel (widgets only: no grading code, no solutions, no
# quiz keys; tests/test_packaging.py checks what is inside). Hand out dist/*.whl.
# Built by pip in an isolated build environment (setuptools only), so it needs
# neither .venv nor the instructor install.
student-wheel:
	rm -rf widgets/build widgets/*.egg-info
	$(PYTHON) -m pip wheel --no-deps -q -w dist ./widgets
	rm -rf widgets/build widgets/*.egg-info
	@ls -l dist/embedding_lab_widgets-*.whl

clean:
	rm -rf course artifacts .pytest_cache dist
