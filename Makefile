# make demo: crawl the offline mirror into demo-output/ ; make test: run the test suite.
# Both set up .venv once (python3.11, else python3) and reinstall only when pyproject.toml or the C
# line walk's build files change (the install compiles it: setup.py).
# make test-lowest: the suite again in .venv-lowest, on the lowest declared versions (CI runs both;
# the lint test only in .venv: it checks the code, not the versions).

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed
LOWEST_VENV := .venv-lowest
LOWEST := .ci/lowest-constraints.txt
LOWEST_STAMP := $(LOWEST_VENV)/.installed
BUILD := pyproject.toml setup.py zamanscraper/extract/_walk.pyx

.PHONY: demo test test-lowest venv clean

demo: $(STAMP)
	$(VENV)/bin/python -m zamanscraper demo

test: $(STAMP)
	$(VENV)/bin/python -m pytest

test-lowest: $(LOWEST_STAMP)
	$(LOWEST_VENV)/bin/python -m pytest -q -p no:randomly --ignore=tests/test_lint.py

venv: $(STAMP)

$(STAMP): $(BUILD)
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(LOWEST_STAMP): $(BUILD) $(LOWEST)
	test -x $(LOWEST_VENV)/bin/python || $(PYTHON) -m venv $(LOWEST_VENV)
	$(LOWEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOWEST_VENV)/bin/python -m pip install --quiet -c $(LOWEST) -e ".[test]"
	touch $(LOWEST_STAMP)

clean:
	rm -rf demo-output
