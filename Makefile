# portalwatch: `make demo` runs the main job, `make test` runs the tests. Needs only python3 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench install clean browser postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m tests.farm.demo

# Two workers, one test file each at a time (module fixtures stay in one process): most of the suite
# waits on subprocesses and sockets, so it takes about half as long. TEST_WORKERS=0 runs it serially.
TEST_WORKERS ?= 2

test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -q $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

# The browser test drives Debian's headless Chromium; install it when missing and we can (root or
# password-less sudo, apt-get). Otherwise that test skips and says why; the rest still runs.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "browser test: no apt-get here; it will be skipped"; \
	else SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	  echo "installing Debian's chromium and chromium-driver for the browser test"; \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium chromium-driver ) >/dev/null 2>&1 || echo "browser test: chromium could not be installed; it will be skipped"; fi

# The PostgreSQL tests start their own throwaway server (tests/pg.py) from the server binaries;
# install Debian's postgresql when there are none and we can. Otherwise those tests skip and say why.
postgres:
	@if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "PostgreSQL tests: no apt-get here; they will be skipped"; \
	else SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	  echo "installing Debian's postgresql for the PostgreSQL tests"; \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    postgresql ) >/dev/null 2>&1 || echo "PostgreSQL tests: postgresql could not be installed; they will be skipped"; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.extraction
	$(BIN)/python -m bench.crawl
	$(BIN)/python -m bench.incremental
	$(BIN)/python -m bench.daemon
	$(BIN)/python -m bench.meetings
	$(BIN)/python -m bench.server
	$(BIN)/python -m bench.templates
	$(BIN)/python -m bench.reliability

clean:
	rm -rf $(VENV) data build *.egg-info .pytest_cache .ruff_cache
