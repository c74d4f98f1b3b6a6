# Anxun — two commands: `make run` (demo on http://127.0.0.1:8000) and `make test` (everything).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PYTEST := $(PY) -m pytest
REPORTS := test-results
PORT    ?= 8000

# System packages: gettext (translations), a CJK font (posters, certificates), Chromium (browser
# tests), poppler-utils (tests rasterise generated PDFs to decode their QR codes).
SYSTEM_PACKAGES := gettext fonts-wqy-microhei chromium chromium-driver poppler-utils

.PHONY: run test lint test-fast test-integration test-browser messages makemessages sysdeps \
        services-check demo clean bench

## run: install, compile translations, migrate, seed the demo and serve on 127.0.0.1:$(PORT)
## (default 8000; `make run PORT=8100`); the server also runs the periodic tasks (core/beat.py)
run: $(VENV)/.installed sysdeps messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) configure_site
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C stops)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## test: lint, the fast suite (SQLite), the integration suite (PostgreSQL, Redis, a Celery
## worker) and the browser journeys (headless Chromium); prints the counts; any skip fails it
test: $(VENV)/.installed-dev sysdeps messages
	rm -rf $(REPORTS) && mkdir -p $(REPORTS)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory services-check
	$(MAKE) --no-print-directory test-fast
	$(MAKE) --no-print-directory test-integration
	$(MAKE) --no-print-directory test-browser
	$(PY) scripts/test_summary.py $(REPORTS)/fast.xml $(REPORTS)/integration.xml $(REPORTS)/browser.xml

## lint: ruff (rules and format), mypy with django-stubs (pyproject.toml [tool.mypy]), djLint over
## templates/, no missing migration, every msgid translated; .pre-commit-config.yaml runs the same
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	$(MANAGE) makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

test-fast: $(VENV)/.installed-dev messages
	$(PYTEST) tests --ignore=tests/integration --ignore=tests/browser \
		--ds=config.settings.test -n 2 --junitxml=$(REPORTS)/fast.xml

test-integration: $(VENV)/.installed-dev messages services-check
	$(PYTEST) tests/integration --ds=config.settings.integration --junitxml=$(REPORTS)/integration.xml

test-browser: $(VENV)/.installed-dev messages
	$(PYTEST) tests/browser --ds=config.settings.test --junitxml=$(REPORTS)/browser.xml

## bench: every web benchmark against gunicorn, PostgreSQL and Redis beside the bare view, with
## the demo and with BENCH_WORKERS workers (seed_scale), then certificate drawing per core
BENCH_WORKERS ?= 1000000
bench: $(VENV)/.installed-dev messages services-check
	DJANGO_SETTINGS_MODULE=config.settings.integration $(PY) bench/suite.py \
		--workers-seeded $(BENCH_WORKERS) --concurrency 32 --seconds 10 --workers 4
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) bench/certificate_render.py --calls 10 --runs 3

services-check: $(VENV)/.installed-dev
	$(PY) scripts/check_services.py

## messages: compile locale/*/LC_MESSAGES/*.po into .mo (the .mo files are never committed)
messages: $(VENV)/.installed sysdeps
	cd $(CURDIR) && $(PY) manage.py compilemessages --ignore='.venv/*' -v0

## makemessages: refresh locale/zh_Hans from the source (then translate the new entries)
makemessages: $(VENV)/.installed
	$(MANAGE) makemessages -l zh_Hans --ignore='.venv/*' --ignore='staticfiles/*' --no-obsolete --no-location --no-wrap
	$(MANAGE) makemessages -d djangojs -l zh_Hans --ignore='.venv/*' --ignore='staticfiles/*' --no-obsolete --no-location --no-wrap

## sysdeps: system packages, installed with apt-get when missing (as root), else explained
sysdeps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing >/dev/null \
	      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing >/dev/null; }; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them with: sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	  fi; \
	fi

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) $(REPORTS) staticfiles db.sqlite3 db.sqlite3-* .mypy_cache
	find locale -name '*.mo' -delete
