# make demo: crawl the offline mirror into demo-output/ ; make test: run the test suite.
# Both set up .venv once (python3.11, else python3) and reinstall only when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test venv clean

demo: $(STAMP)
	$(VENV)/bin/python -m zamanscraper demo

test: $(STAMP)
	$(VENV)/bin/python -m pytest

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

clean:
	rm -rf demo-output
