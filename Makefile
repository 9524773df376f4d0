# Young Talent Pipeline: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test venv migrate seed clean

# The stamp is rebuilt whenever pyproject.toml changes, so `make test` also updates the environment.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || \
		{ echo "Python 3.11 is required (found: $$($(PYTHON) --version 2>&1))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(BIN)/python manage.py migrate --noinput

# Seeds only an empty database; prints the demo accounts either way.
seed: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: seed
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

# The import contract (pyproject.toml) and pyflakes (unused imports, undefined names) first: a layer
# that reaches up, or a name that does not exist, fails before the suite runs.
test: venv
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --select F --quiet .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
