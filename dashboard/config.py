"""Settings from the environment: database path, pseudonymisation secret, DuckDB limits."""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

from dashboard.i18n import Translatable

REPO_ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = REPO_ROOT / "queries"
SAMPLE_DIR = REPO_ROOT / "sample_data"
DEFAULT_DB = REPO_ROOT / "data" / "pemilu.duckdb"

DB_ENV = "PEMILU_DB"
SECRET_ENV = "PEMILU_SECRET"
MODE_ENV = "PEMILU_ENV"  # "production" (or "prod") makes a strong secret mandatory
MEMORY_ENV = "PEMILU_DUCKDB_MEMORY"  # e.g. "4GB"
TEMP_ENV = "PEMILU_DUCKDB_TEMP"
MAX_UNCOMPRESSED_ENV = "PEMILU_MAX_UNCOMPRESSED_GB"  # ceiling for one gzip file, unpacked
EXACT_REACH_ENV = "PEMILU_EXACT_REACH_MAX_ROWS"  # pages' unique reach: exact up to this size
LANG_ENV = "PEMILU_LANG"  # the CLI's language when a command has no --lang: id (default) or en
CLI_NICE_ENV = "PEMILU_CLI_NICE"  # the CLI's CPU priority beside the app (0-19, default 10)
# The CLI runs below the app's priority, so that a scheduled load or brief takes the CPU the
# pages leave: during a 10 M-row load on 2 cores the pages' p95 was 1.6x-2.4x idle at nice 0
# and 1.0x at nice 10 (BENCHMARKS.md, "Pages during a 10 M-row load").
DEFAULT_CLI_NICE = 10
# reach_recipients rows up to which pages count unique reach exactly; beyond, the HyperLogLog
# sketch (dashboard/store/sketch.py). The rule: exact while the slowest exact table's p95 stays
# under about 150 ms on 2 cores. Measured (BENCHMARKS.md, "Exact unique reach: rows counted as
# they are"): since the counts take a recipient's only row as it is (migration 0013), 4 M rows
# give 86 ms p50 and 126 ms p95, 6 M rows 233 ms p95 (before it, 2 M rows gave 154 ms p95).
DEFAULT_EXACT_REACH_MAX_ROWS = 4_000_000

DEV_SECRET = "DEVELOPMENT-ONLY-SECRET-change-me"
# PEMILU_ENV values, compared trimmed and in lower case; anything else is an error, so a typo
# of "production" never falls back to the development key
PRODUCTION_MODES = ("production", "prod")
DEVELOPMENT_MODES = ("", "development", "dev")
# The pseudonym is a fast keyed hash: anyone holding one known number and its pseudonym can
# test guesses of the secret offline, so only the secret's length protects it (SECURITY.md,
# "The pseudonym key"). 32 random characters are far beyond any search.
MIN_SECRET_LENGTH = 32

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


class SettingError(Translatable, ConfigError):
    """A ConfigError of this module's settings, said through i18n (setting.*)."""


def shown_setting(value: object) -> str:
    """A setting's value as an error message quotes it: repr, a phone number in it masked
    (a mis-pasted value is echoed on stderr, in logs and cron mail)."""
    from dashboard.ingest.privacy import mask_phone_numbers

    return repr(mask_phone_numbers(str(value)))


class DevKeyDatabase(ConfigError):
    """In production: the database's pseudonyms were made with the public development key."""


def db_path(override: str | Path | None = None) -> Path:
    """The embedded DuckDB file: --db, else $PEMILU_DB, else data/pemilu.duckdb."""
    return Path(override or os.environ.get(DB_ENV) or DEFAULT_DB)


def production() -> bool:
    """Whether PEMILU_ENV says production ("production" or "prod", any case, spaces trimmed).
    An unknown value is a ConfigError: a misspelt production must not run as development."""
    mode = os.environ.get(MODE_ENV, "").strip().lower()
    if mode in PRODUCTION_MODES:
        return True
    if mode in DEVELOPMENT_MODES:
        return False
    raise SettingError("setting.mode", env=MODE_ENV,
                       value=shown_setting(os.environ.get(MODE_ENV)))


def production_secret_problem(secret: str) -> SettingError | None:
    """Why `secret` may not be the key of real data (None: it may): empty, shorter than
    MIN_SECRET_LENGTH characters (spaces aside) or the development key."""
    said = {"secret": SECRET_ENV, "mode": MODE_ENV,
            "mode_value": os.environ.get(MODE_ENV, "").strip(),
            "hint": SettingError("setting.secret_hint", length=MIN_SECRET_LENGTH)}
    if not secret.strip():
        return SettingError("setting.secret_unset", **said)
    if secret.strip() == DEV_SECRET:
        return SettingError("setting.secret_dev", **said)
    if len(secret.strip()) < MIN_SECRET_LENGTH:
        return SettingError("setting.secret_short", length=len(secret.strip()),
                            needed=MIN_SECRET_LENGTH, **said)
    return None


def pseudonym_secret() -> str:
    """The key of the recipient pseudonym. In production a strong one is required (a
    ConfigError says what is wrong); in development, unset or blank means the development
    key, announced in the log."""
    secret = os.environ.get(SECRET_ENV, "")
    if production():
        if problem := production_secret_problem(secret):
            raise problem
        return secret
    if secret.strip():
        return secret
    _warn_dev_secret()
    return DEV_SECRET


@cache
def _warn_dev_secret() -> None:  # once per process, not once per file
    log.warning("%s is not set: using the development secret. Never use it for real data.",
                SECRET_ENV)


def using_dev_secret() -> bool:
    """Whether the key in effect is the development key (unset, blank or set to it). Never
    raises: in production such a key is refused where it would be used."""
    secret = os.environ.get(SECRET_ENV, "").strip()
    return not secret or secret == DEV_SECRET


def current_secret() -> str | None:
    """The key in effect, quietly (no warning); None when production settings refuse it."""
    secret = os.environ.get(SECRET_ENV, "")
    try:
        if production():
            return None if production_secret_problem(secret) else secret
    except ConfigError:
        return None
    return secret if secret.strip() else DEV_SECRET


# DuckDB's own default is 80 % of the machine: a 500 MB receipts file of rejected rows took a
# load to 2.6 GB. With 1.2 GB DuckDB spills to disk instead and a load stays under 2 GB
# (measured: 1.4 GB peak on that file, 1.0 GB on 5 M valid receipts; BENCHMARKS.md).
DEFAULT_MEMORY = "1.2GB"


def duckdb_settings() -> dict[str, str]:
    settings: dict[str, str] = {"memory_limit": os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY}
    if temp := os.environ.get(TEMP_ENV):
        settings["temp_directory"] = temp
    return settings


def temp_dir() -> str | None:
    """Where a load may write temporary copies of raw lines: DuckDB's spill folder
    ($PEMILU_DUCKDB_TEMP, SECURITY.md), else the system's temporary folder (None)."""
    return os.environ.get(TEMP_ENV) or None


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
        raise SettingError("setting.exact_reach", env=EXACT_REACH_ENV,
                           value=shown_setting(value)) from exc
    if rows < 0:
        raise SettingError("setting.exact_reach_negative", env=EXACT_REACH_ENV,
                           value=shown_setting(value))
    return rows


def cli_lang() -> str:
    """The command line's language when no --lang is given: $PEMILU_LANG (id or en, any
    case), else Indonesian, as the app; another value is not a language, so Indonesian too."""
    value = os.environ.get(LANG_ENV, "").strip().lower()
    return value if value in ("id", "en") else "id"


def cli_niceness() -> int:
    """The niceness CLI commands run at ($PEMILU_CLI_NICE, 0-19; default 10)."""
    value = os.environ.get(CLI_NICE_ENV, "").strip()
    try:
        nice = int(value) if value else DEFAULT_CLI_NICE
    except ValueError as exc:
        raise SettingError("setting.cli_nice", env=CLI_NICE_ENV,
                           value=shown_setting(value)) from exc
    if not 0 <= nice <= 19:
        raise SettingError("setting.cli_nice", env=CLI_NICE_ENV, value=shown_setting(value))
    return nice


def max_uncompressed_bytes() -> int:
    """The most one gzip input may unpack to (default 200 GB: about 2 billion receipts)."""
    value = os.environ.get(MAX_UNCOMPRESSED_ENV, "200")
    try:
        return int(float(value) * 1e9)
    except ValueError as exc:
        raise SettingError("setting.max_uncompressed", env=MAX_UNCOMPRESSED_ENV,
                           value=shown_setting(value)) from exc
