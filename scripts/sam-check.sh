#!/usr/bin/env bash
# Check the SAM template offline: `sam validate --lint` (cfn-lint), `sam build`, and
# that every module of the build carries valid unchecked-hash bytecode.
#
# Run from the repository root:   bash scripts/sam-check.sh
#
# The SAM CLI lives in its own virtual environment (.venv-sam, git-ignored),
# because its pins clash with the application's. It is created on first run.
# Nothing here talks to AWS: no credentials, no Docker, no `sam local`.
set -euo pipefail

SAM_CLI_VERSION="1.170.0"
PY313="${PY313:-/root/.pyenv/versions/3.13.0/bin/python3.13}"
VENV=".venv-sam"
TEMPLATE="infra/template.yaml"
BUILD_DIR=".aws-sam/build"

say() { printf '\n==> %s\n' "$*"; }

if [[ ! -f "$TEMPLATE" ]]; then
    echo "error: $TEMPLATE not found; run this from the repository root" >&2
    exit 2
fi
if [[ ! -x "$PY313" ]]; then
    PY313="$(command -v python3.13 || true)"
fi
if [[ -z "$PY313" || ! -x "$PY313" ]]; then
    echo "error: python3.13 not found (set PY313=/path/to/python3.13)" >&2
    exit 2
fi

start=$(date +%s)

# 1. The SAM CLI venv, created or repaired if missing or on another version.
if [[ -x "$VENV/bin/sam" ]] && "$VENV/bin/python" -c \
    "import importlib.metadata as m, sys; sys.exit(m.version('aws-sam-cli') != '$SAM_CLI_VERSION')" \
    2>/dev/null; then
    say "using $VENV (aws-sam-cli $SAM_CLI_VERSION)"
else
    say "creating $VENV with aws-sam-cli==$SAM_CLI_VERSION"
    if [[ ! -x "$VENV/bin/python" ]]; then
        uv venv -p "$PY313" "$VENV"
    fi
    uv pip install -p "$VENV" "aws-sam-cli==$SAM_CLI_VERSION"
fi

# 2. SAM needs the runtime's Python (python3.13) first on PATH for `sam build`.
export PATH="$(dirname "$PY313"):$PWD/$VENV/bin:$PATH"
export SAM_CLI_TELEMETRY=0
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-west-2}"

say "sam --version: $(sam --version)"

say "sam validate --lint -t $TEMPLATE"
sam validate --lint -t "$TEMPLATE"

say "sam build -t $TEMPLATE --build-dir $BUILD_DIR"
sam build -t "$TEMPLATE" --build-dir "$BUILD_DIR"

say "layer contents: $(du -sh "$BUILD_DIR/SharedLayer" | cut -f1)"

# 3. What ships carries its bytecode (infra/build/Makefile compiles it).
say "bytecode check of $BUILD_DIR"
uv run python -m bench.artifact check "$BUILD_DIR"
say "sam-check passed in $(( $(date +%s) - start ))s"
