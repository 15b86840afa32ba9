# Two commands for a newcomer: `make serve` and `make test`. Each creates .venv and installs
# what it needs on first use (re-installing only when pyproject.toml changes).
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test lint ingest deploy clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Archivist needs Python 3.11 or newer (set PYTHON=python3.x)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

serve: $(STAMP)  ## ingest sources/ and serve the archive on http://127.0.0.1:8000
	$(BIN)/archivist ingest
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)  ## ingest sources/ and build the static site into site/
	$(BIN)/archivist ingest
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## run the test suite
	$(BIN)/ruff check scripts tests
	$(BIN)/pytest

ingest: $(STAMP)
	$(BIN)/archivist ingest

deploy: $(STAMP)  ## publish to GitHub Pages (gh-pages branch)
	$(BIN)/mkdocs gh-deploy --force

clean:
	rm -rf site $(VENV)
