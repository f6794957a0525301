"""Small tabular inputs (waves, election results, survey, hoax register, the status-bar and
WhatsApp Channel counts): read with exact line numbers, validated by pure functions, written
in the caller's transaction."""

from __future__ import annotations

import contextlib
import csv
from collections import Counter

import duckdb
import pandas as pd

from dashboard import config, reference
from dashboard.ingest import channels, dates, hoax, identifiers, receipts, records
from dashboard.ingest.election import csv_line
from dashboard.ingest.files import FileInfo
from dashboard.ingest.privacy import (
    check_pseudonym_key,
    contains_phone_number,
    mask_phone_numbers,
    text_pseudonym,
)
from dashboard.ingest.receipts import (
    WARNING_COLUMNS,
    Findings,
    ReceiptCounts,
    RowsUnaccounted,
)

KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "waves": ("wave_id", "channel", "sent_date", "theme", "message_text"),
    "election": ("year", "province", "dpt", "ballots_cast", "valid_votes", "invalid_votes",
                 "source"),
    "survey": ("respondent_id", "interview_date", "province", "age_group", "gender",
               "urban_rural", "operator", "received_sms", "recalled_theme", "voted",
               "knows_valid_ballot", "saw_hoax", "believed_hoax", "weight"),
    "hoax": ("hoax_id", "identified_date", "title", "category", "election_related", "theme",
             "platforms", "content_items", "taken_down", "province", "source_url"),
    "status_bar": channels.STATUS_BAR_COLUMNS,
    "wa_updates": channels.WA_UPDATES_COLUMNS,
    "wa_daily": channels.WA_DAILY_COLUMNS,
}
# Columns a file may leave out: a survey without weights loads unweighted and says so; a
# count that may be empty may also be missing (all NULL: not given). One not among the
# kind's columns is read when present: the survey respondent's number (issue 18).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"survey": ("weight", "msisdn"),
                                                "hoax": hoax.OPTIONAL_COLUMNS,
                                                # a file of regency rows may have no
                                                # province column (issue 18)
                                                "election": ("province", "regency"),
                                                **channels.NULLABLE_COUNTS}
# Columns that identify a kind from its header.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "waves": ("wave_id", "channel", "sent_date"),
    "election": ("year", "dpt", "ballots_cast"),
    "survey": ("respondent_id", "received_sms", "voted"),
    "hoax": ("hoax_id", "identified_date", "content_items"),
    "status_bar": ("operator", "impressions", "unique_devices"),
    "wa_updates": ("update_id", "posted_at", "views"),
    "wa_daily": ("date", "followers"),
}
CHANNELS = ("sms", "status_bar", "whatsapp_channel")
# Free text a file gives (titles, themes, message texts, sources, survey codings): phone
# numbers in it are masked as the file is read (read_text_table), the one place, so no
# validator, table, page, export or brief sees them. Never a count, date, code or id column
# here, and never the survey's msisdn: that number reaches pseudonymisation as written.
FREE_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "waves": ("theme", "message_text"),
    "election": ("source",),
    "survey": ("age_group", "gender", "urban_rural", "operator", "recalled_theme"),
    "hoax": ("title", "category", "theme", "platforms", "source_url"),
}
# Keys a file gives that may hold a phone number (a vendor keys respondents by their number):
# such a key is replaced by a stable pseudonym (load: pseudonymised_ids), with a warning.
# Masked, every such key would become one and the later rows duplicates of the first.
# (Wave and update ids holding a number are refused instead: identifiers, channels.)
ID_COLUMNS: dict[str, tuple[str, ...]] = {"survey": ("respondent_id",), "hoax": ("hoax_id",)}
PHONE_ID_WARNING = "phone_number_in_id"


def read_text_table(info: FileInfo, kind: str) -> tuple[pd.DataFrame, Findings, int]:
    """All-text rows with their physical line, the records that cannot be split right (the
    first records.STORED_REJECTS kept, all counted by reason) and the number of records.
    Streams the file: memory grows with the valid rows, not with the rejected ones."""
    columns = KIND_COLUMNS[kind]
    header_line = info.first_line
    try:
        header = [h.strip().lower() for h in next(csv.reader([header_line]))]
    except csv.Error as exc:
        raise ValueError(f"the header line cannot be read: {_csv_reason(exc)}") from exc
    optional = OPTIONAL_COLUMNS.get(kind, ())
    missing = [c for c in columns if c not in header and c not in optional]
    if missing:
        raise ValueError(f"missing columns {missing} in the header")
    columns = tuple(c for c in (*columns, *(c for c in optional if c not in columns))
                    if c in header)
    positions = [header.index(c) for c in columns]
    rows, lines, samples, by_reason, legacy = [], [], [], Counter(), []
    read = 0
    for number, chunk in records.iter_records(records.chunks(info.path, info.compression),
                                              records.Layout.tabular()):
        read += 1
        (text, encoding), reason = records.decoded(chunk), None
        if text is None:
            reason = records.NOT_TEXT
        else:
            try:
                cells = next(csv.reader([text]))
            except csv.Error as exc:  # a bare CR, a cell over the csv module's size limit
                reason = _csv_reason(exc)
            else:
                if len(cells) != len(header):
                    reason = (f"wrong_column_count: {len(cells)} columns, header has "
                              f"{len(header)}")
        if reason is None:
            rows.append([cells[p].strip() for p in positions])
            lines.append(number)
            if encoding != "utf-8":
                legacy.append(number)
            continue
        by_reason[reason.split(":", 1)[0]] += 1
        if len(samples) < records.STORED_REJECTS:
            samples.append((number, reason,
                            text if text is not None else records.readable(chunk)))
    frame = pd.DataFrame(rows, columns=list(columns), dtype="string")
    for column in FREE_TEXT_COLUMNS.get(kind, ()):
        if column in frame.columns:
            frame[column] = frame[column].map(mask_phone_numbers, na_action="ignore")
    frame.insert(0, "line", pd.Series(lines, dtype="int64"))
    frame.index = frame["line"] - 2
    frame.attrs["windows_1252_lines"] = legacy
    structural = pd.DataFrame(samples, columns=["line", "reason", "raw_line"])
    return frame, Findings(structural, dict(by_reason)), read


def encoding_warnings(frame: pd.DataFrame) -> pd.DataFrame:
    """A warning (WARNING_COLUMNS) for each loaded line read_text_table read as
    Windows-1252: its text may differ from what the file's writer meant."""
    return receipts.windows_1252_warnings(frame.attrs.get("windows_1252_lines", []))


# the columns of each kind that write a day (ingest/dates.py reads them)
DAY_COLUMNS = {"waves": ("sent_date",), "survey": ("interview_date",),
               "hoax": ("identified_date", "taken_down_date"), "status_bar": ("date",),
               "wa_daily": ("date",)}


def day_warnings(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A warning (WARNING_COLUMNS) for each day read as another than it seems: month first,
    because the file's days show it is written so ('12/18/2023' in one of them), where day
    first would have read another day; or an instant's day in WIB, not the day written
    before its time ('2024-01-05T18:00:00Z': 6 January)."""
    columns = [c for c in DAY_COLUMNS.get(kind, ()) if c in frame.columns]
    order = dates.month_first(pd.concat([frame[c] for c in columns])) if columns else False
    found = [pd.DataFrame({"line": frame.loc[rows, "line"].astype("int64"),
                           "kind": warning, "field": column,
                           "value": frame.loc[rows, column].astype("string")})
             for column in columns
             for warning, rows in (("month_first", dates.read_month_first(frame[column], order)),
                                   ("day_in_wib", dates.moved_to_wib(frame[column])))
             if rows.any()]
    return (pd.concat(found, ignore_index=True) if found
            else pd.DataFrame(columns=WARNING_COLUMNS).astype({"line": "int64"}))


def pseudonymised_ids(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frame with each key of ID_COLUMNS that holds a phone number replaced by its
    pseudonym (privacy.text_pseudonym: the same text, the same key, in every file), and one
    warning (line, kind, field, value: the key masked) per key replaced."""
    found = []
    for column in ID_COLUMNS.get(kind, ()):
        if column not in frame.columns:
            continue
        holds = frame[column].map(contains_phone_number, na_action="ignore").fillna(False)
        holds = holds.astype(bool)
        if not holds.any():
            continue
        given = frame.loc[holds, column]
        frame = frame.assign(**{column: frame[column].mask(holds, given.map(text_pseudonym))})
        found.append(pd.DataFrame({
            "line": frame.loc[holds, "line"].astype("int64"), "kind": PHONE_ID_WARNING,
            "field": column,
            "value": [f"{mask_phone_numbers(v)} (stored as {text_pseudonym(v)})"
                      for v in given]}))
    warnings = (pd.concat(found, ignore_index=True) if found
                else pd.DataFrame(columns=WARNING_COLUMNS).astype({"line": "int64"}))
    return frame, warnings


def _csv_reason(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return f"line_too_long: a cell is longer than {csv.field_size_limit()} characters"
    if "new-line character" in str(exc):
        return "bad_line_break: a carriage return (CR) inside an unquoted cell"
    return f"unreadable_line: {exc}"


def validate_waves(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean waves and rejects (line, reason, raw_line)."""
    days = dates.parse_days(frame["sent_date"])
    channel = frame["channel"].str.lower()
    reason = pd.Series(pd.NA, index=frame.index, dtype="string")
    checks = [
        (frame["wave_id"].fillna("") == "", "missing_wave_id: wave_id is empty"),
        (~frame["wave_id"].fillna("").map(identifiers.usable_wave_id), identifiers.BAD_WAVE_ID),
        (~channel.isin(CHANNELS), "bad_channel: channel must be one of " + ", ".join(CHANNELS)),
        (days.isna(), f"bad_sent_date: sent_date is not a day written {dates.FORMS}"),
    ]
    for failed, text in reversed(checks):  # the first failing check wins
        reason = reason.mask(failed.fillna(True), text)
    bad = reason.notna()
    duplicate = ~bad & frame["wave_id"].duplicated(keep="first")
    reason = reason.mask(duplicate, "duplicate_wave_id: the id appears earlier in the file")
    bad = reason.notna()
    clean = frame[~bad].assign(channel=channel[~bad], sent_date=days[~bad].dt.date)
    rejects = pd.DataFrame({"line": frame.loc[bad, "line"], "reason": reason[bad],
                            "raw_line": _raw(frame[bad])})
    return clean, rejects


def _raw(frame: pd.DataFrame) -> list[str]:
    return [csv_line([str(v) if not pd.isna(v) else "" for v in row])
            for row in frame.drop(columns="line").itertuples(index=False)]


def load(conn: duckdb.DuckDBPyConnection, info: FileInfo, kind: str,
         ingest_id: int) -> tuple[ReceiptCounts, Findings, Findings]:
    """Validate and write one small table file; returns counts, rejects and warnings.
    Raises RowsUnaccounted when loaded, duplicate, superseded and rejected rows do not add up
    to the file's records."""
    frame, structural, read = read_text_table(info, kind)
    frame, id_warnings = pseudonymised_ids(frame, kind)
    if not id_warnings.empty:  # the pseudonyms' key: the database's one only
        check_pseudonym_key(conn)
    if kind in CHANNEL_KINDS:
        return _load_channel(conn, frame, structural, read, kind, ingest_id)
    warnings, duplicates, checked = None, 0, None  # checked: an election file
    replaced = 0  # stored rows of the same keys the file replaces
    if kind == "waves":
        clean, rejects = validate_waves(frame)
    elif kind == "election":
        from dashboard.ingest.election import validate_election_file

        checked = validate_election_file(
            frame, reference.province_code, reference.regency_code,
            dict(reference.regencies()[["regency_code", "province_code"]].itertuples(
                index=False)))
        clean, rejects, warnings = checked.clean, checked.rejects, checked.warnings
        if not checked.clean_regency.empty:  # regency rows: their own table only
            replaced += _write(conn, ELECTION_REGENCY_WRITES, checked.clean_regency,
                               ingest_id)
    elif kind == "survey":
        from dashboard.ingest.survey import validate_survey

        clean, rejects, warnings = validate_survey(frame, reference.province_code)
        conn.execute("INSERT OR REPLACE INTO survey_loads VALUES ($id, $weighted)",
                     {"id": ingest_id, "weighted": bool(clean.attrs.get("weighted", True))})
        if clean["msisdn62"].notna().any():  # respondents' pseudonyms: receipts' key only
            check_pseudonym_key(conn)
    else:
        clean, rejects, duplicates = hoax.validate_hoax_file(frame, reference.province_code)
    replaced += _write(conn, WRITES[kind], clean, ingest_id)
    if kind == "survey" and clean["msisdn62"].notna().any():
        _store_respondent_buckets(conn, clean)
    if kind == "election" and warnings is not None and not warnings.empty:
        _write_frame(conn, "INSERT INTO election_warnings SELECT $id, line, province_code, "
                     "year, warning FROM frame", warnings, ingest_id)
    loaded = len(clean) + (0 if checked is None else len(checked.clean_regency))
    counts, rejected = _account(read, structural, _with_raw(rejects, frame), loaded,
                                duplicates)
    counts.replaced = replaced
    if kind == "hoax":  # a hoax row carries its warnings as (kind, field, value)
        warnings = pd.DataFrame(
            [(line, *found) for line, row in zip(clean["line"], clean["warnings"], strict=True)
             for found in row], columns=WARNING_COLUMNS)
    found = pd.concat([_as_warnings(warnings), encoding_warnings(frame),
                       day_warnings(frame, kind)], ignore_index=True)
    if checked is not None and not checked.warnings_regency.empty:
        # regency rows' warnings: the load's findings, not election_warnings (province views)
        found = pd.concat([found, _as_warnings(checked.warnings_regency)], ignore_index=True)
    if not id_warnings.empty:
        found = pd.concat([found, id_warnings], ignore_index=True)
    # a warning may stand for several rows (the survey's: one per kind, field and value)
    rows = (found["count"].fillna(1) if "count" in found.columns
            else pd.Series(1, index=found.index))
    return (counts, rejected,
            Findings.of(found[WARNING_COLUMNS], rows.groupby(found["kind"]).sum().to_dict()))


def _account(read: int, structural: Findings, rejects: pd.DataFrame, loaded: int,
             duplicate: int, superseded: int = 0) -> tuple[ReceiptCounts, Findings]:
    """The file's counts and its rejects; RowsUnaccounted when they do not add up."""
    by_reason = Counter(structural.counts)
    by_reason.update(rejects["reason"].str.split(":", n=1).str[0])
    counts = ReceiptCounts(loaded=loaded, rejected=sum(by_reason.values()),
                           duplicate=duplicate, superseded=superseded, rows_read=read)
    if counts.loaded + counts.duplicate + counts.superseded + counts.rejected != read:
        superseded_text = f", {superseded:,} superseded" if superseded else ""
        raise RowsUnaccounted(
            f"the file has {read:,} records but {counts.loaded:,} loaded, {counts.duplicate:,} "
            f"duplicate{superseded_text} and {counts.rejected:,} rejected; nothing was stored")
    return counts, Findings.of(pd.concat([structural.samples, rejects]), by_reason)


CHANNEL_KINDS = ("status_bar", "wa_updates", "wa_daily")


def _load_channel(conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, structural: Findings,
                  read: int, kind: str, ingest_id: int
                  ) -> tuple[ReceiptCounts, Findings, Findings]:
    """A status-bar or WhatsApp Channel file: validated against the waves catalogue as
    stored now; the stored rows of the keys it gives are replaced (counted in `replaced`)."""
    catalogue = channels.Catalogue.of(conn.execute(
        "SELECT wave_id, channel, sent_date FROM waves").df())
    if kind == "status_bar":
        checked = channels.validate_status_bar(frame, catalogue, _operator_aliases(conn),
                                               reference.province_code)
    elif kind == "wa_updates":
        checked = channels.validate_wa_updates(frame, catalogue)
    else:
        checked = channels.validate_wa_daily(frame, catalogue)
    if kind == "wa_updates":  # an older export never lowers a stored update's counts
        stored = conn.execute(
            "SELECT update_id, views, reactions, forwards FROM wa_updates WHERE update_id IN "
            "(SELECT unnest($ids))", {"ids": checked.clean["update_id"].tolist()}).df()
        checked.clean, older = channels.keep_higher_counts(checked.clean, stored)
        checked.warnings = pd.concat([checked.warnings, older], ignore_index=True)
    replaced = 0
    for statement in CHANNEL_WRITES[kind]:
        conn.register("frame", checked.clean)
        try:
            changed = conn.execute(statement, {"id": ingest_id} if "$id" in statement
                                   else {}).fetchall()
        finally:  # an aborted transaction refuses even this: keep the real error
            with contextlib.suppress(duckdb.TransactionException):
                conn.unregister("frame")
        if statement.startswith("DELETE"):
            replaced += changed[0][0]
    counts, rejected = _account(read, structural, _with_raw(checked.rejects, frame),
                                len(checked.clean), checked.duplicate, checked.superseded)
    counts.replaced = replaced
    if kind == "status_bar":  # a spelling we could not place, as the receipts count it
        counts.unknown_province = int((checked.warnings["kind"] == "unknown_province").sum())
    warnings = pd.concat([checked.warnings[WARNING_COLUMNS], encoding_warnings(frame),
                          day_warnings(frame, kind)], ignore_index=True)
    return counts, rejected, Findings.of(warnings, warnings.groupby("kind").size().to_dict())


def _operator_aliases(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Operator spellings the receipts accept (id, name or brand, lower case) -> its id."""
    return dict(conn.execute(
        """
        SELECT DISTINCT alias, operator FROM (
            SELECT operator AS alias, operator FROM operators
            UNION ALL SELECT lower(name), operator FROM operators
            UNION ALL SELECT lower(brand), operator FROM operator_prefixes)
        """).fetchall())


# A later file replaces the stored rows of the keys it gives: status bar every row of its
# (operator, wave, day), all provinces; an update by its id; a day of insights by its date.
CHANNEL_WRITES = {
    "status_bar": [
        "DELETE FROM status_bar_impressions WHERE (operator, wave_id, impression_date) IN "
        "(SELECT operator, wave_id, impression_date FROM frame)",
        "INSERT INTO status_bar_impressions SELECT operator, wave_id, impression_date, "
        "province_code, impressions, unique_devices, clicks, $id FROM frame",
    ],
    "wa_updates": [
        "DELETE FROM wa_updates WHERE update_id IN (SELECT update_id FROM frame)",
        "INSERT INTO wa_updates SELECT update_id, wave_id, posted_at, views, reactions, "
        "forwards, $id FROM frame",
    ],
    "wa_daily": [
        "DELETE FROM wa_daily WHERE insight_date IN (SELECT insight_date FROM frame)",
        "INSERT INTO wa_daily SELECT insight_date, followers, gained, lost, "
        "accounts_reached_30d, $id FROM frame",
    ],
}


def _as_warnings(frame: pd.DataFrame | None) -> pd.DataFrame:
    """A validator's warnings (line, its key columns, warning 'kind: text') in the shape of
    every file's warnings (line, kind, field, value): the field is the row's key."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=WARNING_COLUMNS).astype({"line": "int64"})
    if {"kind", "field", "value"} <= set(frame.columns):  # already in this shape
        return frame[[*WARNING_COLUMNS, *(["count"] if "count" in frame.columns else [])]]
    keys = [c for c in frame.columns if c not in ("line", "warning")]
    text = frame["warning"].astype(str)
    return pd.DataFrame({
        "line": frame["line"].astype("Int64"),  # a missing year has no line
        "kind": text.str.split(":", n=1).str[0].str.strip(),
        "field": ", ".join(keys) or "row",
        "value": text.str.split(":", n=1).str[-1].str.strip(),
    })


# One statement per kind: a later file replaces the rows it gives again (same key).
WRITES = {
    "waves": [
        "DELETE FROM waves WHERE wave_id IN (SELECT wave_id FROM frame)",
        "INSERT INTO waves SELECT wave_id, channel, sent_date, theme, message_text, $id "
        "FROM frame",
    ],
    "election": [
        "DELETE FROM election_results WHERE (year, province_code) IN "
        "(SELECT year, province_code FROM frame)",
        "INSERT INTO election_results SELECT year, province_code, dpt, ballots_cast, "
        "valid_votes, invalid_votes, source, $id FROM frame",
    ],
    "survey": [
        "DELETE FROM survey_responses WHERE respondent_id IN (SELECT respondent_id FROM frame)",
        "INSERT INTO survey_responses (respondent_id, interview_date, province_code, age_group, "
        "gender, urban_rural, operator, received_sms, recalled_theme, voted, knows_valid_ballot, "
        "saw_hoax, believed_hoax, weight, ingest_id, respondent_key) SELECT respondent_id, "
        "interview_date, province_code, age_group, gender, urban_rural, operator, received_sms, "
        "recalled_theme, voted, knows_valid_ballot, saw_hoax, believed_hoax, weight, $id, "
        # the respondent's number becomes the receipts' pseudonym here; it is not stored
        "recipient_key($secret, msisdn62) FROM frame",
    ],
    "hoax": [
        "DELETE FROM hoax_reports WHERE hoax_id IN (SELECT hoax_id FROM frame)",
        "INSERT INTO hoax_reports SELECT hoax_id, identified_date, title, category, "
        "election_related, theme, platforms, content_items, taken_down, province_code, "
        "source_url, taken_down_date, $id FROM frame",
    ],
}


# An election file's rows that name a regency (issue 18): a later file replaces the stored
# (year, regency) rows it gives again, as election_results' (year, province) rows.
ELECTION_REGENCY_WRITES = [
    "DELETE FROM election_results_regency WHERE (year, regency_code) IN "
    "(SELECT year, regency_code FROM frame)",
    "INSERT INTO election_results_regency SELECT year, regency_code, province_code, dpt, "
    "ballots_cast, valid_votes, invalid_votes, source, $id FROM frame",
]


def _write(conn: duckdb.DuckDBPyConnection, statements: list[str], clean: pd.DataFrame,
           ingest_id: int) -> int:
    """Run one kind's statements over the clean rows; the stored rows they deleted (a later
    file replaces the rows of the keys it gives again: counted, so the load says so)."""
    replaced = 0
    for statement in statements:
        changed = _write_frame(conn, statement, clean, ingest_id)
        if statement.startswith("DELETE"):
            replaced += changed[0][0]
    return replaced


def _store_respondent_buckets(conn: duckdb.DuckDBPyConnection, clean: pd.DataFrame) -> None:
    """Each respondent's hold-out bucket under every frozen individual experiment, from
    the number before it is pseudonymised (the SQL macro holdout_bucket, as for receipts);
    a respondent already bucketed (say, as a receipt's recipient) keeps its row."""
    for experiment, (ipad, opad) in receipts.holdout_pads(conn).items():
        _write_frame(conn, "INSERT INTO holdout_buckets SELECT $experiment, "
                     "recipient_key($secret, msisdn62) AS key, "
                     "min(holdout_bucket($ipad, $opad, msisdn62)) FROM frame "
                     "WHERE msisdn62 IS NOT NULL GROUP BY key ON CONFLICT DO NOTHING",
                     clean[["msisdn62"]], None,
                     {"experiment": experiment, "ipad": ipad, "opad": opad})


def _write_frame(conn: duckdb.DuckDBPyConnection, statement: str, frame: pd.DataFrame,
                 ingest_id: int | None, more: dict | None = None) -> list[tuple]:
    conn.register("frame", frame)
    try:
        params = {"id": ingest_id} if "$id" in statement else {}
        if "$secret" in statement:  # a respondent's number is pseudonymised as receipts are
            params["secret"] = config.pseudonym_secret()
        params |= more or {}
        return conn.execute(statement, params).fetchall()
    finally:  # an aborted transaction refuses even this: keep the real error
        with contextlib.suppress(duckdb.TransactionException):
            conn.unregister("frame")


def _with_raw(rejects: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    if "raw_line" not in rejects.columns:
        rejects = rejects.rename(columns={"raw": "raw_line"})
    if "raw_line" not in rejects.columns:
        by_line = dict(zip(frame["line"], _raw(frame), strict=True))
        rejects = rejects.assign(raw_line=[by_line.get(n) for n in rejects["line"]])
    return rejects[["line", "reason", "raw_line"]]
