# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build serve check links schemas test bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) -m generator build $(BUILD_ARGS)

check: $(STAMP)
	$(PY) -m generator check

links: build
	$(PY) -m generator check --links

schemas: $(STAMP)
	$(PY) -m generator schemas

serve: $(STAMP)
	$(PY) -m generator serve

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf build .cache
