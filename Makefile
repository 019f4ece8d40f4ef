# CISP Parcours: `make run` serves the app, `make test` runs every test. Nothing else to install.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
BUN_VERSION := 1.4.5
AXE_VERSION := 4.14.1
# Reflex finds bun on PATH; on Node 20 its own bun download cannot work here (see README).
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)

.PHONY: run test setup deps test-deps lock tools i18n clean

run: deps tools setup
	CISP_DEMO=1 $(BIN)/reflex run --env prod

# Two runs side by side: the tests that build and serve the app, one by one (they share .web and
# ports, and spend most of their time waiting on the browser), and beside them, over two processes,
# a module at a time (tests/conftest.py says why), the tests that share no app: unit and database
# tests, and the production test, which builds and serves its own (nginx, cisp serve, its ports and
# folders). Their report is printed when both are done.
test: test-deps tools
	$(BIN)/python -m pytest -ra -p no:cacheprovider -m "not browser" -n 2 --dist loadscope > .unit-tests.log 2>&1 & unit=$$!; \
	$(BIN)/python -m pytest -ra --durations=15 -m browser; browser=$$?; \
	wait $$unit; unit=$$?; cat .unit-tests.log; \
	test $$browser = 0 && test $$unit = 0

setup: deps
	$(BIN)/python -m cisp_pwa.cli setup

# What the app runs on: the runtime lock (exact versions, checked by hash), then the project itself.
# The tests add requirements/test.txt (the same pins plus the test packages). A stamp per step:
# a second make installs nothing unless a lock file or pyproject.toml changed.
deps: $(VENV)/.deps

test-deps: $(VENV)/.test-deps

$(VENV)/.deps: requirements/runtime.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-deps: $(VENV)/.deps requirements/test.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

# After changing the dependencies in pyproject.toml: `make lock` rewrites requirements/*.txt with
# uv (`uv pip compile --universal --generate-hashes`: one lock for Python 3.11 to 3.13, every OS),
# keeping the versions already pinned where it can; `make lock LOCK_FLAGS=--upgrade` takes the
# newest allowed. The test lock is solved within the runtime pins, so both agree.
UV_VERSION := 0.13.10
LOCK := uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--quiet --custom-compile-command "make lock" $(LOCK_FLAGS)

lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/$(LOCK) -o requirements/runtime.txt
	$(BIN)/$(LOCK) --extra test -c requirements/runtime.txt -o requirements/test.txt

tools: $(TOOLS)/node_modules/.bin/bun $(TOOLS)/node_modules/axe-core/axe.min.js

$(TOOLS)/node_modules/.bin/bun:
	npm install --prefix $(TOOLS) --no-audit --no-fund bun@$(BUN_VERSION)

# axe-core, injected by the browser tests to check every screen against WCAG A and AA.
$(TOOLS)/node_modules/axe-core/axe.min.js:
	npm install --prefix $(TOOLS) --no-audit --no-fund axe-core@$(AXE_VERSION)

# After changing user-facing strings: refresh the template and every catalog, then translate.
i18n: deps
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k N_ -k ngettext:2,3 \
		--no-location --sort-output -o cisp_pwa/i18n/messages.pot .
	for l in nl de en ar fa tr ro uk es pt; do $(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -D messages \
		-i cisp_pwa/i18n/messages.pot -d cisp_pwa/i18n/locales -l $$l; done
	$(BIN)/python -m cisp_pwa.pwa

clean:
	rm -rf .web .states
