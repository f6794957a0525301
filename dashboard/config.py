"""Settings from the environment: database path, pseudonymisation secret, DuckDB limits."""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = REPO_ROOT / "queries"
SAMPLE_DIR = REPO_ROOT / "sample_data"
DEFAULT_DB = REPO_ROOT / "data" / "pemilu.duckdb"

DB_ENV = "PEMILU_DB"
SECRET_ENV = "PEMILU_SECRET"
MODE_ENV = "PEMILU_ENV"  # "production" makes the secret mandatory
MEMORY_ENV = "PEMILU_DUCKDB_MEMORY"  # e.g. "4GB"
TEMP_ENV = "PEMILU_DUCKDB_TEMP"
MAX_UNCOMPRESSED_ENV = "PEMILU_MAX_UNCOMPRESSED_GB"  # ceiling for one gzip file, unpacked
EXACT_REACH_ENV = "PEMILU_EXACT_REACH_MAX_ROWS"  # pages' unique reach: exact up to this size
# reach_recipients rows up to which pages count unique reach exactly; beyond, the HyperLogLog
# sketch (dashboard/sketch.py). Measured on 2 cores (BENCHMARKS.md, "HyperLogLog reach
# sketches"): at 2 M rows the slowest exact table takes 64 ms p50 and 154 ms p95 on a quiet
# machine, about twice that while another job runs; p50 crosses 150 ms only near 5 M rows,
# but p95 would pass 300 ms well before.
DEFAULT_EXACT_REACH_MAX_ROWS = 2_000_000

DEV_SECRET = "DEVELOPMENT-ONLY-SECRET-change-me"

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def db_path(override: str | Path | None = None) -> Path:
    """The embedded DuckDB file: --db, else $PEMILU_DB, else data/pemilu.duckdb."""
    return Path(override or os.environ.get(DB_ENV) or DEFAULT_DB)


def pseudonym_secret() -> str:
    """The key of the recipient pseudonym. Required outside development mode."""
    secret = os.environ.get(SECRET_ENV, "")
    if secret:
        return secret
    if os.environ.get(MODE_ENV, "development") == "production":
        raise ConfigError(f"{SECRET_ENV} must be set when {MODE_ENV}=production")
    _warn_dev_secret()
    return DEV_SECRET


@cache
def _warn_dev_secret() -> None:  # once per process, not once per file
    log.warning("%s is not set: using the development secret. Never use it for real data.",
                SECRET_ENV)


def using_dev_secret() -> bool:
    return not os.environ.get(SECRET_ENV)


def duckdb_settings() -> dict[str, str]:
    settings: dict[str, str] = {}
    if memory := os.environ.get(MEMORY_ENV):
        settings["memory_limit"] = memory
    if temp := os.environ.get(TEMP_ENV):
        settings["temp_directory"] = temp
    return settings


def exact_reach_max_rows() -> int | None:
    """The most reach_recipients rows for which pages count unique reach exactly; beyond it
    they estimate it (HyperLogLog). $PEMILU_EXACT_REACH_MAX_ROWS: a number of rows, "exact"
    (never estimate: None) or "approximate" (always estimate: 0)."""
    value = os.environ.get(EXACT_REACH_ENV, "").strip().lower()
    if not value:
        return DEFAULT_EXACT_REACH_MAX_ROWS
    if value == "exact":
        return None
    if value == "approximate":
        return 0
    try:
        rows = int(value.replace("_", ""))
    except ValueError as exc:
        raise ConfigError(f"{EXACT_REACH_ENV} must be a number of rows, 'exact' or "
                          f"'approximate', not {value!r}") from exc
    if rows < 0:
        raise ConfigError(f"{EXACT_REACH_ENV} must not be negative, not {value!r}")
    return rows


def max_uncompressed_bytes() -> int:
    """The most one gzip input may unpack to (default 200 GB: about 2 billion receipts)."""
    value = os.environ.get(MAX_UNCOMPRESSED_ENV, "200")
    try:
        return int(float(value) * 1e9)
    except ValueError as exc:
        raise ConfigError(f"{MAX_UNCOMPRESSED_ENV} must be a number of GB, not {value!r}"
                          ) from exc
