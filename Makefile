# make demo: bake the default answers into ./demo/ and serve that project with its `make run`
# make test: the template's own tests (hooks, bakes, the generated project's `make test`)
# make locks: refresh the generated projects' dependency locks after editing their pyproject.toml
#             (make locks UPGRADE="django" also moves that package to its newest allowed release)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Virtualenv of the demo project, relative to it; point two demos at one to save an install.
DEMO_VENV ?= .venv

.PHONY: install demo test lint locks clean

install: $(STAMP)

$(STAMP): tests/requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: run make PYTHON=python3.11 (or newer).")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	@touch $(STAMP)

# The cookiecutter API rather than its CLI, only to learn where the project landed.
demo: install
	@project=$$($(PY) -c 'from cookiecutter.main import cookiecutter; print(cookiecutter(".", no_input=True, overwrite_if_exists=True, output_dir="demo"))') && \
	echo "baked $$project" && \
	$(MAKE) -C "$$project" run VENV=$(DEMO_VENV)

test: install
	$(PY) -m pytest tests $(PYTEST_ARGS)

# Bakes each ORM variant, runs its `make lock` on the template's locks, copies them back.
locks: install
	$(PY) -m tests.locks $(UPGRADE)

lint: install
	$(PY) -m ruff check hooks tests
	$(PY) -m ruff format --check hooks tests

clean:
	rm -rf $(VENV) demo .pytest_cache .ruff_cache
