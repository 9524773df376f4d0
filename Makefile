# Young Talent Pipeline: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run dev test venv migrate seed static clean

# The stamp is rebuilt whenever pyproject.toml changes, so `make test` also updates the environment.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || \
		{ echo "Python 3.11 is required (found: $$($(PYTHON) --version 2>&1))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

# `make run` serves as the app is deployed: DEBUG off, static files collected and served by the app
# (WhiteNoise), the app's own error pages, secrets of this machine written once to .local/run.env
# (config/local_env.py). `make dev` is the same database and keys with DEBUG on, for debugging.
LOCAL_ENV := .local/run.env
WITH_ENV = set -a && . ./$(LOCAL_ENV) && set +a &&

$(LOCAL_ENV): | venv
	$(BIN)/python -m config.local_env $@

migrate: venv $(LOCAL_ENV)
	$(WITH_ENV) $(BIN)/python manage.py migrate --noinput

# Seeds only an empty database (--yes-demo: DEBUG is off, and this is the demo); prints the demo
# accounts either way.
seed: migrate
	$(WITH_ENV) $(BIN)/python manage.py seed_demo --if-empty --yes-demo

static: venv $(LOCAL_ENV)
	$(WITH_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: seed static
	$(WITH_ENV) $(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

dev: seed
	$(WITH_ENV) DEBUG=1 $(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

# The import contract (pyproject.toml) and pyflakes (unused imports, undefined names) first: a layer
# that reaches up, or a name that does not exist, fails before the suite runs.
test: venv
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --select F --quiet .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache staticfiles
