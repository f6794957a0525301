"""Operator export profiles: a TOML file per operator format (delimiter, headers, timestamp
format, time zone, status words) and the form its SMSC's message ids are stored in. A new
operator format is a new profile, not new code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard import reference
from dashboard.ingest.files import split_header

CANONICAL_COLUMNS = ("operator", "message_id", "wave_id", "msisdn", "province",
                     "submitted_at", "done_at", "status", "error_code")
REQUIRED_COLUMNS = ("message_id", "msisdn", "submitted_at", "status")
# columns a file may carry or not, in any layout (a profile may name its header): the
# receipt's regency (BPS code or name, issue 18), for compliance per regency. A profile's
# optional column does not decide whether a header matches it.
OPTIONAL_COLUMNS = ("regency",)
SMPP_STATES = ("DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD",
               "ENROUTE", "SCHEDLD")
# message_id_form: the form a receipt's id is stored in, so that it matches the message_id its
# submit_sm_resp gave. as_written: kept as the receipt writes it (the SMPP 3.4 default: ids are
# C strings). decimal: the receipt writes the id in hexadecimal, the submission record holds its
# decimal number (Kannel msg-id-type 0x02, Jasmin dlr_msgid 2). hex / hex_upper: the receipt
# writes a decimal number, the submission record holds it in hexadecimal, lower or upper case
# (Kannel 0x01, Jasmin dlr_msgid 1). Converted ids lose their leading zeros, as in both gateways.
MESSAGE_ID_FORMS = ("as_written", "decimal", "hex", "hex_upper")


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
    message_id_form: str = "as_written"  # one of MESSAGE_ID_FORMS (SMPP receipts)

    @property
    def utc_offset_seconds(self) -> int:
        """The fixed UTC offset of the profile's zone (Indonesia's zones keep no daylight
        saving; a zone that does is refused rather than read wrong half the year)."""
        zone = ZoneInfo(self.timezone)
        offsets = {zone.utcoffset(datetime(2024, month, 1)) for month in (1, 7)}
        if len(offsets) != 1:
            raise ProfileError(f"profile {self.name}: zone {self.timezone} has daylight saving")
        return int(offsets.pop().total_seconds())


def canonical_status_words() -> dict[str, str]:
    """The canonical CSV's status words: the SMPP states as written, then every word SMSCs
    write in an SMPP receipt (reference/smpp_states.csv, the one table SMPP logs read too:
    the long message_state names, their numbers, vendors' words), each with its state. The
    same receipt loads whether it arrives as an SMPP log or as canonical CSV (finding 09: a
    dropped UNDELIVERABLE inflated the delivery rate). An operator profile keeps its own."""
    words = {s: s for s in SMPP_STATES}
    for word, state in reference.smpp_state_words().itertuples(index=False):
        words.setdefault(word, state)
    return words


CANONICAL = Profile(
    name="canonical",
    operator=None,
    columns={c: c for c in (*CANONICAL_COLUMNS, *OPTIONAL_COLUMNS)},
    status_words=canonical_status_words(),
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
    unknown = set(columns) - set(CANONICAL_COLUMNS) - set(OPTIONAL_COLUMNS)
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
    id_form = data.get("message_id_form", "as_written")
    if id_form not in MESSAGE_ID_FORMS:
        raise ProfileError(f"profile {path.name}: message_id_form must be one of "
                           f"{list(MESSAGE_ID_FORMS)}, not {id_form!r}")
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
        message_id_form=id_form,
    )


def match_profile(first_line: str) -> Profile | None:
    """The profile whose headers all appear in this header line (case-insensitive):
    the canonical layout first, then each shipped operator profile with its own delimiter."""
    candidates = [CANONICAL] + [load_profile(name) for name in available_profiles()]
    for profile in candidates:
        names = set(split_header(first_line, profile.delimiter, profile.quote))
        if all(v.lower() in names for k, v in profile.columns.items()
               if k not in OPTIONAL_COLUMNS
               and (profile is not CANONICAL or v in REQUIRED_COLUMNS)):
            return profile
    return None


def smpp_params(profile: Profile | None = None) -> dict[str, object]:
    """The values of stg_receipts_smpp.sql: the state words of reference/smpp_states.csv with
    the SMPP state of each, and the form each receipt's id is stored in. A profile given for
    the file decides the form of every line; otherwise each line's operator picks the shipped
    profile of that operator (by its id, name or brand, as the validation reads the
    operator), and an operator without one keeps its ids as written. When every line gets the
    same form, $smpp_id_form says so and no line looks its operator up."""
    states = reference.smpp_state_words()
    forms: dict[str, str] = {}
    if profile is None:
        spellings = _operator_spellings()
        claimed: dict[str, str] = {}
        for shipped in (load_profile(name) for name in available_profiles()):
            if not shipped.operator:
                continue
            operator = str(shipped.operator).strip().lower()
            if forms.get(operator, shipped.message_id_form) != shipped.message_id_form:
                raise ProfileError(f"profiles {claimed[operator]} and {shipped.name} give "
                                   f"operator {operator} different message_id_form values")
            claimed[operator] = shipped.name
            for spelling in spellings.get(operator, {operator}):
                forms[spelling] = shipped.message_id_form
    if profile is not None:
        every_line: str | None = profile.message_id_form
    elif set(forms.values()) <= {"as_written"}:
        every_line = "as_written"
    else:
        every_line = None
    return {"smpp_state_words": states["word"].tolist(),
            "smpp_state_of_word": states["state"].tolist(),
            "smpp_id_form": every_line,
            "smpp_id_form_operators": list(forms),
            "smpp_id_form_of_operator": list(forms.values())}


def _operator_spellings() -> dict[str, set[str]]:
    """operator id -> its lower-case spellings (id, name, brands): those the validation
    accepts in a receipt's operator field."""
    spellings: dict[str, set[str]] = {}
    for operator, name in reference.operators().itertuples(index=False):
        spellings.setdefault(operator, {operator}).add(name.lower())
    for operator, brand in reference.operator_prefixes()[["operator", "brand"]].itertuples(
            index=False):
        spellings.setdefault(operator, {operator}).add(brand.lower())
    return spellings
