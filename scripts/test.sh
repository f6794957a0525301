#!/usr/bin/env bash
# Set up and run the whole test suite: venv, runtime + test dependencies, Debian's chromium
# (for the PNG/SVG/PDF export tests; needs root or sudo), then ruff and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt
if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium poppler-utils fonts-dejavu-core \
    >/dev/null || echo "warning: could not install chromium; image export tests will skip"
fi
# PostgreSQL: tests/test_holdout.py runs the operators' PostgreSQL reference on a throwaway
# cluster (pgcrypto ships with Debian's server package)
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql >/dev/null \
    || echo "warning: could not install postgresql; its hold-out reference test will skip"
fi
# Java: tests/test_cluster_rollups.py runs the rollups in Spark (pyspark), which needs a JVM
if ! command -v java >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null \
    || echo "warning: could not install java; the Spark rollup tests will skip"
fi
.venv/bin/ruff check dashboard tests benchmarks
.venv/bin/python -m pytest "$@"
