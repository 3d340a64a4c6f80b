# portalwatch: `make demo` runs the main job, `make test` runs the tests. Needs only python3 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m tests.farm.demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.extraction
	$(BIN)/python -m bench.crawl
	$(BIN)/python -m bench.incremental
	$(BIN)/python -m bench.daemon

clean:
	rm -rf $(VENV) data build *.egg-info .pytest_cache .ruff_cache
