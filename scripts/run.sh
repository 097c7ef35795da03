#!/usr/bin/env bash
# The main job on the embedded default store: install, ingest seeds/, then serve on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSKG_BROWSER=0 bash scripts/setup.sh
STORE=${KG_STORE:-data/store}
.venv/bin/kg ingest --store "$STORE" seeds/
.venv/bin/kg stats --store "$STORE"
if .venv/bin/kg serve --help >/dev/null 2>&1; then
  exec .venv/bin/kg serve --store "$STORE" --host 127.0.0.1 --port "${PORT:-8000}"
fi
