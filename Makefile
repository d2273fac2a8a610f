# Kithkin's developer commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test test-semantic lint bench screenshots clean

# Bytecode is compiled here, not left to the first run: where PYTHONDONTWRITEBYTECODE is set (as on
# our CI machines) Python would otherwise compile every module on every command (~23% of start-up).
install: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 kithkin

# caldav's HTTP client, niquests, brings urllib3-future, whose wheel overwrites the real urllib3 at
# every start of Python; requests (schemathesis, radicale's tests) then breaks on it. Built from its
# source with URLLIB3_NO_OVERRIDE it stays beside urllib3 as urllib3_future, where niquests finds it.
PIP_INSTALL := URLLIB3_NO_OVERRIDE=1 $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-binary urllib3-future

# Re-installs only when pyproject.toml changes; quick when up to date.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PIP_INSTALL) -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/kithkin serve

# pytest-xdist runs the suite on every core; `make test PYTEST_FLAGS=` runs it in one process.
# --dist load hands tests out one by one, so no worker is left alone at the end with a whole module
# of browser journeys (as with loadscope, measured slower); the module-scoped fixtures it may then
# build once per worker take under a second each.
PYTEST_FLAGS ?= -n auto --dist load

test: install
	$(BIN)/pytest $(PYTEST_FLAGS)

# The semantic extra (PyTorch and a model, ~1.8 GB) in a venv of its own, so that `make test` keeps
# proving that the default install works without it: `ask`'s tests with matching by meaning on
# (those that need the model or numpy run only here), then the command's with a test embedder.
SEMANTIC_VENV  := .venv-semantic
SEMANTIC_STAMP := $(SEMANTIC_VENV)/.installed

$(SEMANTIC_STAMP): pyproject.toml
	test -x $(SEMANTIC_VENV)/bin/python || $(PYTHON) -m venv $(SEMANTIC_VENV)
	$(SEMANTIC_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	URLLIB3_NO_OVERRIDE=1 $(SEMANTIC_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-binary urllib3-future -e '.[dev,semantic]'
	touch $(SEMANTIC_STAMP)

test-semantic: $(SEMANTIC_STAMP)
	KITHKIN_SEMANTIC=auto $(SEMANTIC_VENV)/bin/pytest -p no:cacheprovider $(PYTEST_FLAGS) kithkin/finder kithkin/web/finder
	$(SEMANTIC_VENV)/bin/pytest -p no:cacheprovider -n 0 kithkin/cli/tests/test_ask.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	KITHKIN_DATA_DIR=$$(mktemp -d) $(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python benchmarks/bench.py

# Every page, light and dark, at 1280x800 and 375x812, on a demo network, into screenshots/pages/
# (git-ignored), with the phone layout check's findings printed beside each (tools/screenshots.py).
screenshots: install
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) $(SEMANTIC_VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache build *.egg-info
