# The front door: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench
# Cold-start benchmarks run in a venv holding what a user installs (the SDK without extras, and
# the official SDK): dev tools such as rich make httpx's own import heavier for both.
BENCH_MIN   := .venv-bench-min
BENCH_MIN_STAMP := $(BENCH_MIN)/.installed

.PHONY: install codegen codegen-check lint format typecheck unit test wheel-check bench demo demo-fastapi demo-django clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP)

# Generate the sync twin (workos_authkit/_sync, tests/_sync) from the async source.
codegen: install
	$(BIN)/python codegen/unasync_build.py

# Fail if the installed generated tree was edited by hand. Compares *before* regenerating
# (the install step generated it); a tree that is merely stale is reported, then regenerated.
codegen-check: install
	$(BIN)/python codegen/unasync_build.py --check

lint: codegen
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: codegen
	$(BIN)/mypy workos_authkit tests codegen benchmarks examples

unit: codegen
	$(BIN)/python -m pytest

# The wheel must carry the generated tree, and WorkOS must work from a clean venv installed from it.
wheel-check: install
	rm -rf dist .wheel-venv
	$(BIN)/python -m build --wheel --outdir dist . >/dev/null
	$(PYTHON) -m venv .wheel-venv
	.wheel-venv/bin/python -m pip install --quiet --disable-pip-version-check dist/*.whl
	cd / && $(CURDIR)/.wheel-venv/bin/python $(CURDIR)/tests/wheel_smoke.py
	rm -rf .wheel-venv

test: codegen-check lint typecheck unit wheel-check

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

$(BENCH_MIN_STAMP): pyproject.toml
	test -x $(BENCH_MIN)/bin/python || $(PYTHON) -m venv $(BENCH_MIN)
	$(BENCH_MIN)/bin/python -m pip install --quiet --disable-pip-version-check -e . 'workos==10.8.0'
	touch $@

bench: $(BENCH_STAMP) $(BENCH_MIN_STAMP) codegen
	BENCH_IMPORT_PYTHON=$(CURDIR)/$(BENCH_MIN)/bin/python $(BIN)/python benchmarks/run.py

demo: codegen
	$(BIN)/python examples/demo.py

# The framework examples against the fake AuthKit server on loopback (or the real API when
# WORKOS_API_KEY is set); each prints the URL to open. PORT=... to change the app's port.
demo-fastapi: codegen
	$(BIN)/python examples/fastapi_app.py --port $(or $(PORT),8000)

demo-django: codegen
	$(BIN)/python examples/django_app/run_demo.py --port $(or $(PORT),8001)

clean:
	rm -rf $(VENV) $(BENCH_MIN) dist build .wheel-venv workos_authkit/_sync tests/_sync .mypy_cache .ruff_cache
