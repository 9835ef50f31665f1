# คลังนวัตกรรม IFTE ลพบุรี — `make site` builds everything from a fresh clone, `make test` tests it.
VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
STAMP   := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test bench check clean venv

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

site: venv  ## build the static site into site/
	$(BIN)/mkdocs build --strict

serve: venv  ## live preview on http://127.0.0.1:8000/
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

check: venv  ## check every entry
	$(BIN)/ifte check

# Test-only tools from npm (axe-core, vnu-jar); scripts off: vnu-jar's would fetch a JDK.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test: venv node_modules/.installed  ## every test (unit, HTML, browser, servers)
	$(BIN)/pytest -q

bench: venv  ## benchmarks: print figures, assert nothing
	$(BIN)/python bench/run.py

clean:
	rm -rf site site.building .site.previous .cache
