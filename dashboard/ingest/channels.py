"""The campaign's other channels (issue 17): status-bar impressions from each operator, and
the WhatsApp Channel's updates and daily insights. Validation is pure pandas; tabular.load
reads the file, passes the waves catalogue in and writes what comes out.

No public corpus of these exports exists. The fields follow WhatsApp's Channel insights
(followers, gained and lost followers, accounts reached in the last 30 days; per update its
views, reactions and forwards) and the operators' status-bar reports (impressions, unique
devices, clicks on the link, per operator, wave, day and province).

Every data row ends as exactly one of:
- loaded: the row is stored (possibly with warnings);
- duplicate: the same key with the same values comes again later in the file;
- superseded: the same key comes again later in the file with other values (the later line
  wins, as a later state of a receipt does);
- rejected: a field a count needs is unusable; the first failing check names the field and
  the problem, never the value (a value in the wrong column may be a phone number; the raw
  line, masked, is kept beside the reason).

Rejected: a needed count (impressions, unique devices, views, followers) that is empty,
negative, not a whole number or too large; unique devices above impressions; an
unknown operator (the spellings the receipts accept); a date or posted_at that is missing or
unreadable; a status-bar wave id that is missing or unusable (identifiers.py); an update
without a usable update_id.
The optional counts (NULLABLE_COUNTS: clicks; an update's reactions and forwards; a day's
gained, lost and accounts_reached_30d) never reject a row: the row's needed counts do not
depend on them, and no figure may lose those. Empty is NULL (not given); a lone dash is 0
(numbers.nil_dashes: Excel's accounting zero, BPS's nil), warned `dash_read_as_zero`; any
other unusable value ('n/a', '-7', '2.5') is NULL, warned `unusable_optional_count`; clicks
above the row's impressions are NULL too, warned `clicks_exceed_impressions` (no click rate
above 100 %; the row's impressions and devices still count).

Set aside (rejected, `total_row`: totals.py says what a total label is): a status-bar row
whose province is a total label ('Jumlah', 'Total', 'Nasional', ...) when the file gives
usable rows of the same (operator, wave, day): counted, it would double the national total;
a status-bar row whose operator, wave or date is a total label (it sums operators, waves or
days, so it is no one (operator, wave, day)'s figure); a status-bar row with a blank province whose
impressions are the sum of two or more usable rows of its (operator, wave, day) that name a
province, and whose unique devices are at most theirs (_sums_province_rows: a total with its
label left out); a WhatsApp update whose update_id or wave_id is a total label; a row of
any of the three that a spreadsheet's group subtotal labels ('xl Total', 'Aceh Sum',
'WA01 Result', '(empty) Sum' in a column of SUBTOTAL_COLUMNS naming a group another row
gives: totals.group_subtotals), whatever else it gives (with the key filled in, the status
bar would load 'Aceh Sum' as a province it cannot place and count Aceh twice, and an update
id repeated on its wave's subtotal would supersede that update with the wave's sum).

An update already stored is never lowered (keep_higher_counts, run by tabular._load_channel
against what is stored): its views, reactions and forwards only grow, so a lower count comes
from an older export; the stored one is kept, warned `older_export`.

Loaded with a warning (kind, field, value, line; loaded rows only): a wave missing from the
catalogue (`unknown_wave`), a wave the catalogue gives to another channel
(`wave_channel_mismatch`), a WhatsApp update with an unusable wave id (`bad_wave_id`; stored
as NULL; one without a wave id is an ordinary post, not a campaign message), a province
spelling that is not known (`unknown_province`; stored as NULL), a blank province that is
no total (`blank_province`: impressions no province can take; stored as NULL), a total row
that is the only
row of its (operator, wave, day) (`national_total`: an operator that reports national figures
only; stored with province NULL), a day outside the campaign (`outside_campaign`: before the
catalogue's first wave or more than CAMPAIGN_TAIL after its last; not checked while the
catalogue is empty).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.clock import WIB
from dashboard.ingest import dates, identifiers, numbers, totals
from dashboard.ingest.election import line_numbers, raw_lines, text_column
from dashboard.ingest.privacy import contains_phone_number

STATUS_BAR_COLUMNS = ("operator", "wave_id", "date", "province", "impressions",
                      "unique_devices", "clicks")
WA_UPDATES_COLUMNS = ("update_id", "wave_id", "posted_at", "views", "reactions", "forwards")
WA_DAILY_COLUMNS = ("date", "followers", "gained", "lost", "accounts_reached_30d")
# optional counts: empty is NULL (not given) and an unusable value is NULL with a warning
# (count_column); a needed count (every other) that is empty or unusable rejects the row
NULLABLE_COUNTS = {
    "status_bar": ("clicks",),
    "wa_updates": ("reactions", "forwards"),
    "wa_daily": ("gained", "lost", "accounts_reached_30d"),
}
# An update's counts that only grow (WhatsApp counts them since the post): a file that gives
# a stored update a lower one is an older export, never a correction (keep_higher_counts)
GROWING_COUNTS = ("views", "reactions", "forwards")
OLDER_EXPORT = "older_export"
# the catalogue's channel of each kind's waves
CHANNEL_OF_KIND = {"status_bar": "status_bar", "wa_updates": "whatsapp_channel"}
CAMPAIGN_TAIL = dt.timedelta(days=14)  # counts keep coming in after the last wave
UPDATE_ID_SHAPE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
WARNING_COLUMNS = ("line", "kind", "field", "value")
# warning kinds of an optional count not stored as written (count_column)
DASH_READ_AS_ZERO, UNUSABLE_OPTIONAL_COUNT = "dash_read_as_zero", "unusable_optional_count"
# a status-bar row's clicks above its impressions: stored NULL, the row kept (validate_status_bar)
CLICKS_EXCEED_IMPRESSIONS = "clicks_exceed_impressions"
REJECT_COLUMNS = ("line", "reason", "raw")
# the columns a group's subtotal label is looked for in (totals.subtotal_rows): each kind's
# key, the columns its rows are grouped by
SUBTOTAL_COLUMNS = {"status_bar": ("operator", "wave_id", "date", "province"),
                    "wa_updates": ("update_id", "wave_id"), "wa_daily": ("date",)}


@dataclass(frozen=True)
class Catalogue:
    """What the validators need of the `waves` table: each wave's channel and the campaign's
    days (first wave's sent date to CAMPAIGN_TAIL after the last one; None when empty)."""

    channels: Mapping[str, str]
    first: dt.date | None = None
    last: dt.date | None = None

    @staticmethod
    def of(waves: pd.DataFrame) -> Catalogue:
        """From rows of wave_id, channel, sent_date."""
        if waves.empty:
            return Catalogue({})
        sent = pd.to_datetime(waves["sent_date"])
        return Catalogue(dict(zip(waves["wave_id"], waves["channel"], strict=True)),
                         sent.min().date(), (sent.max() + CAMPAIGN_TAIL).date())

    def outside(self, days: pd.Series) -> pd.Series:
        """True for a day (datetime64) outside the campaign; all False without a catalogue."""
        if self.first is None or self.last is None:
            return pd.Series(False, index=days.index)
        return (days < pd.Timestamp(self.first)) | (days > pd.Timestamp(self.last))


@dataclass
class Checked:
    """A validated file: rows to store (line and the table's columns), rejects (line, reason,
    raw), warnings of the loaded rows (line, kind, field, value) and how many rows were
    duplicates or superseded."""

    clean: pd.DataFrame
    rejects: pd.DataFrame
    warnings: pd.DataFrame
    duplicate: int = 0
    superseded: int = 0

    @property
    def rows(self) -> int:
        return len(self.clean) + len(self.rejects) + self.duplicate + self.superseded


def count_column(text: pd.Series, field: str, nullable: bool
                 ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Whole numbers >= 0 by the shared count rule (numbers.py: '1234', '1.234', '1,234'),
    the reject reason of each row (NA: usable) and the warning kind of each optional count
    not stored as written (NA: none). An optional (nullable) count never rejects its row: the
    row's needed counts do not depend on it. Empty is NULL; a lone dash is 0
    (numbers.nil_dashes), warned DASH_READ_AS_ZERO; any other unusable value is NULL, warned
    UNUSABLE_OPTIONAL_COUNT."""
    values, problem = numbers.count_problems(text)
    warning = pd.Series(pd.NA, index=text.index, dtype="string")
    if nullable:
        dash = numbers.nil_dashes(text)
        unusable = problem.notna() & problem.ne(numbers.MISSING) & ~dash
        values = values.mask(dash, 0)
        warning = warning.mask(dash, DASH_READ_AS_ZERO).mask(unusable, UNUSABLE_OPTIONAL_COUNT)
        problem = pd.Series(pd.NA, index=text.index, dtype="string")
    reasons = {numbers.MISSING: f"missing_count: {field} is empty",
               numbers.NEGATIVE_COUNT: f"negative_count: {field} is below 0",
               numbers.TOO_LARGE: f"bad_count: {field} is too large (more than "
                                  f"{numbers.MAX_DIGITS} digits)",
               numbers.NOT_WHOLE: f"bad_count: {field} is not a whole number"}
    return values, problem.map(reasons, na_action="ignore").astype("string"), warning


def parse_posted_at(text: pd.Series) -> pd.Series:
    """ISO 8601 date and time, as a UTC instant (datetime64[ns, UTC]); without an offset the
    time is WIB. NaT where empty or unreadable."""
    def one(value: str) -> pd.Timestamp:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return pd.NaT
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=WIB)
        try:
            return pd.Timestamp(moment).tz_convert("UTC")
        except (OverflowError, ValueError):  # beyond what a timestamp holds
            return pd.NaT

    stripped = text.astype("string").str.strip().fillna("")
    parsed = {v: one(v) for v in stripped.unique() if v}
    return pd.to_datetime(pd.Series([parsed.get(v, pd.NaT) for v in stripped],
                                    index=text.index, dtype="object"), utc=True)


def operator_id(text: pd.Series, aliases: Mapping[str, str]) -> pd.Series:
    """The operator id of each spelling, as the receipts read it (trimmed, lower case, an
    operator id, name or brand); NA when unknown."""
    key = text.astype("string").str.strip().str.lower()
    return key.map(lambda k: aliases.get(k, pd.NA) if isinstance(k, str) else pd.NA
                   ).astype("string")


def validate_status_bar(df: pd.DataFrame, catalogue: Catalogue,
                        operator_aliases: Mapping[str, str],
                        province_lookup: Callable[[str], int | None]) -> Checked:
    """An operator's status-bar counts: one row per (operator, wave, day, province)."""
    lines = line_numbers(df)
    text = {c: text_column(df, c) for c in STATUS_BAR_COLUMNS}
    operator = operator_id(text["operator"], operator_aliases)
    wave = text["wave_id"]
    day = dates.parse_days(text["date"])
    codes = {s: province_lookup(s) for s in text["province"].dropna().unique()}
    province = pd.Series([codes.get(s) if not pd.isna(s) else None for s in text["province"]],
                         index=df.index, dtype="Int64")
    counts = {c: count_column(text[c], c, c in NULLABLE_COUNTS["status_bar"])
              for c in ("impressions", "unique_devices", "clicks")}
    impressions = counts["impressions"][0]
    key_checks = [
        (text["operator"].isna(), "unknown_operator: operator is empty"),
        (operator.isna(), "unknown_operator: not one of the four operators"),
        (wave.isna(), "missing_wave_id: wave_id is empty"),
        (~wave.fillna("").map(identifiers.usable_wave_id).astype(bool),
         identifiers.BAD_WAVE_ID),
        (text["date"].isna(), "bad_date: date is empty"),
        (day.isna(), f"bad_date: date is not a day written {dates.FORMS}"),
    ]
    count_checks = [
        *_count_checks(counts),
        # unique devices are a needed count: above impressions, one of the two is wrong and
        # nothing tells which, so neither can be published
        (counts["unique_devices"][0] > impressions,
         "devices_exceed_impressions: unique_devices is more than impressions"),
    ]
    # Clicks above impressions are impossible, but clicks are optional: the row's impressions
    # and devices stand. The clicks are stored NULL (as an unusable optional count), warned
    # CLICKS_EXCEED_IMPRESSIONS with the clicks as written: kept, they would publish a click
    # rate above 100 % for the row's wave, operator and province, and raise every sum's
    # rate; NULL takes the row's impressions out of the rate's denominator too (the marts
    # divide by the impressions of the rows with a click count), so the rate stays that of
    # the rows whose clicks are possible.
    clicks_over = (counts["clicks"][0] > impressions).fillna(False).astype(bool)
    clicks = counts["clicks"][0].mask(clicks_over)
    empty = pd.Series(pd.NA, index=df.index, dtype="string")
    # A total label as the operator or the wave sums operators or waves: never the figure of
    # one (operator, wave), which every row must be (as a missing wave id is refused), so it
    # is set aside whatever else the file gives; so is a group's subtotal in any key column,
    # and a total label as the day (no day is named so: a grand row under a subtotal by
    # day); their other key cells are often empty: the clear reason comes first.
    unit_total = (totals.total_labels(text["operator"]) | totals.total_labels(wave)
                  | totals.total_labels(text["date"])
                  | totals.subtotal_rows(df, SUBTOTAL_COLUMNS["status_bar"]))
    # A total row ('Jumlah', 'Nasional', ...) sums the province rows of its (operator, wave,
    # day): set aside when the file gives any of them usable, else it is the operator's only
    # (national) figure and loads with province unknown.
    total = totals.total_labels(text["province"])
    usable = _first_failing(empty, [(unit_total, totals.TOTAL_ROW), *key_checks,
                                    *count_checks]).isna()
    key = pd.DataFrame({"operator": operator.fillna(""), "wave_id": wave.fillna(""),
                        "day": day.dt.strftime("%Y-%m-%d").fillna("")})
    of_others = total & pd.Series(pd.MultiIndex.from_frame(key).isin(
        pd.MultiIndex.from_frame(key[usable & ~total])), index=df.index)
    # unknown spellings are kept apart in the key: two provinces we cannot place are two rows;
    # two total labels ('Jumlah', 'Nasional') of one key are the same national row
    province_key = province.astype("string").fillna(
        "?" + text["province"].str.lower().fillna("")).mask(total, "national")
    blank = text["province"].isna()
    blank_total = usable & blank & _sums_province_rows(
        key, province_key, usable & ~total & ~blank, impressions,
        counts["unique_devices"][0])
    reason = _first_failing(empty, [(unit_total, totals.TOTAL_ROW), *key_checks,
                                    (of_others | blank_total, totals.TOTAL_ROW),
                                    *count_checks])
    values = pd.DataFrame({
        "line": lines, "operator": operator, "wave_id": wave,
        "impression_date": day.dt.date, "province_code": province,
        "impressions": impressions, "unique_devices": counts["unique_devices"][0],
        "clicks": clicks})
    warnings = [
        *_wave_warnings(wave, catalogue, "status_bar", lines),
        _warning("unknown_province", "province",
                 text["province"].notna() & province.isna() & ~total, lines, text["province"]),
        _warning("national_total", "province", total, lines, text["province"]),
        _warning("blank_province", "province", blank, lines, text["province"]),
        _warning("outside_campaign", "date", catalogue.outside(day), lines, text["date"]),
        *_count_warnings(counts, text, lines),
        _warning(CLICKS_EXCEED_IMPRESSIONS, "clicks", clicks_over, lines, text["clicks"]),
    ]
    return _settle(df, values, reason, warnings, keys=["operator", "wave_id",
                                                       "impression_date"],
                   extra_key=province_key, columns=STATUS_BAR_COLUMNS)


def validate_wa_updates(df: pd.DataFrame, catalogue: Catalogue) -> Checked:
    """The WhatsApp Channel's updates: one row per update, its counts as exported."""
    lines = line_numbers(df)
    text = {c: text_column(df, c) for c in WA_UPDATES_COLUMNS}
    update_id = text["update_id"]
    posted = parse_posted_at(text["posted_at"])
    counts = {c: count_column(text[c], c, c in NULLABLE_COUNTS["wa_updates"])
              for c in ("views", "reactions", "forwards")}
    checks = [
        # a sheet's 'Total' row sums the updates above it: counted, it doubles the views; a
        # total label as the wave ('Total', LibreOffice's 'Grand Sum' under a subtotal by
        # wave) sums waves, as the status bar's does: no one update's figure, whatever else
        # the row gives (an ordinary post has no wave id, never a total label)
        (totals.total_labels(update_id) | totals.total_labels(text["wave_id"])
         | totals.subtotal_rows(df, SUBTOTAL_COLUMNS["wa_updates"]), totals.TOTAL_ROW),
        (update_id.isna(), "missing_update_id: update_id is empty"),
        (~update_id.fillna("").map(_usable_update_id).astype(bool),
         "bad_update_id: not 1-64 letters, digits, '.', ':', '-' or '_', or shaped like "
         "a phone number"),
        (text["posted_at"].isna(), "bad_posted_at: posted_at is empty"),
        (posted.isna(), "bad_posted_at: not an ISO 8601 date and time"),
        *_count_checks(counts),
    ]
    reason = _first_failing(pd.Series(pd.NA, index=df.index, dtype="string"), checks)
    wave = text["wave_id"]
    usable_wave = wave.fillna("").map(identifiers.usable_wave_id).astype(bool)
    values = pd.DataFrame({
        "line": lines, "update_id": update_id, "wave_id": wave.where(usable_wave),
        "posted_at": posted, **{c: counts[c][0] for c in counts}})
    wib_day = posted.dt.tz_convert(WIB).dt.tz_localize(None).dt.normalize()
    warnings = [
        _warning("bad_wave_id", "wave_id", wave.notna() & ~usable_wave, lines, wave),
        *_wave_warnings(wave.where(usable_wave), catalogue, "wa_updates", lines),
        _warning("outside_campaign", "posted_at", catalogue.outside(wib_day), lines,
                 text["posted_at"]),
        *_count_warnings(counts, text, lines),
    ]
    return _settle(df, values, reason, warnings, keys=["update_id"],
                   columns=WA_UPDATES_COLUMNS)


def validate_wa_daily(df: pd.DataFrame, catalogue: Catalogue) -> Checked:
    """The WhatsApp Channel's daily insights: one row per day, national."""
    lines = line_numbers(df)
    text = {c: text_column(df, c) for c in WA_DAILY_COLUMNS}
    day = dates.parse_days(text["date"])
    counts = {c: count_column(text[c], c, c in NULLABLE_COUNTS["wa_daily"])
              for c in WA_DAILY_COLUMNS[1:]}
    checks = [
        (totals.total_labels(text["date"])
         | totals.subtotal_rows(df, SUBTOTAL_COLUMNS["wa_daily"]), totals.TOTAL_ROW),
        (text["date"].isna(), "bad_date: date is empty"),
        (day.isna(), f"bad_date: date is not a day written {dates.FORMS}"),
        *_count_checks(counts),
    ]
    reason = _first_failing(pd.Series(pd.NA, index=df.index, dtype="string"), checks)
    values = pd.DataFrame({"line": lines, "insight_date": day.dt.date,
                           **{c: counts[c][0] for c in counts}})
    warnings = [_warning("outside_campaign", "date", catalogue.outside(day), lines,
                         text["date"]), *_count_warnings(counts, text, lines)]
    return _settle(df, values, reason, warnings, keys=["insight_date"],
                   columns=WA_DAILY_COLUMNS)


def _sums_province_rows(key: pd.DataFrame, province_key: pd.Series, placed: pd.Series,
                       impressions: pd.Series, devices: pd.Series) -> pd.Series:
    """True for a row whose impressions are the sum of two or more `placed` rows (a
    province's, or a spelling we cannot place) of its (operator, wave, day), and whose unique
    devices are at most theirs: the file's total of them with its label left out (a total's
    devices are their sum, or fewer where the operator counts a device seen in two provinces
    once). Only the rows that load are added: a key's last line for each province. A blank
    province is also what no province can take (roaming devices, an unlocated cell): one row,
    or a sum of other figures, is kept as such (blank_province)."""
    if not placed.any():  # nothing to sum (an empty frame cannot be grouped and joined)
        return pd.Series(False, index=key.index)
    columns = list(key.columns)
    rows = key.assign(_province=province_key, _impressions=impressions, _devices=devices)
    latest = rows[placed].drop_duplicates(subset=[*columns, "_province"], keep="last")
    sums = latest.groupby(columns).agg(rows=("_province", "size"),
                                       impressions=("_impressions", "sum"),
                                       devices=("_devices", "sum"))
    of_key = key.join(sums, on=columns)
    return (of_key["rows"].ge(2) & impressions.eq(of_key["impressions"])
            & devices.le(of_key["devices"])).fillna(False).astype(bool)


def keep_higher_counts(clean: pd.DataFrame, stored: pd.DataFrame
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The file's updates (clean: line, update_id and GROWING_COUNTS) with each count that is
    below the stored one of its update (stored: update_id and GROWING_COUNTS) raised to it,
    and a warning (line, OLDER_EXPORT, the count's name, 'given (kept stored)') for each. The
    files may come in any order (an older export loaded late, or to fill a gap): the
    published counts are the newest the exports gave, whatever the order. A count the file
    leaves empty lowers nothing: the stored one is kept, not warned."""
    highest = stored.groupby("update_id")[list(GROWING_COUNTS)].max()
    kept, found = clean.copy(), []
    for field in GROWING_COUNTS:
        was = clean["update_id"].map(highest[field]).astype("Int64")
        given = clean[field].astype("Int64")
        lower = (given < was).fillna(False).astype(bool)
        kept[field] = given.mask(lower | (given.isna() & was.notna()), was)
        found.append(pd.DataFrame({
            "line": clean.loc[lower, "line"].astype("int64"), "kind": OLDER_EXPORT,
            "field": field, "value": [f"{g} (kept {w})" for g, w in
                                      zip(given[lower], was[lower], strict=True)]}))
    warnings = pd.concat(found, ignore_index=True).astype(
        {"line": "int64", "kind": "string", "field": "string", "value": "string"})
    return kept, warnings


def _usable_update_id(text: str) -> bool:
    return UPDATE_ID_SHAPE.fullmatch(text) is not None and not contains_phone_number(text)


def _count_checks(counts: dict[str, tuple[pd.Series, pd.Series, pd.Series]]
                  ) -> list[tuple[pd.Series, pd.Series]]:
    return [(reason.notna(), reason) for _, reason, _ in counts.values()]


def _count_warnings(counts: dict[str, tuple[pd.Series, pd.Series, pd.Series]],
                    text: dict[str, pd.Series], lines: pd.Series) -> list[pd.DataFrame]:
    """A warning per optional count not stored as written (count_column), value as written."""
    return [_warning(kind, field, warned.eq(kind), lines, text[field])
            for field, (_, _, warned) in counts.items()
            for kind in (DASH_READ_AS_ZERO, UNUSABLE_OPTIONAL_COUNT)]


def _first_failing(reason: pd.Series, checks: Sequence[tuple[pd.Series, object]]
                   ) -> pd.Series:
    """Each row's reason: that of the first check it fails (NA: it passes them all)."""
    for failed, text in reversed(checks):
        reason = reason.mask(failed.fillna(False).astype(bool), text)
    return reason


def _wave_warnings(wave: pd.Series, catalogue: Catalogue, kind: str,
                   lines: pd.Series) -> list[pd.DataFrame]:
    """unknown_wave for a wave missing from the catalogue; wave_channel_mismatch for one
    the catalogue gives to another channel (value: the wave and its catalogue channel)."""
    channel = wave.map(lambda w: catalogue.channels.get(w, pd.NA) if isinstance(w, str)
                       else pd.NA).astype("string")
    wrong = channel.notna() & channel.ne(CHANNEL_OF_KIND[kind])
    return [_warning("unknown_wave", "wave_id", wave.notna() & channel.isna(), lines, wave),
            _warning("wave_channel_mismatch", "wave_id", wrong, lines,
                     wave + " (" + channel + ")")]


def _warning(kind: str, field: str, mask: pd.Series, lines: pd.Series,
             values: pd.Series | None = None) -> pd.DataFrame:
    """One warning per row in mask: its line, kind, field and the value as written."""
    mask = mask.fillna(False).astype(bool)
    value = (values if values is not None
             else pd.Series(pd.NA, index=mask.index, dtype="string"))
    return pd.DataFrame({"line": lines[mask].astype("int64"), "kind": kind, "field": field,
                         "value": value[mask].astype("string")})


def _settle(df: pd.DataFrame, values: pd.DataFrame, reason: pd.Series,
            warnings: list[pd.DataFrame], keys: list[str], columns: Sequence[str],
            extra_key: pd.Series | None = None) -> Checked:
    """Outcomes of the valid rows with the same key: a row whose key and values come again
    later in the file is a duplicate of that later row; of the others, every row but the
    key's last line is superseded (the later line wins). Warnings only for loaded rows."""
    valid = reason.isna()
    compare = [c for c in values.columns if c != "line"]
    judged = values[compare].assign(_key=extra_key if extra_key is not None else "")[valid]
    duplicate = judged.duplicated(subset=[*compare, "_key"], keep="last")
    superseded = ~duplicate & judged.duplicated(subset=[*keys, "_key"], keep="last")
    loaded = valid.copy()
    loaded[duplicate.index[duplicate | superseded]] = False
    found = [w for w in warnings if not w.empty]
    all_warnings = (pd.concat(found, ignore_index=True) if found
                    else pd.DataFrame(columns=list(WARNING_COLUMNS)))
    kept_lines = set(values.loc[loaded, "line"].tolist())
    all_warnings = all_warnings[all_warnings["line"].isin(kept_lines)]
    all_warnings = all_warnings.astype({"line": "int64", "kind": "string", "field": "string",
                                        "value": "string"})
    all_warnings = all_warnings.sort_values(["line", "kind"], kind="stable")
    rejects = pd.DataFrame({"line": values.loc[~valid, "line"], "reason": reason[~valid],
                            "raw": raw_lines(df[~valid], columns)})
    return Checked(values[loaded].reset_index(drop=True),
                   rejects.reset_index(drop=True), all_warnings.reset_index(drop=True),
                   duplicate=int(duplicate.sum()), superseded=int(superseded.sum()))
