#!/usr/bin/env bash
# Install everything, then run the linter, the type checker (the model, the RDF mapping, the stores) and
# the whole test suite (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy kg/model.py kg/rdf kg/store
exec .venv/bin/python -m pytest "$@"
