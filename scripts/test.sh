#!/usr/bin/env bash
# Install everything, then run the whole test suite (pytest) and the linter.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
