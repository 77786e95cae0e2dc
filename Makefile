# The two commands a new engineer needs: `make dev` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null)
# Python 3.13 (the Lambda runtime): pyenv's copy if there is one (its shim only
# answers when 3.13 is the active version), else whatever python3.13 is on PATH.
# uv never downloads an interpreter: the machine has no route to GitHub.
PY313 ?= $(firstword $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13) $(shell command -v python3.13 2>/dev/null))
export UV_PYTHON ?= $(PY313)
export UV_PYTHON_DOWNLOADS ?= never
export PY313

.PHONY: help install browser-deps dev test test-fast lint bench openapi requirements sam-check checkov

help:
	@echo "make dev     run the whole system locally (moto, API, demo data)"
	@echo "make test    run every test, the linters and the SAM checks"
	@echo "make bench   measure cold starts and DynamoDB round trips"

install:
ifeq ($(UV),)
	python3 -m pip install --quiet "uv==$(UV_VERSION)"
endif
	uv sync --frozen --quiet

browser-deps:
	bash scripts/browser-deps.sh

dev: install
	uv run python -m devstack

lint: install
	uv run ruff format --check .
	uv run ruff check .
	uv run mypy

test: install browser-deps lint
	uv run pytest -q
	uv run python -m devstack.iam unused .pytest_cache/iam-usage.json
	bash scripts/sam-check.sh
	bash scripts/checkov.sh

test-fast: install
	uv run pytest -q -x -m "not infra"

bench: install
	uv run python -m bench

openapi: install
	uv run python scripts/openapi.py

# The layer's hashed requirements (infra/build/Makefile installs them), from uv.lock.
requirements: install
	uv export --frozen --no-dev --no-emit-project --quiet -o shared/requirements.txt

sam-check:
	bash scripts/sam-check.sh

checkov:
	bash scripts/checkov.sh
