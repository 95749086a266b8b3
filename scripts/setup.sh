#!/usr/bin/env bash
# Installs everything mtcheck and its tests need on a fresh Debian machine: Apertium (es<->en) and
# Chromium from Debian, and a virtual environment in .venv with mtcheck and its test/bench extras.
# torch (pulled in by argostranslate -> stanza) is pinned by constraints.txt to the CPU build.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends apertium apertium-eng-spa chromium >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e '.[test,bench]'
# The environment sets PYTHONDONTWRITEBYTECODE=1, so Python never caches mtcheck's compiled
# modules by itself: without this, every `mtcheck` run compiles ~90 modules (0.5 s instead of
# 0.2 s for a one-article scan). Rerun after editing mtcheck (stale entries are just recompiled).
.venv/bin/python -m compileall -q mtcheck
