# coursepack: the two commands of the quick start are `make build` and `make test`.
# Each sets up what it needs: a virtual environment in .venv (Python packages from PyPI),
# node_modules from package-lock.json (scorm-again, axe-core) and Debian's chromium +
# chromium-driver for the browser tests.

PYTHON ?= python3
SRC    ?= course_src
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build check test unit golden bench browser clean

build: $(STAMP)
	$(BIN)/coursepack build $(SRC) --out dist

check: $(STAMP)
	$(BIN)/coursepack check $(SRC) --strict

test: $(STAMP) node_modules/.installed-stamp browser
	$(BIN)/python -m pytest --durations=15

unit: $(STAMP)
	$(BIN)/python -m pytest --ignore=tests/e2e

# Regenerate the golden manifests in tests/golden/ after an intended change; review the diff.
golden: $(STAMP)
	$(BIN)/python -m tests.regen_golden

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

clean:
	rm -rf dist build .pytest_cache
