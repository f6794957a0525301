"""Operator export profiles: a TOML file per operator format (delimiter, headers, timestamp
format, time zone, status words). A new operator format is a new profile, not new code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard.ingest.files import split_header

CANONICAL_COLUMNS = ("operator", "message_id", "wave_id", "msisdn", "province",
                     "submitted_at", "done_at", "status", "error_code")
REQUIRED_COLUMNS = ("message_id", "msisdn", "submitted_at", "status")
SMPP_STATES = ("DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD",
               "ENROUTE", "SCHEDLD")


class ProfileError(ValueError):
    """A profile file is missing or malformed."""


@dataclass(frozen=True)
class Profile:
    name: str
    operator: str | None
    delimiter: str = ","
    quote: str = '"'
    timestamp_format: str | None = None  # None: ISO 8601
    timezone: str = "Asia/Jakarta"
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> file header
    status_words: dict[str, str] = field(default_factory=dict)  # upper-case word -> SMPP state
    description: str = ""

    @property
    def utc_offset_seconds(self) -> int:
        """The fixed UTC offset of the profile's zone (Indonesia's zones keep no daylight
        saving; a zone that does is refused rather than read wrong half the year)."""
        zone = ZoneInfo(self.timezone)
        offsets = {zone.utcoffset(datetime(2024, month, 1)) for month in (1, 7)}
        if len(offsets) != 1:
            raise ProfileError(f"profile {self.name}: zone {self.timezone} has daylight saving")
        return int(offsets.pop().total_seconds())


CANONICAL = Profile(
    name="canonical",
    operator=None,
    columns={c: c for c in CANONICAL_COLUMNS},
    status_words={s: s for s in SMPP_STATES},
    description="Canonical receipts CSV (DESIGN.md)",
)


def _profile_dir() -> Path:
    return Path(str(resources.files("dashboard.ingest").joinpath("profiles")))


def available_profiles() -> list[str]:
    return sorted(p.stem for p in _profile_dir().glob("*.toml"))


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by name ('telkomsel') or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = _profile_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        raise ProfileError(f"no profile {name_or_path!r}; available: {available_profiles()}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"profile {path.name} is not valid TOML: {exc}") from exc
    columns = {str(k): str(v) for k, v in data.get("columns", {}).items()}
    unknown = set(columns) - set(CANONICAL_COLUMNS)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if unknown or missing:
        raise ProfileError(f"profile {path.name}: unknown columns {sorted(unknown)}, "
                           f"missing {missing}")
    words = {str(k).strip().upper(): str(v).strip().upper()
             for k, v in data.get("status", {}).items()}
    bad_states = sorted(set(words.values()) - set(SMPP_STATES))
    if bad_states:
        raise ProfileError(f"profile {path.name}: status maps to non-SMPP states {bad_states}")
    delimiter = data.get("delimiter", ",")
    if len(delimiter) != 1:
        raise ProfileError(f"profile {path.name}: delimiter must be one character")
    try:
        ZoneInfo(data.get("timezone", "Asia/Jakarta"))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ProfileError(f"profile {path.name}: unknown timezone {data.get('timezone')!r}"
                           ) from exc
    if "operator" not in columns and not data.get("operator"):
        raise ProfileError(f"profile {path.name}: needs 'operator' or a column for it")
    return Profile(
        name=path.stem,
        operator=data.get("operator"),
        delimiter=delimiter,
        quote=data.get("quote", '"'),
        timestamp_format=data.get("timestamp_format"),
        timezone=data.get("timezone", "Asia/Jakarta"),
        columns=columns,
        status_words={**{s: s for s in SMPP_STATES}, **words},
        description=data.get("description", ""),
    )


def match_profile(first_line: str) -> Profile | None:
    """The profile whose headers all appear in this header line (case-insensitive):
    the canonical layout first, then each shipped operator profile with its own delimiter."""
    candidates = [CANONICAL] + [load_profile(name) for name in available_profiles()]
    for profile in candidates:
        names = set(split_header(first_line, profile.delimiter))
        if all(v.lower() in names for v in profile.columns.values()
               if profile is not CANONICAL or v in REQUIRED_COLUMNS):
            return profile
    return None
