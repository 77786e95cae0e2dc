#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
# Installs it when it is missing and this shell may (root, apt-get present); otherwise
# says in one line what to run, and fails.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]] || command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Chromium from Debian's packages (browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    exit 0
fi
echo "Chromium is missing for the browser tests: run  sudo apt-get install -y --no-install-recommends chromium" >&2
exit 1
