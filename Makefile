# Everything runs inside .venv, created on first use from pyproject.toml. The page checks
# (HTML validity, accessibility, Lighthouse) use npm tools in node_modules/ and Debian's
# chromium and Java; `.ci/run` installs those on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYC := $(VENV)/.compiled
NODE_STAMP := node_modules/.installed

.PHONY: build serve check links schemas test audit bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The generator's compiled bytecode, which Python does not write itself when
# PYTHONDONTWRITEBYTECODE is set (every command would then compile it again, about 0.05 s).
# A stale file is never used: Python checks each against its source's time and size.
$(PYC): $(STAMP) $(wildcard generator/*.py)
	$(PY) -m compileall -q generator
	touch $(PYC)

# --ignore-scripts: vnu-jar's install script would download Java; Debian's Java runs its jar.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --ignore-scripts --no-audit --no-fund && touch $(NODE_STAMP); \
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
	$(PY) -m pytest

# Synthetic sites of 100, 1,000 and 10,000 councils; prints a table, writes bench/results.json.
bench: $(PYC)
	$(PY) bench/run.py $(BENCH_SIZES)

# Lighthouse (npm lighthouse@12) with Debian's chromium on the home, councils and a council page.
audit: $(PYC) $(NODE_STAMP)
	$(PY) scripts/audit.py

clean:
	rm -rf build .cache bench/work
