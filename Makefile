# Advisory: `make run` serves the app, `make test` runs the whole test suite,
# `make stress`, `make fuzz` and `make bench` measure (none is part of `make test`).
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
WORKERS ?= 2
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app

.PHONY: run test stress fuzz bench migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Test tools from npm (ical.js, axe-core, Lighthouse); without npm those tests skip (fail under CI).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the tests that need Node tools will be skipped."; fi

migrate: $(VENV)/.runtime
	$(FLASK) db upgrade

# One reminder dispatcher runs beside gunicorn (not one per worker) and stops with it.
run: migrate
	@$(FLASK) setup-url --base http://$(HOST):$(PORT)
	@$(FLASK) reminders run --base http://$(HOST):$(PORT) & dispatcher=$$!; \
	trap 'true' INT TERM; \
	WEB_CONCURRENCY=$(WORKERS) $(BIN)/gunicorn --bind $(HOST):$(PORT) --access-logfile - \
		--access-logformat '%(h)s "%(m)s %(s)s" %(b)s %(L)ss' "app:create_app()"; \
	status=$$?; kill $$dispatcher 2>/dev/null; wait $$dispatcher; exit $$status

test: $(VENV)/.dev node_modules/.package-lock.json
	$(BIN)/python -m pytest

# Several devices at once and kill -9 cycles against gunicorn on a temp file; prints figures.
stress: $(VENV)/.dev
	$(BIN)/python tests/stress/stress.py

# The property-based fuzz test at length (make test runs a few examples per endpoint).
fuzz: $(VENV)/.dev
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/system/test_fuzz.py -q

# Pages at 1 and 1,000 accounts and under wrk, the dispatcher at 100,000 accounts, the first
# visit on a throttled phone. BENCH_QUICK=1 for a short run, BENCH_ONLY=dispatcher for one section.
bench: $(VENV)/.dev
	$(BIN)/python tests/bench/bench.py

clean:
	rm -rf $(VENV) node_modules
