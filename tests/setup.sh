#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine.
# System packages (Chromium for browser tests, Java for the Nu HTML checker,
# epubcheck for the series EPUB)
# are installed only when missing; Python packages go into .venv; the Nu
# checker and axe-core come from npm into node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
command -v git >/dev/null || missing+=(git)
command -v rsync >/dev/null || missing+=(rsync)
[ -f /usr/share/java/epubcheck.jar ] || missing+=(epubcheck)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
