# The README's two commands: `make lab` runs the product, `make test` runs every test.
# Both set up what they need on a fresh machine (system packages, .venv, the labextension).

VENV   := .venv
PY     := $(VENV)/bin/python
JLPM   := $(VENV)/bin/jlpm
STAMP  := $(VENV)/.lamin-installed
# package.json scripts call jlpm again: the venv's bin comes first on PATH
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: lab test test-py test-ui test-ts lint bench setup system-deps clean

$(STAMP): pyproject.toml package.json yarn.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## System packages the tests use (PostgreSQL server, Chromium for UI tests); apt only as root.
system-deps:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	   || ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium >/dev/null; \
	  else echo "please install postgresql and chromium (Debian packages)"; exit 1; fi; \
	fi

lab: setup
	$(PY) scripts/lab.py

lint: setup
	$(PY) -m ruff check lamin_kernel tests benchmarks scripts
	$(PY) -m ruff format --check lamin_kernel tests benchmarks scripts
	$(VENV)/bin/lint-imports
	$(JLPM) lint:check

test-ts: setup
	$(JLPM) test

test-py: setup system-deps
	$(PY) -m pytest -q -p no:cacheprovider tests

test-ui: setup system-deps
	$(PY) -m pytest -q -p no:cacheprovider ui-tests

test: setup system-deps lint test-ts test-py test-ui

bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules lib lamin_kernel/labextension tsconfig.tsbuildinfo
