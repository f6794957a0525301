#!/usr/bin/env bash
# Set up and run the dashboard on the sample data: venv, install, build the embedded
# DuckDB from sample_data/ if it is missing, start Streamlit on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
DB=${PEMILU_DB:-data/pemilu.duckdb}
if [ ! -f "$DB" ]; then
  .venv/bin/python -m dashboard init --sample --db "$DB"
fi
exec .venv/bin/streamlit run dashboard/web/app.py --server.port "${PORT:-8501}" \
  --server.headless true --browser.gatherUsageStats false
