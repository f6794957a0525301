"""The hoax register: validate a file read as text, account for every row, and explode the
platforms into long form.

Every data row ends as exactly one of three outcomes, so loaded + duplicate + rejected equals
the rows read:

- loaded: a row of the clean frame (possibly with a warning: a repeated title, an unknown
  platform or province spelling);
- duplicate: a later row whose hoax_id an earlier valid row already has (the first one is kept);
- rejected: a row that fails a check; the reason names every failed check and its field,
  never the cell's value (a value in the wrong column may be a phone number; the raw line,
  masked, is kept beside the reason). A total row by hoax_id ('Jumlah', 'Grand Total', or a
  group's 'HX2023-0001 Total' beside HX2023-0001: ingest/totals.py) has the one reason
  `total_row`: with its cells filled in it would count the issues' content a second time (an
  id is no free text: no issue is named 'Total'). No other column is read for totals: they
  are free text.

Counts (content_items, taken_down) follow the rule every tabular kind shares (numbers.py):
'1234', '1.234', '1,234', '1234.0'.

identified_date (and taken_down_date) may be written in any form dates.py reads: ISO
'2024-01-05' (a time after it is ignored; an instant's is its day in WIB), '5 Januari 2024',
'14 Feb 2024', or '05/01/2024' (day first, as Indonesian registers write it).

Missing take-down counts stay NULL (unknown), never 0. An empty province means a national issue
(NULL). The register has no take-down date; an optional ``taken_down_date`` column is read
when present (it lets the analysis report a take-down lag): a day that cannot be read, or
before identified_date, is left blank with a warning (no count needs it). Its numeric days
share identified_date's order of day and month (dates.month_first over both columns).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from dashboard.ingest import dates, numbers, totals
from dashboard.ingest.election import csv_line
from dashboard.ingest.privacy import mask_phone_numbers

HOAX_COLUMNS: tuple[str, ...] = (
    "hoax_id", "identified_date", "title", "category", "election_related", "theme",
    "platforms", "content_items", "taken_down", "province", "source_url",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("taken_down_date",)
PLATFORMS: tuple[str, ...] = (
    "Facebook", "X (Twitter)", "TikTok", "Instagram", "YouTube", "SnackVideo", "WhatsApp",
    "Other",
)
# Spellings seen in Kominfo reports and spreadsheets, compared after lower-casing and dropping
# everything but letters and digits ("X (Twitter)" -> "xtwitter").
PLATFORM_ALIASES: dict[str, str] = {
    "facebook": "Facebook", "fb": "Facebook", "meta": "Facebook",
    "x": "X (Twitter)", "twitter": "X (Twitter)", "xtwitter": "X (Twitter)",
    "twitterx": "X (Twitter)", "xcom": "X (Twitter)",
    "tiktok": "TikTok", "tiktokcom": "TikTok",
    "instagram": "Instagram", "ig": "Instagram", "insta": "Instagram",
    "youtube": "YouTube", "yt": "YouTube", "youtubeshorts": "YouTube",
    "snackvideo": "SnackVideo", "snack": "SnackVideo",
    "whatsapp": "WhatsApp", "wa": "WhatsApp", "whatsappgroup": "WhatsApp",
    "other": "Other", "others": "Other", "lainnya": "Other", "lain": "Other",
    "lainlain": "Other",
}
YES = frozenset({"yes", "ya", "y", "true", "1"})
NO = frozenset({"no", "tidak", "t", "n", "false", "0"})
OUTCOMES = ("loaded", "duplicate", "rejected")
MAX_COUNT = 2**31 - 1  # hoax_reports.content_items and taken_down are INTEGER columns
# the reject reason of each problem numbers.count_problems finds in a count column
COUNT_REASONS: dict[str, str] = {
    numbers.MISSING: "missing_{name}: {name} is empty",
    numbers.NEGATIVE_COUNT: "negative_{name}: {name} is below 0",
    numbers.TOO_LARGE: f"bad_{{name}}: {{name}} is too large (at most {MAX_COUNT})",
    numbers.NOT_WHOLE: "bad_{name}: {name} is not a whole number",
}

_NON_ALNUM = re.compile(r"[^a-z0-9]")
_SPACES = re.compile(r"\s+")
_TITLE_TAG = re.compile(r"^\s*\[[^\]]*\]\s*")  # "[HOAKS] ", "[DISINFORMASI] "

SET_ASIDE_COLUMNS = ["line", "outcome", "reason", "raw"]


def platform_name(text: str) -> str | None:
    """The canonical platform for a spelling ('twitter' -> 'X (Twitter)'), None if unknown."""
    return PLATFORM_ALIASES.get(_NON_ALNUM.sub("", str(text).strip().lower()))


def split_platforms(text: object) -> tuple[list[str], list[str]]:
    """Canonical platforms of one `;`-separated cell, in canonical order, without repeats, and
    the spellings that were not recognised (each counted as Other)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return [], []
    found: set[str] = set()
    unknown: list[str] = []
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        name = platform_name(part)
        if name is None:
            unknown.append(part)
            name = "Other"
        found.add(name)
    return [p for p in PLATFORMS if p in found], unknown


def validate_hoax_register(
    df: pd.DataFrame, province_lookup: Callable[[str], int | None]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a hoax register read as all-text columns.

    ``df`` holds the file's cells as text (header names in any case; extra columns are ignored)
    and optionally a ``line`` column with the 1-based physical line (header = line 1); without
    it, row i (0-based) is taken to be line i + 2.

    Returns ``(clean, set_aside)``:

    - clean: line, hoax_id, identified_date (datetime64, midnight), title, category,
      election_related (boolean), theme (lower snake case, NA if empty), platforms (canonical
      names joined by ';'), platform_count, content_items (Int64), taken_down (Int64, NA =
      unknown), province_code (Int64, NA = national or unknown spelling), source_url,
      taken_down_date (datetime64, NaT when absent), warning (NA or the '; '-joined
      warnings as sentences, 'kind: ...'), warnings (the list of them as (kind, field, value)
      tuples, value the cell as written: the warning contract every kind's warnings share);
      phone numbers are masked in both;
    - set_aside: line, outcome ('duplicate' or 'rejected'), reason, raw (the row as CSV text),
      sorted by line.
    """
    frame = _normalise_header(df)
    n = len(frame)
    lines = ([int(v) for v in pd.to_numeric(frame["line"])] if "line" in frame.columns
             else list(range(2, n + 2)))
    # (_normalise_header numbers the rows 0..n-1)
    text = {c: _text(frame[c]) for c in HOAX_COLUMNS + OPTIONAL_COLUMNS if c in frame.columns}
    has_takedown_date = "taken_down_date" in frame.columns

    problems: list[list[str]] = [[] for _ in range(n)]
    # (kind, field, the cell as written, the sentence after 'kind: ') per row
    warnings: list[list[tuple[str, str, str, str]]] = [[] for _ in range(n)]

    def flag(mask: pd.Series, message: Callable[[int], str], into: list[list[str]]) -> None:
        for i in mask[mask].index:
            into[i].append(message(i))

    hoax_id = text["hoax_id"]
    flag(hoax_id == "", lambda i: "missing_hoax_id: hoax_id is empty", problems)

    # the file's order of day and month, shown by either date column
    order = dates.month_first(pd.concat([text[c] for c in ("identified_date",
                                                           "taken_down_date") if c in text]))
    identified = dates.parse_days(text["identified_date"], order)  # '5 Januari 2024'
    flag(identified.isna(), lambda i: (
        f"bad_identified_date: identified_date is not a date written {dates.FORMS}"), problems)

    flag(text["title"] == "", lambda i: "missing_title: title is empty", problems)

    election_word = text["election_related"].str.lower()
    election = pd.Series(pd.NA, index=election_word.index, dtype="boolean")
    election = election.mask(election_word.isin(YES), True).mask(election_word.isin(NO), False)
    flag(election.isna(), lambda i: (
        "bad_election_related: election_related is not yes or no"), problems)

    platform_lists = [split_platforms(v) for v in text["platforms"]]
    flag(pd.Series([not p for p, _ in platform_lists]), lambda i: (
        "missing_platforms: at least one platform is required"), problems)
    for i, (_, unknown) in enumerate(platform_lists):
        if unknown:
            warnings[i] += [("unknown_platform", "platforms", u, f"'{u}' counted as Other")
                            for u in unknown]

    content, content_problem = _read_count(text["content_items"], "content_items", required=True)
    taken, taken_problem = _read_count(text["taken_down"], "taken_down", required=False)
    for i in range(n):
        problems[i] += [p for p in (content_problem[i], taken_problem[i]) if p]
    # (a comparison with a missing count is <NA>, which boolean indexing reads as False)
    flag(pd.Series(taken > content), lambda i: (
        "taken_down_exceeds_content_items: taken_down is more than content_items"), problems)

    takedown_date = pd.Series(pd.NaT, index=range(n), dtype=identified.dtype)
    if has_takedown_date:
        raw_dates = text["taken_down_date"]
        takedown_date = dates.parse_days(raw_dates, order)  # as identified_date
        # no count needs the take-down day: a day that cannot be used is left blank, warned
        unreadable = (raw_dates != "") & takedown_date.isna()
        before = (takedown_date < identified).fillna(False)  # NaT compares False
        for i in unreadable[unreadable].index:
            warnings[i].append(("bad_taken_down_date", "taken_down_date", raw_dates[i],
                                f"not a date written {dates.FORMS}; left blank"))
        for i in before[before].index:
            warnings[i].append(("taken_down_date_before_identified", "taken_down_date",
                                raw_dates[i], "before identified_date; left blank"))
        takedown_date = takedown_date.mask(before)

    province_code: list[int | None] = [None] * n
    for i, spelling in enumerate(text["province"]):
        if spelling:
            code = province_lookup(spelling)
            if code is None:
                warnings[i].append(("unknown_province", "province", spelling,
                                    f"'{spelling}' is not a known province; loaded as NULL"))
            else:
                province_code[i] = int(code)

    total = totals.total_labels(hoax_id) | totals.group_subtotals(hoax_id)
    for i in total[total].index:  # its one reason: what it is, not what it lacks
        problems[i] = [totals.TOTAL_ROW]
    rejected = pd.Series([bool(p) for p in problems])
    # Duplicates are judged among valid rows only: an invalid first row must not hide a valid
    # later one.
    first_line: dict[str, int] = {}
    first_index: dict[str, int] = {}
    duplicate_reason: dict[int, str] = {}
    for i in range(n):
        if rejected[i]:
            continue
        key = hoax_id[i]
        if key in first_index:
            j = first_index[key]
            same = all(text[c][i] == text[c][j] for c in HOAX_COLUMNS)
            duplicate_reason[i] = (f"duplicate_hoax_id: hoax_id already on line {first_line[key]} "
                                   "(the first is kept)"
                                   + ("" if same else "; the rows differ"))
        else:
            first_index[key], first_line[key] = i, int(lines[i])

    loaded = [i for i in range(n) if not rejected[i] and i not in duplicate_reason]
    seen_titles: dict[str, int] = {}
    for i in loaded:
        key = _title_key(text["title"][i])
        if key in seen_titles:
            j = seen_titles[key]
            warnings[i].append(("repeated_title", "title", text["title"][i],
                                f"same title as {hoax_id[j]} (line {lines[j]})"))
        else:
            seen_titles[key] = i

    clean = pd.DataFrame({
        "line": pd.array([lines[i] for i in loaded], dtype="Int64"),
        "hoax_id": pd.array([hoax_id[i] for i in loaded], dtype="string"),
        "identified_date": identified.iloc[loaded].to_numpy(),
        "title": pd.array([text["title"][i] for i in loaded], dtype="string"),
        "category": _blank_to_na([text["category"][i] for i in loaded]),
        "election_related": pd.array([election[i] for i in loaded], dtype="boolean"),
        "theme": _blank_to_na([_snake(text["theme"][i]) for i in loaded]),
        "platforms": pd.array([";".join(platform_lists[i][0]) for i in loaded], dtype="string"),
        "platform_count": pd.array([len(platform_lists[i][0]) for i in loaded], dtype="Int64"),
        "content_items": pd.array([content[i] for i in loaded], dtype="Int64"),
        "taken_down": pd.array([taken[i] for i in loaded], dtype="Int64"),
        "province_code": pd.array([province_code[i] for i in loaded], dtype="Int64"),
        "source_url": _blank_to_na([text["source_url"][i] for i in loaded]),
        "taken_down_date": takedown_date.iloc[loaded].to_numpy(),
        # shown: a value the warning quotes may be a phone number
        "warning": _blank_to_na([mask_phone_numbers("; ".join(
            f"{kind}: {sentence}" for kind, _, _, sentence in warnings[i])) for i in loaded]),
        # stored as the load's warnings (line, kind, field, value), masked as other kinds'
        "warnings": [[(kind, field, mask_phone_numbers(value))
                      for kind, field, value, _ in warnings[i]] for i in loaded],
    })

    set_aside_rows = [
        (int(lines[i]), "rejected", "; ".join(problems[i]), _raw(text, i))
        for i in range(n) if rejected[i]
    ] + [(int(lines[i]), "duplicate", reason, _raw(text, i))
         for i, reason in duplicate_reason.items()]
    set_aside = pd.DataFrame(set_aside_rows, columns=SET_ASIDE_COLUMNS)
    set_aside = set_aside.astype({"line": "int64", "outcome": "string", "reason": "string",
                                  "raw": "string"})
    return clean, set_aside.sort_values("line").reset_index(drop=True)


def count_outcomes(clean: pd.DataFrame, set_aside: pd.DataFrame) -> dict[str, int]:
    """rows_read, loaded, duplicate, rejected; loaded + duplicate + rejected == rows_read."""
    outcome = set_aside["outcome"]
    counts = {"loaded": len(clean), "duplicate": int((outcome == "duplicate").sum()),
              "rejected": int((outcome == "rejected").sum())}
    return {"rows_read": sum(counts.values()), **counts}


def validate_hoax_file(
    df: pd.DataFrame, province_lookup: Callable[[str], int | None]
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(clean, rejects with line/reason/raw, number of duplicates): the shape the tabular
    loader's accounting wants. Duplicates are counted, not written as rejects."""
    clean, set_aside = validate_hoax_register(df, province_lookup)
    duplicate = set_aside["outcome"] == "duplicate"
    rejects = set_aside.loc[~duplicate, ["line", "reason", "raw"]].reset_index(drop=True)
    return clean, rejects, int(duplicate.sum())


def explode_platforms(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (issue, platform): the issue's columns plus ``platform``, ``platform_count``
    and ``platform_share`` (1 / platform_count).

    The register gives one content and take-down count per issue, not per platform, so
    ``content_items_apportioned`` and ``taken_down_apportioned`` split them equally among the
    issue's platforms (they add up to the issue's totals; NA take-downs stay NA). An issue
    without a platform counts once, as Other.
    """
    lists = [split_platforms(v)[0] or ["Other"] for v in df["platforms"]]
    counts = [len(p) for p in lists]
    long = df.loc[df.index.repeat(counts)].reset_index(drop=True)
    long["platform"] = pd.array([p for ps in lists for p in ps], dtype="string")
    long["platform_count"] = pd.array([c for c in counts for _ in range(c)], dtype="Int64")
    long["platform_share"] = 1.0 / long["platform_count"].astype("float64")
    for column in ("content_items", "taken_down"):
        if column in long.columns:
            values = pd.to_numeric(long[column], errors="coerce").astype("Float64")
            long[f"{column}_apportioned"] = values * long["platform_share"]
    return long


def _normalise_header(df: pd.DataFrame) -> pd.DataFrame:
    renamed = df.rename(columns=lambda c: str(c).strip().lower().lstrip("\ufeff"))
    missing = [c for c in HOAX_COLUMNS if c not in renamed.columns]
    if missing:
        raise ValueError(f"missing columns {missing} in the hoax register header")
    return renamed.reset_index(drop=True)


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").str.strip()


def _read_count(text: pd.Series, name: str,
            required: bool) -> tuple[pd.Series, list[str | None]]:
    """A count column read by the shared rule (numbers.py), at most MAX_COUNT, and each row's
    reject reason (None: usable); '' is NULL, a problem only when required."""
    values, problem = numbers.count_problems(text, largest=MAX_COUNT)
    if not required:
        problem = problem.mask(problem.eq(numbers.MISSING))
    return values, [None if pd.isna(p) else COUNT_REASONS[p].format(name=name)
                    for p in problem]


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _title_key(title: str) -> str:
    return _SPACES.sub(" ", _TITLE_TAG.sub("", title)).strip().casefold()


def _blank_to_na(values: list[str]) -> pd.Series:
    return pd.Series(pd.array([v if v else pd.NA for v in values], dtype="string"))


def _raw(text: dict[str, pd.Series], i: int) -> str:
    columns = HOAX_COLUMNS + tuple(c for c in OPTIONAL_COLUMNS
                                   if c in text and text[c].ne("").any())
    return csv_line([text[c][i] for c in columns])
