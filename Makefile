# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build serve check test bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) -m generator build $(BUILD_ARGS)

check: $(STAMP)
	$(PY) -m generator check

serve: $(STAMP)
	$(PY) -m generator serve

test: $(STAMP)
	$(PY) -m pytest

# Synthetic sites of 100, 1,000 and 10,000 councils; prints a table, writes bench/results.json.
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_SIZES)

clean:
	rm -rf build .cache bench/work
