"""Fuzzing every ingest reader with hypothesis: random files and mutated valid files.

Readers: canonical receipts CSV, each operator profile, SMPP JSON Lines, gzip input and the
tabular kinds (waves, election, survey, hoax). For every file: ingest_file never raises (a
file it cannot read is a "failed" result that changes no data); every row is loaded, set aside
as duplicate/superseded, or rejected with a reason, the counts add up to the rows the file
holds and to what the tables gained; a second ingest of the same file changes nothing.
Examples are derandomized, so CI sees the same files on every run.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from dashboard import reference
from dashboard.ingest import KINDS, IngestResult, ingest_file
from dashboard.ingest.profiles import CANONICAL_COLUMNS, SMPP_STATES, load_profile
from dashboard.ingest.tabular import CHANNELS, KIND_COLUMNS
from dashboard.store import db
from tests.conftest import HEADER, receipt

# PEMILU_FUZZ_SCALE=N: N times the examples, random ones, for a longer local hunt; by default
# the examples are derandomized so CI sees the same files on every run.
SCALE = int(os.environ.get("PEMILU_FUZZ_SCALE", "1"))
FUZZ = settings(deadline=None, derandomize=SCALE == 1, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])
OPERATORS = ("telkomsel", "indosat", "xl", "smartfren")
STORED = {"receipts": "receipts", "waves": "waves", "election": "election_results",
          "survey": "survey_responses", "hoax": "hoax_reports"}
WATCHED = (*STORED.values(), "rejects", "receipt_counts", "latency_histogram", "reach_slots",
           "reach_recipients", "reach_cells", "election_warnings")
REASON = re.compile(r"[a-z][a-z0-9_]*(: |$)")  # a reason code, then what is wrong
HEAD_BYTES = 1 << 16  # what files.inspect reads before it trusts a file


# --- the properties ----------------------------------------------------------------------------

def table_sizes(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608
            for t in WATCHED}  # names from the fixed tuple above


def table_contents(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)  # noqa: S608
            for t in (*WATCHED, "ingest_log")}  # names from the fixed tuple above


def physical_lines(data: bytes) -> int:
    """The most lines any reader can see: CR, LF and CRLF each end one."""
    return len(re.split(rb"\r\n|\r|\n", data))


def check_ingest(conn: duckdb.DuckDBPyConnection, path: Path, *, kind: str | None = None,
                 rows: int | None = None, rows_between: tuple[int, int] | None = None,
                 must_load: bool = False, max_line: int | None = None) -> IngestResult:
    """Ingest a file twice and check the accounting; returns the first result."""
    before = table_sizes(conn)
    result = ingest_file(conn, path, kind=kind)  # must not raise, whatever the file holds
    assert isinstance(result, IngestResult)
    if currently_in_test_context():  # see pytest --hypothesis-show-statistics
        why = re.sub(r"\d+|'.*|\(.*", "", result.message.removeprefix(path.name + ": "))[:60]
        event(f"{result.kind}: {result.outcome}" + (f" ({why})" if result.outcome == "failed"
                                                     else ""))
    after = table_sizes(conn)
    logged = conn.execute(
        "SELECT outcome, rows_read, loaded, duplicate, superseded, rejected, replaced "
        "FROM ingest_log WHERE ingest_id = $id", {"id": result.ingest_id}).fetchall()
    if result.outcome == "failed":
        assert not must_load, result.message
        assert path.name in result.message
        assert after == before, "a refused file changed stored data"
        assert logged == [("failed", 0, 0, 0, 0, 0, 0)]
    else:
        assert result.outcome == "loaded", result.message
        c = result.counts
        assert min(asdict(c).values()) >= 0, c
        assert c.rows_read == c.loaded + c.duplicate + c.superseded + c.rejected, c
        if rows is not None:
            assert c.rows_read == rows, (c, rows)
        if rows_between is not None:
            assert rows_between[0] <= c.rows_read <= rows_between[1], (c, rows_between)
        table = STORED[result.kind]
        assert after[table] - before[table] == c.loaded - c.replaced, (c, before, after)
        assert after["rejects"] - before["rejects"] == c.rejected, (c, before, after)
        assert logged == [("loaded", c.rows_read, c.loaded, c.duplicate, c.superseded,
                           c.rejected, c.replaced)]
        for line, reason in conn.execute("SELECT line, reason FROM rejects WHERE ingest_id = $id",
                                         {"id": result.ingest_id}).fetchall():
            assert REASON.match(reason), reason
            assert line is not None and line >= 1, (line, reason)
            assert max_line is None or line <= max_line, (line, max_line, reason)

    snapshot = table_contents(conn)
    again = ingest_file(conn, path, kind=kind)
    now = table_contents(conn)
    if result.outcome == "loaded":
        assert (again.outcome, again.ingest_id) == ("already_loaded", result.ingest_id)
        assert now == snapshot
    else:
        assert (again.outcome, again.message) == ("failed", result.message)
        assert {t: v for t, v in now.items() if t != "ingest_log"} == \
            {t: v for t, v in snapshot.items() if t != "ingest_log"}
        assert len(now["ingest_log"]) == len(snapshot["ingest_log"]) + 1
    return result


@contextmanager
def fresh_database() -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """An in-memory database and a scratch folder per example (pytest's tmp_path is per test,
    not per hypothesis example)."""
    conn = db.memory_connection()
    folder = tempfile.TemporaryDirectory(prefix="fuzz-ingest-")
    try:
        yield conn, Path(folder.name)
    finally:
        conn.close()
        folder.cleanup()


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# --- valid files: layouts and rows -------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """How one reader's rows become lines."""
    name: str
    kind: str | None  # None: let ingest detect it from the header
    fields: tuple[str, ...]  # the cells of a row that mutations may change
    header: str | None  # None: no header line (JSON Lines)
    render: Callable[[dict[str, str]], str]
    forbidden: str  # characters that would split a cell or a line
    key: str  # the cell that identifies a row
    dates: tuple[str, ...]
    date_format: str
    free: str  # a cell that may hold a long text and keep the row valid
    bom: bool = False
    crlf: bool = False


@dataclass(frozen=True)
class Base:
    layout: Layout
    rows: tuple[dict[str, str], ...]


def encode(layout: Layout, rows: list[dict[str, str]] | tuple[dict[str, str], ...]) -> bytes:
    end = "\r\n" if layout.crlf else "\n"
    lines = ([layout.header] if layout.header is not None else []) + [layout.render(r)
                                                                      for r in rows]
    text = ("\ufeff" if layout.bom else "") + end.join(lines) + (end if lines else "")
    return text.encode("utf-8")


def delimited_layout(name: str, columns: dict[str, str], delimiter: str, date_format: str,
                     order: list[str], extra: bool, quote_all: bool, bom: bool, crlf: bool
                     ) -> Layout:
    """A receipts export: `columns` maps canonical column -> header text."""
    wrap = (lambda cell: f'"{cell}"') if quote_all else (lambda cell: cell)
    header = delimiter.join(wrap(columns[c]) for c in order) + (
        delimiter + wrap("Extra") if extra else "")

    def render(row: dict[str, str]) -> str:
        return delimiter.join(wrap(row[c]) for c in order) + (
            delimiter + wrap("x") if extra else "")

    return Layout(name, None, tuple(order), header, render, delimiter + '"\r\n\x00',
                  "message_id", ("submitted_at", "done_at"), date_format, "message_id", bom,
                  crlf)


RECEIPT_FIELDS = st.fixed_dictionaries({
    "message_id": st.sampled_from([f"M{i}" for i in range(1, 7)]),  # repeats: merge paths
    "wave_id": st.sampled_from([f"SMS{i:02d}" for i in range(1, 11)]),
    "number": st.integers(10**7, 10**8 - 1),
    "spelling": st.sampled_from(["0{}", "62{}", "+62 {}", "{}"]),
    "province": st.sampled_from(["32", "JAWA BARAT", "Jabar", "Prov. Jawa Tengah", "11",
                                 "Aceh", "DKI Jakarta", "LUAR NEGERI", ""]),
    "submitted": st.datetimes(datetime(2023, 12, 1), datetime(2024, 2, 10)),
    "latency": st.none() | st.integers(0, 3 * 86400),
    "status": st.sampled_from(SMPP_STATES),
    "lower": st.booleans(),
    "error": st.sampled_from(["000", "027", "6", ""]),
})
PREFIX = {"telkomsel": "812", "indosat": "856", "xl": "817", "smartfren": "881"}


def receipt_cells(f: dict, operator: str, date_format: str, words: dict[str, str]
                  ) -> dict[str, str]:
    submitted = f["submitted"].replace(microsecond=0)
    done = "" if f["latency"] is None else (
        submitted + timedelta(seconds=f["latency"])).strftime(date_format)
    status = words.get(f["status"], f["status"])
    return {"operator": operator, "message_id": f["message_id"], "wave_id": f["wave_id"],
            "msisdn": f["spelling"].format(PREFIX[operator] + str(f["number"])),
            "province": f["province"], "submitted_at": submitted.strftime(date_format),
            "done_at": done, "status": status.lower() if f["lower"] else status,
            "error_code": f["error"]}


@st.composite
def canonical_bases(draw) -> Base:
    # province, done_at and error_code may be left out and every row stays valid
    dropped = draw(st.sets(st.sampled_from(["province", "done_at", "error_code"])))
    order = [c for c in draw(st.permutations(CANONICAL_COLUMNS)) if c not in dropped]
    layout = delimited_layout("canonical", {c: c for c in CANONICAL_COLUMNS}, ",",
                              "%Y-%m-%d %H:%M:%S", order, draw(st.booleans()),
                              draw(st.booleans()), draw(st.booleans()), draw(st.booleans()))
    rows = draw(st.lists(st.tuples(st.sampled_from(OPERATORS), RECEIPT_FIELDS), max_size=7))
    return Base(layout, tuple(receipt_cells(f, op, layout.date_format, {}) for op, f in rows))


@st.composite
def profile_bases(draw, operator: str) -> Base:
    profile = load_profile(operator)
    words = {state: word for word, state in profile.status_words.items() if word != state}
    order = draw(st.permutations(list(profile.columns)))
    layout = delimited_layout(operator, profile.columns, profile.delimiter,
                              profile.timestamp_format, order, draw(st.booleans()),
                              draw(st.booleans()), draw(st.booleans()), draw(st.booleans()))
    rows = draw(st.lists(RECEIPT_FIELDS, max_size=7))
    return Base(layout, tuple(receipt_cells(f, operator, profile.timestamp_format, words)
                              for f in rows))


SMPP_FIELDS = ("operator", "msisdn", "region", "wave_id", "id", "submit", "done", "stat", "err",
               "text")


def smpp_render(ascii_only: bool) -> Callable[[dict[str, str]], str]:
    def render(row: dict[str, str]) -> str:
        receipt_text = (f"id:{row['id']} sub:001 dlvrd:001 submit date:{row['submit']} "
                        f"done date:{row['done']} stat:{row['stat']} err:{row['err']} "
                        f"text:{row['text']}")
        return json.dumps({"operator": row["operator"], "msisdn": row["msisdn"],
                           "region": row["region"], "wave_id": row["wave_id"],
                           "receipt": receipt_text}, ensure_ascii=ascii_only)
    return render


@st.composite
def smpp_bases(draw) -> Base:
    layout = Layout("smpp", None, SMPP_FIELDS, None, smpp_render(draw(st.booleans())), "",
                    "id", ("submit", "done"), "%y%m%d%H%M%S", "text",
                    bom=draw(st.booleans()), crlf=draw(st.booleans()))
    rows = []
    for operator, f in draw(st.lists(st.tuples(st.sampled_from(OPERATORS), RECEIPT_FIELDS),
                                     min_size=1, max_size=7)):
        submitted = f["submitted"].replace(microsecond=0)
        done = submitted + timedelta(seconds=f["latency"] or 0)
        rows.append({"operator": operator, "msisdn": "62" + PREFIX[operator] + str(f["number"]),
                     "region": f["province"], "wave_id": f["wave_id"], "id": f["message_id"],
                     "submit": submitted.strftime("%y%m%d%H%M" if f["lower"] else
                                                  "%y%m%d%H%M%S"),
                     "done": done.strftime("%y%m%d%H%M%S"), "stat": f["status"],
                     "err": f["error"] or "000", "text": "Pemilu Damai"})
    return Base(layout, tuple(rows))


def csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def tabular_layout(kind: str, order: list[str], key: str, dates: tuple[str, ...], free: str,
                   crlf: bool, bom: bool) -> Layout:
    return Layout(kind, kind, tuple(order), ",".join(order),
                  lambda row: csv_line([row[c] for c in order]), "\r\n\x00", key, dates,
                  "%Y-%m-%d", free, bom, crlf)


SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=24)
DAYS = st.dates(date(2023, 9, 1), date(2024, 12, 31)).map(date.isoformat)
PROVINCE_NAMES = {int(code): name for code, name in
                  reference.provinces()[["province_code", "name"]].itertuples(index=False)}


@st.composite
def waves_bases(draw) -> Base:
    ids = draw(st.lists(st.sampled_from([f"SMS{i:02d}" for i in range(1, 11)]
                                        + ["SB01", "SB02", "WA01", "WA02"]),
                        unique=True, max_size=6))
    rows = tuple({"wave_id": wave, "channel": draw(st.sampled_from([*CHANNELS, "SMS"])),
                  "sent_date": draw(DAYS), "theme": draw(st.sampled_from(["turnout", ""])),
                  "message_text": draw(SAFE_TEXT)} for wave in ids)
    layout = tabular_layout("waves", draw(st.permutations(KIND_COLUMNS["waves"])), "wave_id",
                            ("sent_date",), "message_text", draw(st.booleans()),
                            draw(st.booleans()))
    return Base(layout, rows)


@st.composite
def election_bases(draw) -> Base:
    pairs = draw(st.lists(st.tuples(st.sampled_from([2014, 2019, 2024]),
                                    st.sampled_from(sorted(PROVINCE_NAMES))),
                          unique=True, max_size=6))
    rows = []
    for year, code in pairs:
        if year < 2022 and code > 92:  # provinces created in 2022 have no earlier results
            year = 2024
            if (year, code) in {(int(r["year"]), c) for r, c in rows}:
                continue
        dpt = draw(st.integers(1, 10**8))
        ballots = draw(st.integers(0, dpt))
        invalid = draw(st.integers(0, ballots))
        rows.append(({"year": str(year),
                      "province": draw(st.sampled_from([str(code), PROVINCE_NAMES[code]])),
                      "dpt": str(dpt), "ballots_cast": str(ballots),
                      "valid_votes": str(ballots - invalid), "invalid_votes": str(invalid),
                      "source": "KPU+synthetic"}, code))
    layout = tabular_layout("election", draw(st.permutations(KIND_COLUMNS["election"])),
                            "province", ("year",), "source", draw(st.booleans()),
                            draw(st.booleans()))
    return Base(layout, tuple(r for r, _ in rows))


SURVEY_ANSWERS = {
    "age_group": ["17-24", "25-34", "55+"], "gender": ["female", "Laki-laki"],
    "urban_rural": ["urban", "perdesaan"], "operator": ["telkomsel", "Tri", "axis", ""],
    "received_sms": ["yes", "tidak", "1", ""], "recalled_theme": ["anti_hoax", ""],
    "voted": ["yes", "no", ""], "knows_valid_ballot": ["Don't know", "ya"],
    "saw_hoax": ["0", "no"], "believed_hoax": ["", "tidak_tahu"],
}


@st.composite
def survey_bases(draw) -> Base:
    count = draw(st.integers(0, 6))
    rows = tuple({"respondent_id": f"R{i}", "interview_date": draw(DAYS),
                  "province": draw(st.sampled_from(list(PROVINCE_NAMES.values()))),
                  **{c: draw(st.sampled_from(v)) for c, v in SURVEY_ANSWERS.items()},
                  "weight": str(draw(st.floats(0.01, 50)))} for i in range(count))
    layout = tabular_layout("survey", draw(st.permutations(KIND_COLUMNS["survey"])),
                            "respondent_id", ("interview_date",), "recalled_theme",
                            draw(st.booleans()), draw(st.booleans()))
    return Base(layout, rows)


@st.composite
def hoax_bases(draw) -> Base:
    count = draw(st.integers(0, 6))
    rows = []
    for i in range(count):
        content = draw(st.integers(0, 5000))
        rows.append({"hoax_id": f"HX-{i}", "identified_date": draw(DAYS),
                     "title": draw(SAFE_TEXT.filter(str.strip)),
                     "category": draw(st.sampled_from(["Politik", ""])),
                     "election_related": draw(st.sampled_from(["yes", "no", "Ya", "0"])),
                     "theme": draw(st.sampled_from(["sara", "", "Vote Buying"])),
                     "platforms": draw(st.sampled_from(["Facebook", "twitter;TikTok", "wa; ig",
                                                        "Friendster"])),
                     "content_items": str(content),
                     "taken_down": draw(st.sampled_from(["", str(content // 2)])),
                     "province": draw(st.sampled_from(["", "Papua", "32", "Atlantis"])),
                     "source_url": "https://x.test/" + str(i)})
    layout = tabular_layout("hoax", draw(st.permutations(KIND_COLUMNS["hoax"])), "hoax_id",
                            ("identified_date",), "source_url", draw(st.booleans()),
                            draw(st.booleans()))
    return Base(layout, tuple(rows))


BASES: dict[str, Callable[[], st.SearchStrategy[Base]]] = {
    "canonical": canonical_bases, "smpp": smpp_bases, "waves": waves_bases,
    "election": election_bases, "survey": survey_bases, "hoax": hoax_bases,
    **{op: (lambda op=op: profile_bases(op)) for op in OPERATORS},
}


# --- mutations ---------------------------------------------------------------------------------

INDEX = st.integers(0, 63)  # taken modulo the number of rows or cells
# around the inspected head (64 KiB), the csv module's field limit (128 KiB) and DuckDB's
# maximum line size (2 MiB); 70_000 twice so it is drawn more often
LONG_SIZES = [300, 5_000, 70_000, 140_000, 70_000, 2_200_000]
ODD_CELLS = [
    "", " ", "  padded  ", "\u200b", "\ufeff", "\u202eevil", "e\u0301", "🙂", "\U0010ffff",
    "ﬀ", "İ", "ß", "\u2028", "\u0085", "\x0b", "\x0c", "\x1f", "\t", "NULL", "null", "NaN",
    "None", "N/A", "-", "0", "-1", "+5", "-0", "1e309", "1e400", "٣", "Ⅻ", "0x1F", "'", "\\",
    "%s", "$1", "{}", "[]", '""', "2147483648", "9223372036854775808", "9" * 30, "-" + "9" * 25,
]
ODD_DATES = [
    "", "yesterday", "2023-02-29 10:00:00", "2024-02-29 10:00:00", "2023-12-05 25:61:61",
    "0001-01-01 00:00:00", "9999-12-31 23:59:59", "infinity", "-infinity",
    "290309-12-22 (BC) 00:00:00", "294247-01-10 04:00:54", "2023-12-05T10:00:00+14:00",
    "2023-12-05 10:00:00 +07", "2023-12-05T03:00:00Z", "20231205100000", "05/12/2023 10:00:00",
    "12/05/2023 10:00:00 AM", "2312051000", "1701770400", "epoch", "now", "today", "2023-12-05",
    "10:00:00", "2023-12-05 10:00:00.123456789", "1999-12-31", "2100-01-01",
]
LINE_OPS = st.one_of(
    st.tuples(st.just("delete"), INDEX),
    st.tuples(st.just("duplicate"), INDEX),
    st.tuples(st.just("swap"), INDEX, INDEX),
    st.tuples(st.just("blank"), INDEX, INDEX),
    st.tuples(st.just("long"), INDEX, INDEX, st.sampled_from(LONG_SIZES),
              st.sampled_from(["x", "9", "é", "🙂", " ", ","])),
    st.tuples(st.just("odd"), INDEX, INDEX,
              st.sampled_from(ODD_CELLS) | st.text(max_size=12)
              | st.integers(-(10**30), 10**30).map(str)),
    st.tuples(st.just("date"), INDEX, INDEX,
              st.sampled_from(ODD_DATES) | st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31))),
    st.tuples(st.just("same_key"), INDEX, INDEX),
)
INSERTS = [b",", b";", b"\t", b"|", b'"', b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xc3",
           b"\xef\xbb\xbf", b"{", b"}", b"\x1f", b"\\", b"\n\n"]
BYTE_OPS = st.one_of(
    st.tuples(st.just("truncate"), st.integers(0, 2**20)),
    st.tuples(st.just("flip"), st.integers(0, 2**20), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, 2**20),
              st.sampled_from(INSERTS) | st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("delete"), st.integers(0, 2**20)),
)


def apply_line_ops(base: Base, ops: list[tuple]) -> list[dict[str, str]]:
    """Mutations that keep every row on its own line (the row count stays known)."""
    layout, rows = base.layout, [dict(r) for r in base.rows]

    def clean(text: str) -> str:
        return "".join(ch for ch in text if ch not in layout.forbidden)

    for op, *args in ops:
        if not rows:
            break
        i = args[0] % len(rows)
        field = layout.fields[args[1] % len(layout.fields)] if len(args) > 1 else None
        if op == "delete":
            del rows[i]
        elif op == "duplicate":
            rows.insert(i, dict(rows[i]))
        elif op == "swap":
            j = args[1] % len(rows)
            rows[i], rows[j] = rows[j], rows[i]
        elif op == "blank":
            rows[i][field] = ""
        elif op == "long":
            rows[i][field] = clean(args[3]) * args[2]
        elif op == "odd":
            rows[i][field] = clean(args[2])
        elif op == "date":
            value = args[2]
            text = value if isinstance(value, str) else value.strftime(layout.date_format)
            rows[i][layout.dates[args[1] % len(layout.dates)]] = clean(text)
        elif op == "same_key":
            rows[i][layout.key] = rows[args[1] % len(rows)][layout.key]
    return rows


def apply_byte_ops(data: bytes, ops: list[tuple]) -> bytes:
    """Mutations of the bytes: they may break lines, quoting and encoding anywhere."""
    for op, *args in ops:
        at = args[0] % (len(data) + 1)
        if op == "truncate":
            data = data[:at]
        elif op == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ args[1]]) + data[at + 1:]
        elif op == "insert":
            data = data[:at] + args[1] + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + 1:]
    return data


def pad(base: Base) -> Base:
    """The same rows with a long but valid first row: the file is larger than the head that
    files.inspect reads first, so damage may lie beyond it."""
    if not base.rows:
        return base
    first = {**base.rows[0], base.layout.free: "p" * (HEAD_BYTES + 10)}
    return replace(base, rows=(first, *base.rows[1:]))


def gzip_members(data: bytes, cut: int) -> bytes:
    """data as two concatenated gzip members (valid gzip; some tools read only the first),
    split after a line."""
    breaks = [m.end() for m in re.finditer(rb"\n", data)]
    at = breaks[cut % len(breaks)] if breaks else len(data)
    return gzip.compress(data[:at], mtime=0) + gzip.compress(data[at:], mtime=0)


# --- 1. mutated valid files --------------------------------------------------------------------

REORDERING = {"delete", "duplicate", "swap", "same_key"}  # line ops that keep rows valid


def check_mutated(base: Base, line_ops: list[tuple], byte_ops: list[tuple],
                  stored_first: bool) -> None:
    """A receipts file built from valid rows, then mutated, ingested into a fresh database
    (or one that already holds the unmutated file, to reach the merge with stored states)."""
    rows = apply_line_ops(base, line_ops)
    data = apply_byte_ops(encode(base.layout, rows), byte_ops)
    suffix = ".jsonl" if base.layout.header is None else ".csv"
    intact = not byte_ops
    with fresh_database() as (conn, folder):
        original = encode(base.layout, base.rows)
        stored_first = stored_first and original != data
        if stored_first:
            check_ingest(conn, put(folder, "stored" + suffix, original),
                         must_load=bool(base.rows) or base.layout.header is not None)
        result = check_ingest(
            conn, put(folder, "mutated" + suffix, data), kind=base.layout.kind,
            rows=len(rows) if intact else None,
            must_load=intact and (bool(rows) or base.layout.header is not None),
            max_line=physical_lines(data))
    if intact and all(op[0] in REORDERING for op in line_ops) and result.outcome == "loaded":
        # valid rows, repeated or reordered: nothing rejected, one row kept per message
        assert result.counts.rejected == 0, result.counts
        if not stored_first:
            messages = {(r["operator"], r[base.layout.key]) for r in rows}
            assert result.counts.loaded == len(messages), (result.counts, messages)


MUTATED = settings(FUZZ, max_examples=14 * SCALE)


@MUTATED
@given(base=canonical_bases(), line_ops=st.lists(LINE_OPS, max_size=4),
       byte_ops=st.lists(BYTE_OPS, max_size=2), stored_first=st.booleans())
def test_mutated_canonical_receipts_are_accounted_for(base, line_ops, byte_ops, stored_first):
    check_mutated(base, line_ops, byte_ops, stored_first)


@pytest.mark.parametrize("operator", OPERATORS)
@settings(FUZZ, max_examples=8 * SCALE)
@given(data=st.data(), line_ops=st.lists(LINE_OPS, max_size=4),
       byte_ops=st.lists(BYTE_OPS, max_size=2), stored_first=st.booleans())
def test_mutated_operator_exports_are_accounted_for(operator, data, line_ops, byte_ops,
                                                    stored_first):
    check_mutated(data.draw(profile_bases(operator)), line_ops, byte_ops, stored_first)


@MUTATED
@given(base=smpp_bases(), line_ops=st.lists(LINE_OPS, max_size=4),
       byte_ops=st.lists(BYTE_OPS, max_size=2), stored_first=st.booleans())
def test_mutated_smpp_logs_are_accounted_for(base, line_ops, byte_ops, stored_first):
    check_mutated(base, line_ops, byte_ops, stored_first)


TABULAR = {"waves": waves_bases, "election": election_bases, "survey": survey_bases,
           "hoax": hoax_bases}


@pytest.mark.parametrize("kind", list(TABULAR))
@settings(FUZZ, max_examples=10 * SCALE)
@given(data=st.data(), line_ops=st.lists(LINE_OPS, max_size=4),
       byte_ops=st.lists(BYTE_OPS, max_size=2), detect=st.booleans())
def test_mutated_tabular_files_are_accounted_for(kind, data, line_ops, byte_ops, detect):
    base = data.draw(TABULAR[kind]())
    if detect:
        base = replace(base, layout=replace(base.layout, kind=None))
    rows = apply_line_ops(base, line_ops)
    plain = apply_byte_ops(encode(base.layout, rows), byte_ops)
    intact = not byte_ops
    with fresh_database() as (conn, folder):
        result = check_ingest(conn, put(folder, f"{kind}.csv", plain), kind=base.layout.kind,
                              rows=len(rows) if intact else tabular_rows(plain),
                              must_load=intact, max_line=physical_lines(plain))
    if intact and all(op[0] in REORDERING for op in line_ops):
        # valid rows, repeated or reordered: the first row of each key is loaded
        assert result.counts.loaded == len({tabular_key(kind, r) for r in rows}), result.counts


def tabular_key(kind: str, row: dict[str, str]) -> tuple:
    if kind == "election":  # a province may be spelled by name or by code
        return row["year"], reference.province_code(row["province"])
    return (row[{"waves": "wave_id", "survey": "respondent_id", "hoax": "hoax_id"}[kind]],)


def tabular_rows(data: bytes) -> int:
    """Records of a tabular file after the header, as RFC 4180 counts them: LF ends a record
    unless a quoted cell is open (each quote toggles, so "" toggles twice); a line of white
    space only, outside a quoted cell, is blank."""
    rows, quoted = 0, False
    for line in data.split(b"\n")[1:]:
        if not quoted and not line.strip():
            continue
        rows += not quoted
        quoted ^= line.count(b'"') % 2 == 1
    return rows


@settings(FUZZ, max_examples=24 * SCALE)
@given(data=st.data(), reader=st.sampled_from(sorted(BASES)), large=st.booleans(),
       members=st.none() | INDEX, damage=st.lists(BYTE_OPS, max_size=2),
       line_ops=st.lists(LINE_OPS, max_size=2))
def test_gzip_input_is_accounted_for(data, reader, large, members, damage, line_ops):
    base = data.draw(BASES[reader]())
    if large:
        base = pad(base)
    rows = apply_line_ops(base, line_ops)
    plain = encode(base.layout, rows)
    packed = gzip.compress(plain, mtime=0) if members is None else gzip_members(plain, members)
    packed = apply_byte_ops(packed, damage)
    intact = packed == gzip.compress(plain, mtime=0) or (members is not None and not damage)
    expected = len(rows) if base.layout.kind is None else tabular_rows(plain)
    with fresh_database() as (conn, folder):
        check_ingest(conn, put(folder, f"{reader}.gz", packed), kind=base.layout.kind,
                     rows=expected if intact else None,
                     must_load=intact and (bool(rows) or base.layout.header is not None),
                     max_line=physical_lines(plain) if intact else None)


# --- 2. random files ---------------------------------------------------------------------------

RANDOM_LINE = st.one_of(
    st.text(max_size=60).map(lambda t: t.encode("utf-8")),
    st.binary(max_size=60),
    st.just(b""),
    st.sampled_from([b",,,,,,,,", b";;;;;;;;", b"\t\t\t\t", b"||||||||", b" ", b'"', b'""',
                     b"{}", b"[]", b"null", b'{"receipt": 1}', b"\x1f"]),
)


def safe_line(line: bytes, delimiter_quote: bool) -> bool:
    """A line that stays one record for every reader: no line break, no NUL and (for a
    quoting reader) no quote."""
    return not (set(line) & set(b"\r\n\x00" + (b'"' if delimiter_quote else b"")))


@MUTATED
@given(lines=st.lists(RANDOM_LINE, max_size=8), crlf=st.booleans())
def test_random_lines_under_a_receipts_header(lines, crlf):
    end = b"\r\n" if crlf else b"\n"
    data = end.join([HEADER.encode(), *lines]) + end
    safe = all(safe_line(line, True) for line in lines)
    with fresh_database() as (conn, folder):
        check_ingest(conn, put(folder, "random.csv", data),
                     rows=sum(1 for line in lines if line) if safe else None,
                     must_load=safe, max_line=physical_lines(data))


@pytest.mark.parametrize("operator", OPERATORS)
@settings(FUZZ, max_examples=6 * SCALE)
@given(data=st.data(), lines=st.lists(RANDOM_LINE, max_size=8))
def test_random_lines_under_an_operator_header(operator, data, lines):
    header = data.draw(profile_bases(operator)).layout.header.encode()
    body = b"\n".join([header, *lines]) + b"\n"
    safe = all(safe_line(line, True) for line in lines)
    with fresh_database() as (conn, folder):
        check_ingest(conn, put(folder, f"{operator}.txt", body),
                     rows=sum(1 for line in lines if line) if safe else None,
                     must_load=safe, max_line=physical_lines(body))


@MUTATED
@given(first=st.sampled_from([b"{", b'{"receipt": "id:1"}']) | smpp_bases().map(
           lambda b: encode(b.layout, b.rows[:1]).rstrip(b"\r\n")),
       lines=st.lists(RANDOM_LINE, max_size=8))
def test_random_lines_in_an_smpp_log(first, lines):
    data = b"\n".join([first, *lines]) + b"\n"
    safe = all(safe_line(line, False) for line in lines)
    texts = [first, *lines]
    # a blank or space-only line is not a row; which other spaces DuckDB trims is its affair
    fewest = sum(1 for t in texts if t.decode("utf-8", "replace").strip())
    most = sum(1 for t in texts if t.strip(b" "))
    with fresh_database() as (conn, folder):
        check_ingest(conn, put(folder, "random.jsonl", data),
                     rows_between=(fewest, most) if safe else None,
                     must_load=safe, max_line=physical_lines(data))


@pytest.mark.parametrize("kind", list(TABULAR))
@settings(FUZZ, max_examples=8 * SCALE)
@given(lines=st.lists(RANDOM_LINE, max_size=8), crlf=st.booleans(), detect=st.booleans())
@example(lines=[b"a,b\rc"], crlf=False, detect=False)  # crashed: bare CR raised csv.Error
def test_random_lines_under_a_tabular_header(kind, lines, crlf, detect):
    end = b"\r\n" if crlf else b"\n"
    data = end.join([",".join(KIND_COLUMNS[kind]).encode(), *lines]) + end
    with fresh_database() as (conn, folder):
        check_ingest(conn, put(folder, f"{kind}.csv", data), kind=None if detect else kind,
                     rows=tabular_rows(data), must_load=b"\x00" not in data[:HEAD_BYTES],
                     max_line=physical_lines(data))


@settings(FUZZ, max_examples=30 * SCALE)
@given(data=st.binary(max_size=400) | st.text(max_size=200).map(str.encode),
       kind=st.sampled_from([None, *KINDS]), packing=st.sampled_from(["none", "gzip", "magic"]))
def test_arbitrary_bytes_never_crash_ingest(data, kind, packing):
    if packing == "gzip":
        data = gzip.compress(data, mtime=0)
    elif packing == "magic":  # looks like gzip, is not
        data = b"\x1f\x8b" + data
    with fresh_database() as (conn, folder):
        check_ingest(conn, put(folder, "upload.bin", data), kind=kind)


# --- regressions found by the fuzzing above ----------------------------------------------------

WAVES = "wave_id,channel,sent_date,theme,message_text"
HOAX = ",".join(KIND_COLUMNS["hoax"])


def hoax_row(content_items: str) -> str:
    return f"H1,2024-02-14,Judul,Politik,yes,,Facebook,{content_items},,,https://x.test/1"


@pytest.mark.parametrize(("case", "data", "gz", "expected"), [
    # (case, file bytes, gzip them, (rows_read, loaded, rejected, first reason code))
    ("bare CR inside a waves line", f"{WAVES}\nSMS01,sms,2023-12-04,t,a\rb\nSMS02,sms,"
     "2023-12-11,t,ok\n".encode(), False, (2, 1, 1, "bad_line_break")),
    ("waves cell above the csv field limit", f"{WAVES}\nSMS01,sms,2023-12-04,t,{'x' * 140_000}"
     "\nSMS02,sms,2023-12-11,t,ok\n".encode(), False, (2, 1, 1, "line_too_long")),
    ("hoax count above INTEGER", f"{HOAX}\n{hoax_row('2147483648')}\n".encode(), False,
     (1, 0, 1, "bad_content_items")),
    ("hoax count above int64", f"{HOAX}\n{hoax_row('9' * 30)}\n".encode(), False,
     (1, 0, 1, "bad_content_items")),
    ("receipt dated at the start of time", "\n".join([
        HEADER, receipt("M1", submitted="290309-12-22 (BC) 00:00:00", done=""),
        receipt("M2")]).encode(), False, (2, 1, 1, "bad_submitted_at")),
])
def test_found_by_fuzzing(conn, tmp_path, case, data, gz, expected):
    path = put(tmp_path, "found.csv" + (".gz" if gz else ""),
               gzip.compress(data, mtime=0) if gz else data)
    result = check_ingest(conn, path, must_load=True, max_line=physical_lines(data))
    reason = conn.execute("SELECT reason FROM rejects ORDER BY line LIMIT 1").fetchall()
    c = result.counts
    assert (c.rows_read, c.loaded, c.rejected, reason[0][0].split(":")[0]) == expected


def test_damaged_gzip_beyond_the_inspected_head_fails_cleanly(conn, tmp_path):
    # hex digests compress badly, so the cut lies beyond the head that files.inspect reads
    text = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(4000))
    rows = [f"SMS{i:02d},sms,2023-12-04,t,{text[i * 2000:(i + 1) * 2000]}" for i in range(60)]
    packed = gzip.compress("\n".join([WAVES, *rows]).encode(), mtime=0)
    path = put(tmp_path, "waves.csv.gz", packed[: len(packed) - 20])  # cut off the tail
    result = check_ingest(conn, path)
    assert result.outcome == "failed" and "gzip" in result.message


SMPP_LINE = json.dumps({"operator": "xl", "msisdn": "6281712345678", "region": "JABAR",
                        "wave_id": "SMS01", "receipt": "id:X1 sub:001 dlvrd:001 submit date:"
                        "2312051030 done date:231205103112 stat:DELIVRD err:000 text:x"})


# found by fuzzing: DuckDB's strict CSV reader refuses a whole file that mixes line endings
# ('CSV Parser state machine reached an invalid state'); receipts.stage_receipts then reads a
# copy with one LF line per record, and a stray CR costs its own line (bad_line_break)
@pytest.mark.parametrize(("name", "data", "expected"), [
    ("cr_in_a_csv_line.csv", "\n".join([HEADER, receipt("M1"), receipt("M2", wave="SMS\r01"),
                                         receipt("M3"), ""]).encode(), (3, 2, [3])),
    ("lf_in_a_crlf_csv.csv", (HEADER + "\r\n" + receipt("M1") + "\n" + receipt("M2")
                              + "\r\n").encode(), (2, 2, [])),
    ("cr_in_a_json_line.jsonl", (SMPP_LINE + "\n" + SMPP_LINE[:40] + "\r" + SMPP_LINE[40:]
                                 + "\n").encode(), (2, 1, [2])),
    ("crlf_json_lines.jsonl", (SMPP_LINE + "\r\n" + SMPP_LINE.replace("id:X1", "id:X2")
                               + "\n").encode(), (2, 2, [])),
])
def test_a_stray_line_break_costs_a_line_not_the_file(conn, tmp_path, name, data, expected):
    result = check_ingest(conn, put(tmp_path, name, data))
    assert result.outcome == "loaded", result.message
    rows, loaded, rejected_lines = expected
    assert (result.counts.rows_read, result.counts.loaded) == (rows, loaded)
    assert conn.execute("SELECT line, split_part(reason, ':', 1) FROM rejects WHERE "
                        "ingest_id = $id ORDER BY line", {"id": result.ingest_id}).fetchall(
        ) == [(line, "bad_line_break") for line in rejected_lines]
