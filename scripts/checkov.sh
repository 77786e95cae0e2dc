#!/usr/bin/env bash
# checkov on the SAM template, offline: every check passes or is skipped in the
# template with its reason (Metadata: checkov: skip). Offline, checkov has no
# severities (they come from Prisma Cloud), so no failed check of any severity is let
# through.
#
# checkov lives in its own virtual environment (.venv-checkov, git-ignored): its pins
# clash with the application's. It is installed from scripts/checkov-requirements.txt
# (hashed; regenerate with the command below after changing CHECKOV_VERSION).
#   echo "checkov==$CHECKOV_VERSION" | uv pip compile --python-version 3.13 \
#     --python-platform linux --generate-hashes --no-header - -o scripts/checkov-requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION="3.3.30"
PY313="${PY313:-/root/.pyenv/versions/3.13.0/bin/python3.13}"
[[ -x "$PY313" ]] || PY313="$(command -v python3.13)"
VENV=".venv-checkov"
REQUIREMENTS="scripts/checkov-requirements.txt"

if ! grep -q "^checkov==$CHECKOV_VERSION " "$REQUIREMENTS"; then
    echo "error: $REQUIREMENTS does not pin checkov==$CHECKOV_VERSION; regenerate it" >&2
    exit 2
fi
if ! "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
    [[ -x "$VENV/bin/python" ]] || uv venv -q -p "$PY313" "$VENV"
    uv pip sync -q -p "$VENV" --require-hashes "$REQUIREMENTS"
fi

echo "==> checkov $CHECKOV_VERSION on infra/template.yaml"
"$VENV/bin/checkov" --file infra/template.yaml --framework cloudformation \
    --skip-download --compact --quiet
