# Advisory: `make run` serves the app, `make test` runs the whole test suite.
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
WORKERS ?= 2
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app

.PHONY: run test migrate clean

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
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - \
		--access-logformat '%(h)s "%(m)s %(s)s" %(b)s %(L)ss' "app:create_app()"; \
	status=$$?; kill $$dispatcher 2>/dev/null; wait $$dispatcher; exit $$status

test: $(VENV)/.dev node_modules/.package-lock.json
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) node_modules
