"""An independent reference count of delivery receipts (issue 14, point 5).

Written from the data contract (../shared/DESIGN.md "Input files", "Rules", "Metric
definitions" and the README's Inputs section), with the Python standard library only and
nothing imported from `dashboard`: it reads the same files the dashboard ingests and counts
sent, delivered and the delivery rate per operator and per province, so that a test can hold
the pages' numbers against it. It is meant to be short and plain, not fast.

Data it reads as data (not code): the operator profiles (dashboard/ingest/profiles/*.toml:
delimiter, headers, timestamp format, zone, status words), the province list and its alias
table and the operator list (dashboard/reference/*.csv), which the contract names as the
place those spellings live.

The contract as applied here:
- A file is canonical CSV, an operator export read through the profile whose headers it
  carries (header names case-insensitive, extra columns ignored), or SMPP JSON Lines. Any
  file may be gzip-compressed; a UTF-8 BOM and CRLF line ends are allowed; blank lines are
  not records; a quoted cell may hold the delimiter or a line break.
- A record is rejected only when a field a count needs is unusable: the record cannot be
  read (wrong number of cells, not UTF-8, not JSON), the operator is not one of the four,
  the message id is empty, the wave id is not 1-32 letters, digits, '-' or '_' or looks like
  a phone number, the number is not an Indonesian mobile number, submitted_at is not a date
  and time, done_at is written but not a date and time or lies before submitted_at, or the
  state is not one the format knows. Everything else loads (an unknown province loads with
  no province; an unknown wave id or any error code loads as well).
- One message is (operator, message_id). Of its valid records the one in a final SMPP state
  beats one in an intermediate state (ENROUTE, SCHEDLD); between two of the same kind the
  later done_at wins (a missing done_at is the earliest).
- sent = messages; delivered = messages in DELIVRD; delivery rate = delivered / messages in
  a final state (None when there are none); pending = messages in ENROUTE or SCHEDLD.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROFILE_DIR = ROOT / "dashboard" / "ingest" / "profiles"
REFERENCE_DIR = ROOT / "dashboard" / "reference"

FINAL_STATES = frozenset({"DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN",
                          "REJECTD"})
PENDING_STATES = frozenset({"ENROUTE", "SCHEDLD"})
SMPP_STATES = FINAL_STATES | PENDING_STATES
# SMPP 3.4 section 5.2.28 message_state names, which some SMSCs write in a receipt's stat:
# field instead of the seven-letter receipt states (DESIGN.md: "some write long state names")
LONG_STATE_NAMES = {"DELIVERED": "DELIVRD", "UNDELIVERABLE": "UNDELIV",
                    "ACCEPTED": "ACCEPTD", "REJECTED": "REJECTD"}
CANONICAL_COLUMNS = ("operator", "message_id", "wave_id", "msisdn", "province",
                     "submitted_at", "done_at", "status", "error_code")
WIB = timezone(timedelta(hours=7))
# the zones profiles name; Indonesia keeps no daylight saving, so each is one fixed offset
ZONES = {"Asia/Jakarta": WIB, "Asia/Pontianak": WIB,
         "Asia/Makassar": timezone(timedelta(hours=8)),
         "Asia/Jayapura": timezone(timedelta(hours=9)), "UTC": UTC}
ISO_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?")
WAVE_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
# a wave id is shown as it is, so one that carries a phone number (an 8 and 7 or more digits
# after it, maybe with dashes between) is unusable
PHONE_IN_WAVE_ID = re.compile(r"8(-*[0-9]){7,}")
NUMBER_SEPARATORS = re.compile(r"[ ().-]")
MOBILE_62 = re.compile(r"628[0-9]{7,11}")
# invalid UTF-8 is decoded to lone surrogates (errors="surrogateescape")
NOT_UTF8 = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Layout:
    """How a delimited file is read: canonical (operator None) or an operator profile."""

    name: str
    operator: str | None
    delimiter: str
    quote: str
    timestamp_format: str | None  # None: ISO 8601
    zone: timezone
    columns: dict[str, str]  # canonical column -> header (lower case)
    states: dict[str, str]  # status word (upper case) -> SMPP state


CANONICAL = Layout("canonical", None, ",", '"', None, WIB,
                   {c: c for c in CANONICAL_COLUMNS}, {s: s for s in SMPP_STATES})


def profiles() -> list[Layout]:
    """The operator profiles, read as data."""
    found = []
    for path in sorted(PROFILE_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        words = {k.strip().upper(): v.strip().upper() for k, v in data["status"].items()}
        # choice: a profile's export may also write the SMPP state itself (DELIVRD), the
        # vocabulary every profile maps to
        found.append(Layout(
            path.stem, data.get("operator"), data.get("delimiter", ","),
            data.get("quote", '"'), data.get("timestamp_format"),
            ZONES[data.get("timezone", "Asia/Jakarta")],
            {k: v.strip().lower() for k, v in data["columns"].items()},
            {**{s: s for s in SMPP_STATES}, **words}))
    return found


def read_reference_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def province_key(text: str) -> str:
    """A spelling reduced to lower-case letters and digits, without a 'Prov.'/'Provinsi'."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+\.0{1,2}", text):  # a code a spreadsheet wrote as a float
        text = text.split(".")[0]
    key = re.sub(r"[^a-z0-9]", "", text.lower())
    return re.sub(r"^(provinsi|propinsi|prov|prop)", "", key)


def province_table() -> dict[str, int]:
    """Spelling key -> province code: each province's code, name and short name, and the
    alias table (DESIGN.md: "map them with an alias table")."""
    table: dict[str, int] = {}
    for row in read_reference_csv("provinces.csv"):
        for spelling in (row["code"], row["name"], row["short"]):
            table[province_key(spelling)] = int(row["code"])
    for row in read_reference_csv("province_aliases.csv"):
        table[province_key(row["alias"])] = int(row["code"])
    return table


def operator_table() -> dict[str, str]:
    """Spelling (lower case) -> operator id: the id, the group's name and each brand."""
    table: dict[str, str] = {}
    for row in read_reference_csv("operators.csv"):
        for spelling in (row["operator"], row["name"], row["brand"]):
            table[spelling.strip().lower()] = row["operator"]
    return table


def msisdn_62(text: str | None) -> str | None:
    """A number written +62 / 62 / 0 / 8..., with spaces, dashes, dots or parentheses, as
    62...; None when it is not an Indonesian mobile number."""
    if text is None:
        return None
    digits = NUMBER_SEPARATORS.sub("", text.strip())
    digits = digits.removeprefix("+")
    if not digits.isascii() or not digits.isdigit():
        return None
    if digits.startswith("62"):
        number = digits
    elif digits.startswith("0"):
        number = "62" + digits[1:]
    elif digits.startswith("8"):  # the XL export writes numbers without a prefix
        number = "62" + digits
    else:
        return None
    return number if MOBILE_62.fullmatch(number) else None


def iso_timestamp(text: str) -> datetime | None:
    """ISO 8601 (extended form), with an offset or naive WIB."""
    text = text.strip()
    if not ISO_TIMESTAMP.fullmatch(text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=WIB)


# the strptime fields profiles use, read by one regular expression per format (strptime
# itself was half of this reader's time on the sample)
STRPTIME_FIELDS = {"%Y": r"(?P<Y>\d{4})", "%y": r"(?P<y>\d{2})", "%m": r"(?P<m>\d{1,2})",
                   "%d": r"(?P<d>\d{1,2})", "%H": r"(?P<H>\d{1,2})", "%I": r"(?P<I>\d{1,2})",
                   "%M": r"(?P<M>\d{2})", "%S": r"(?P<S>\d{2})", "%p": r"(?P<p>[AaPp][Mm])"}


@functools.cache
def strptime_pattern(fmt: str) -> re.Pattern:
    parts = re.split(r"(%[a-zA-Z])", fmt)
    return re.compile("".join(STRPTIME_FIELDS[p] if p in STRPTIME_FIELDS else re.escape(p)
                              for p in parts))


def profile_timestamp(text: str, layout: Layout) -> datetime | None:
    """A time in the profile's format and zone."""
    match = strptime_pattern(layout.timestamp_format).fullmatch(text.strip())
    if match is None:
        return None
    f = match.groupdict()
    year = int(f["Y"]) if f.get("Y") else 2000 + int(f["y"])
    hour = int(f["H"]) if f.get("H") else int(f.get("I") or 0)
    if f.get("p"):  # 12-hour clock: 12 AM is midnight, 12 PM noon
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if f["p"].upper() == "PM" else 0)
    try:
        return datetime(year, int(f["m"]), int(f["d"]), hour, int(f.get("M") or 0),
                        int(f.get("S") or 0), tzinfo=layout.zone)
    except ValueError:  # 31 February, hour 25
        return None


def smpp_timestamp(digits: str) -> datetime | None:
    """A receipt date: YYMMDDhhmm or YYMMDDhhmmss, in WIB, as DESIGN.md gives it (the
    dashboard reads more forms: 14 digits, SMPP absolute times; no file here has them)."""
    if not digits.isdigit() or len(digits) not in (10, 12):
        return None
    parts = [int(digits[i:i + 2]) for i in range(0, len(digits), 2)]
    try:
        return datetime(2000 + parts[0], *parts[1:], tzinfo=WIB)
    except ValueError:
        return None


@dataclass
class Record:
    """One record of a file, as the contract reads it; valid when reason is None."""

    operator: str | None = None
    message_id: str | None = None
    wave_id: str | None = None
    msisdn: str | None = None
    province: str | None = None
    submitted_at: datetime | None = None
    done_at: datetime | None = None
    done_written: bool = False
    status: str | None = None
    reason: str | None = None


@dataclass
class Message:
    operator: str
    message_id: str
    province: int | None
    status: str
    done_at: datetime | None
    source: str  # file:record, for messages about ties


@dataclass
class FileCount:
    records: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Reference:
    """Receipts files read in load order; the surviving message of each key; the counts."""

    def __init__(self) -> None:
        self.provinces = province_table()
        self.operators = operator_table()
        self.layouts = [CANONICAL, *profiles()]
        self.messages: dict[tuple[str, str], Message] = {}
        self.files: dict[str, FileCount] = {}
        # ties the contract does not decide: two records of one message, both final (or both
        # not), with the same done_at but a different state or province
        self.undecided: list[str] = []

    # --- reading ------------------------------------------------------------------------

    def read(self, path: Path) -> None:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        # invalid UTF-8 survives as lone surrogates: the record holding them is rejected
        text = raw.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
        count = self.files.setdefault(path.name, FileCount())
        first = text.lstrip()
        records = (self._smpp_records(text) if first.startswith("{")
                   else self._delimited_records(text))
        for number, record in enumerate(records, start=1):
            count.records += 1
            if record.reason is None:
                record.reason = self._judge(record)
            if record.reason is not None:
                count.rejected += 1
                count.reasons[record.reason] += 1
                continue
            self._keep(record, f"{path.name}:{number}")

    def layout_of(self, head: str) -> tuple[Layout, list[str]]:
        """The layout whose headers the header line carries, split by its own delimiter."""
        for layout in self.layouts:
            header = [c.strip().strip(layout.quote).strip().lower()
                      for c in head.split(layout.delimiter)]
            needed = ({"message_id", "msisdn", "submitted_at", "status"}
                      if layout is CANONICAL else set(layout.columns))
            if all(layout.columns[c] in header for c in needed):
                return layout, header
        raise ValueError(f"no receipts layout has the header {head!r}")

    def _delimited_records(self, text: str):
        layout, header = self.layout_of(text.split("\n", 1)[0].rstrip("\r"))
        position = {name: header.index(h) for name, h in layout.columns.items() if h in header}
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter,
                            quotechar=layout.quote, doublequote=True, strict=True)
        next(reader)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:  # bad quoting
                yield Record(reason="bad_quoting")
                continue
            if not cells:  # a blank line is not a record
                continue
            if len(cells) != len(header):
                yield Record(reason="wrong_column_count")
                continue
            if NOT_UTF8.search("".join(cells)):
                yield Record(reason="invalid_utf8")
                continue
            yield self._delimited_record({name: cells[i] for name, i in position.items()},
                                         layout)

    def _delimited_record(self, value: dict[str, str], layout: Layout) -> Record:
        def text(name: str) -> str | None:
            cell = value.get(name, "").strip()
            return cell or None

        record = Record(operator=text("operator") or layout.operator,
                        message_id=text("message_id"), wave_id=text("wave_id"),
                        msisdn=value.get("msisdn"), province=text("province"))
        status = (text("status") or "").upper()
        record.status = layout.states.get(status)
        read = (iso_timestamp if layout.timestamp_format is None
                else lambda t: profile_timestamp(t, layout))
        submitted, done = text("submitted_at"), text("done_at")
        record.submitted_at = read(submitted) if submitted else None
        record.done_written = done is not None
        record.done_at = read(done) if done else None
        return record

    def _smpp_records(self, text: str):
        for line in text.splitlines():
            if not line.strip():
                continue
            if NOT_UTF8.search(line):
                yield Record(reason="invalid_utf8")
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            if not isinstance(entry, dict) or not isinstance(entry.get("receipt"), str):
                yield Record(reason="malformed_json")
                continue
            yield self._smpp_record(entry)

    def _smpp_record(self, entry: dict) -> Record:
        def field_text(name: str) -> str | None:
            value = entry.get(name)
            if value is None or isinstance(value, (dict, list, bool)):
                return None
            return str(value).strip() or None

        receipt = entry["receipt"]
        # 'text:' comes last and is free: keys are read before it, in any case and order
        cut = receipt.lower().find(" text:")
        head = receipt if cut < 0 else receipt[:cut]
        keys: dict[str, str] = {}
        for match in re.finditer(r"(?:^|\s)(id|sub|dlvrd|submit date|done date|stat|err):(\S*)",
                                 head, flags=re.IGNORECASE):
            keys.setdefault(match.group(1).lower(), match.group(2))
        state = keys.get("stat", "").upper()
        record = Record(operator=field_text("operator"), message_id=keys.get("id") or None,
                        wave_id=field_text("wave_id"), msisdn=field_text("msisdn"),
                        province=field_text("region"),
                        status=state if state in SMPP_STATES else LONG_STATE_NAMES.get(state))
        submitted, done = keys.get("submit date"), keys.get("done date")
        record.submitted_at = smpp_timestamp(submitted) if submitted else None
        record.done_written = bool(done)
        record.done_at = smpp_timestamp(done) if done else None
        return record

    # --- the contract -------------------------------------------------------------------

    def _judge(self, record: Record) -> str | None:
        """Why the record cannot be counted, or None."""
        record.operator = self.operators.get((record.operator or "").strip().lower())
        if record.operator is None:
            return "unknown_operator"
        if not record.message_id:
            return "missing_message_id"
        wave = record.wave_id or ""
        if not WAVE_ID.fullmatch(wave) or PHONE_IN_WAVE_ID.search(wave):
            return "bad_wave_id"
        if msisdn_62(record.msisdn) is None:
            return "bad_msisdn"
        # choice: any date that is a date counts (DESIGN.md names no plausible window; the
        # dashboard also rejects submitted_at before 2020 or after 2029, and no file here
        # has one)
        if record.submitted_at is None:
            return "bad_submitted_at"
        if record.done_written and record.done_at is None:
            return "bad_done_at"
        if record.done_at is not None and record.done_at < record.submitted_at:
            return "done_before_submitted"
        if record.status is None:
            return "unknown_status"
        return None

    def _keep(self, record: Record, source: str) -> None:
        province = (self.provinces.get(province_key(record.province))
                    if record.province else None)  # unknown: loads without a province
        new = Message(record.operator, record.message_id, province, record.status,
                      record.done_at, source)
        key = (new.operator, new.message_id)
        old = self.messages.get(key)
        if old is None or _rank(new) > _rank(old):
            self.messages[key] = new
        elif _rank(new) == _rank(old) and (new.status, new.province) != (old.status,
                                                                           old.province):
            # choice: the first record read stays (DESIGN.md does not order equal states;
            # the corpus test asserts there are none, the sample has one that both readers
            # decide alike: see tests/test_truth_receipts.py)
            self.undecided.append(f"{old.source} and {source}")

    # --- the numbers --------------------------------------------------------------------

    def by(self, dimension: str) -> dict[object, dict[str, object]]:
        """sent, delivered, delivery_rate, pending per 'operator' or 'province' (None =
        unknown)."""
        counts: dict[object, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for message in self.messages.values():
            row = counts[getattr(message, dimension)]
            row[0] += 1
            row[1] += message.status == "DELIVRD"
            row[2] += message.status in FINAL_STATES
            row[3] += message.status in PENDING_STATES
        return {key: {"sent": sent, "delivered": delivered,
                      "delivery_rate": delivered / final if final else None,
                      "pending": pending}
                for key, (sent, delivered, final, pending) in counts.items()}


def _rank(message: Message) -> tuple[bool, datetime]:
    """A final state beats an intermediate one; then the later done_at (none = earliest)."""
    earliest = datetime.min.replace(tzinfo=UTC)
    return (message.status in FINAL_STATES, message.done_at or earliest)


def count_receipts(paths: list[Path]) -> Reference:
    """Read receipts files in the order given (the order they are loaded in)."""
    reference = Reference()
    for path in paths:
        reference.read(path)
    return reference
