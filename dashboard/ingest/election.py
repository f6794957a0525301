"""KPU election results per province and year: validation and harmonisation, pure pandas.

Input columns: year,province,dpt,ballots_cast,valid_votes,invalid_votes,source, and an
optional regency (issue 18: a Kemendagri code or any listed spelling of its name). A row with
a regency is that regency's result (election_results_regency), one without is its province's
(election_results); a file may hold both. A row is either clean or rejected (first failing
check wins); a total row ('Jumlah', 'Nasional', ... as the unit: ingest/totals.py) or a
group's subtotal row ('ACEH Result' under Aceh's regencies, '2019 Sum' under a year's rows:
totals.group_subtotals over the whole file's year, province and regency) is rejected as
total_row, since it sums the file's other rows; inconsistencies that real KPU
data shows (turnout above 100% in the noken provinces, recapitulation sums that do not add
up, no ballots at all) are warnings and the row is kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.ingest import totals
from dashboard.ingest.numbers import parse_counts

ELECTION_COLUMNS = ("year", "province", "dpt", "ballots_cast", "valid_votes", "invalid_votes",
                    "source")
COUNT_COLUMNS = ("dpt", "ballots_cast", "valid_votes", "invalid_votes")
CLEAN_COLUMNS = ("line", "year", "province_code", *COUNT_COLUMNS, "source")
REGENCY_CLEAN_COLUMNS = ("line", "year", "regency_code", "province_code", *COUNT_COLUMNS,
                         "source")
REJECT_COLUMNS = ("line", "reason", "raw")
WARNING_COLUMNS = ("line", "province_code", "year", "warning")
SUM_TOLERANCE = 0.01  # valid + invalid may differ from ballots cast by up to 1%
TURNOUT_ZERO = ("turnout_zero: no ballots cast, turnout 0% (a count not yet in?); kept, and "
                "Partisipasi uses 0%")
FIRST_YEAR, LAST_YEAR = 1955, 2100
# The 2022 Papua split: the new province and the 2019 province it came from.
SPLIT_YEAR = 2022
SPLIT_INTO_2019_UNIT = {93: 91, 94: 91, 95: 91, 96: 92}
# Where the noken system is used: Papua Tengah and Papua Pegunungan, inside Papua before 2022.
NOKEN_PROVINCES = frozenset({94, 95})
INTEGER = r"^[0-9]+$"  # ASCII digits only: int() and pandas read other scripts' differently
# the columns a spreadsheet may group an election file's rows by (totals.subtotal_rows)
SUBTOTAL_COLUMNS = ("year", "province", "regency")


def line_numbers(df: pd.DataFrame) -> pd.Series:
    """Physical line of each row: the reader's `line` column, else header = line 1."""
    if "line" in df.columns:
        return pd.Series(df["line"].to_numpy(dtype="int64"), index=df.index)
    return pd.Series(np.arange(2, len(df) + 2, dtype="int64"), index=df.index)


def text_column(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series(pd.NA, index=df.index, dtype="string")
    return df[column].astype("string").str.strip().replace("", pd.NA)


def csv_line(cells: Sequence[object]) -> str:
    """Cells as one CSV line (quoted where a cell holds a comma, quote or line break, as csv
    writes it): a rejected row's raw line, whose cells must stay apart as the file had them."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(["" if pd.isna(c) else c for c in cells])
    return buffer.getvalue()


def raw_lines(df: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """The row's cells as a CSV line (csv_line), as close to the input line as the frame
    allows."""
    present = [c for c in columns if c in df.columns]
    cells = df[present].astype("string").fillna("")
    return pd.Series([csv_line(row) for row in cells.itertuples(index=False)], index=df.index,
                     dtype="string")


def validate_election(df: pd.DataFrame, province_lookup: Callable[[str], int | None],
                      subtotals: pd.Series | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean rows, rejects (line, reason, raw) and warnings (line, province_code, year,
    warning) of province rows. Every input row is either clean or rejected. subtotals: the
    group subtotal rows (totals.subtotal_rows) when the frame is part of a file (default:
    found in the frame)."""
    lines = line_numbers(df)
    year_text, year = _years(df)
    province_text = text_column(df, "province")
    province_code = _codes(province_text, province_lookup)
    counts = {c: parse_counts(text_column(df, c)) for c in COUNT_COLUMNS}
    reason = _first_failing(df.index, [
        # a 'Jumlah' or 'Nasional' row sums the others (and often leaves the year blank):
        # the clear reason, first; there is no national row to keep it as
        _total_check(province_text, year_text, df, subtotals),
        _year_check(year, year_text),
        # a reason names the field and the problem, never the cell (it may be a phone
        # number); the masked raw line is kept beside it
        (province_code.isna(), "unknown_province: province is not a known province name or "
                               "code"),
        (province_code.isin(list(SPLIT_INTO_2019_UNIT)) & (year < SPLIT_YEAR),
         "province_not_in_year: province " + province_code.astype("string").fillna("")
         + f" was created in {SPLIT_YEAR} and has no results for "
         + year.astype("string").fillna("")),
        *_count_checks(df, counts),
    ])
    reason = _mark_duplicates(reason, year, province_code, lines, "province")
    bad = reason.notna()

    clean = pd.DataFrame({"line": lines, "year": year, "province_code": province_code,
                          **{c: counts[c][0] for c in COUNT_COLUMNS},
                          "source": text_column(df, "source")})[~bad].reset_index(drop=True)
    rejects = pd.DataFrame({"line": lines[bad], "reason": reason[bad],
                            "raw": raw_lines(df[bad], ELECTION_COLUMNS)}).reset_index(drop=True)
    return clean, rejects, election_warnings(clean)


def validate_election_regency(df: pd.DataFrame, regency_lookup: Callable[[str], int | None],
                              regency_province: dict[int, int],
                              province_lookup: Callable[[str], int | None],
                              subtotals: pd.Series | None = None
                              ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean rows (REGENCY_CLEAN_COLUMNS), rejects (line, reason, raw) and warnings (line,
    regency_code, year, warning) of rows that give a regency, checked as province rows are.

    The province is the regency's, in the year's own units (a regency of Papua Tengah is in
    Papua, 91, before the 2022 split), so a regency keeps one code across elections. A province
    cell, when given, must name that province (today's or the year's). An unrecognised regency
    is rejected (unknown_regency): its counts need their unit, and adding them to the province
    instead would double the province total. subtotals: as validate_election's."""
    lines = line_numbers(df)
    year_text, year = _years(df)
    regency_text = text_column(df, "regency")
    regency_code = _codes(regency_text, regency_lookup)
    current = regency_code.map(regency_province, na_action="ignore").astype("Int64")
    before_split = (year < SPLIT_YEAR).fillna(False).astype(bool)
    in_year = current.mask(before_split, current.map(to_2019_unit, na_action="ignore")
                           ).astype("Int64")
    province_text = text_column(df, "province")
    given = _codes(province_text, province_lookup)
    mismatch = province_text.notna() & ~((given == current) | (given == in_year)).fillna(False)
    counts = {c: parse_counts(text_column(df, c)) for c in COUNT_COLUMNS}
    reason = _first_failing(df.index, [
        _total_check(regency_text, year_text, df, subtotals),  # a province's subtotal
        _year_check(year, year_text),
        (regency_code.isna(),
         "unknown_regency: regency is not a known regency code or name (a name a kabupaten "
         "and a kota share needs Kabupaten or Kota)"),
        (mismatch,
         "province_mismatch: province is not the province of regency "
         + regency_code.astype("string").fillna("") + " ("
         + in_year.astype("string").fillna("") + ")"),
        *_count_checks(df, counts),
    ])
    reason = _mark_duplicates(reason, year, regency_code, lines, "regency")
    bad = reason.notna()

    clean = pd.DataFrame({"line": lines, "year": year, "regency_code": regency_code,
                          "province_code": in_year, **{c: counts[c][0] for c in COUNT_COLUMNS},
                          "source": text_column(df, "source")})[~bad].reset_index(drop=True)
    rejects = pd.DataFrame({"line": lines[bad], "reason": reason[bad],
                            "raw": raw_lines(df[bad], (*ELECTION_COLUMNS, "regency"))}
                           ).reset_index(drop=True)
    return clean, rejects, election_warnings(clean, key="regency_code")


@dataclass(frozen=True)
class ElectionFile:
    """An election-results file checked: its province rows, its regency rows, the rejects of
    both (by line) and the warnings of each (the province ones are stored with the results;
    the regency ones are the load's findings only, so no province view changes)."""

    clean: pd.DataFrame
    rejects: pd.DataFrame
    warnings: pd.DataFrame
    clean_regency: pd.DataFrame
    warnings_regency: pd.DataFrame


def validate_election_file(df: pd.DataFrame, province_lookup: Callable[[str], int | None],
                           regency_lookup: Callable[[str], int | None],
                           regency_province: dict[int, int]) -> ElectionFile:
    """Split a file's rows by whether they give a regency and check each kind; every row is
    clean (in one of the two) or rejected."""
    if "province" not in df.columns and "regency" not in df.columns:
        raise ValueError("missing columns ['province'] in the header (or give 'regency')")
    df = df.assign(line=line_numbers(df))  # each part keeps the file's own line numbers
    by_regency = text_column(df, "regency").notna()
    # over the whole file: the group a subtotal names may be in the other part's rows
    # ('ACEH Result', with no regency, sums rows that give one)
    subtotals = totals.subtotal_rows(df, SUBTOTAL_COLUMNS)
    clean, rejects, warnings = validate_election(df[~by_regency], province_lookup,
                                                 subtotals[~by_regency])
    clean_r, rejects_r, warnings_r = validate_election_regency(
        df[by_regency], regency_lookup, regency_province, province_lookup,
        subtotals[by_regency])
    rejects = pd.concat([rejects, rejects_r]).sort_values("line", kind="stable")
    return ElectionFile(clean, rejects.reset_index(drop=True), warnings, clean_r, warnings_r)


def _years(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    year_text = text_column(df, "year")
    year = pd.to_numeric(year_text.where(year_text.str.fullmatch(INTEGER).fillna(False)),
                         errors="coerce").astype("Int64")
    return year_text, year


def _codes(text: pd.Series, lookup: Callable[[str], int | None]) -> pd.Series:
    """Each distinct spelling looked up once."""
    codes = {t: lookup(t) for t in text.dropna().unique()}
    return pd.Series([codes.get(t) if not pd.isna(t) else None for t in text],
                     index=text.index, dtype="Int64")


def _total_check(unit_text: pd.Series, year_text: pd.Series, df: pd.DataFrame,
                 subtotals: pd.Series | None) -> tuple[pd.Series, str]:
    """A total label as the unit or the year (Excel's 'Grand Total' under a subtotal by
    year: no year is named so), or a group's subtotal row (found in df unless given)."""
    if subtotals is None:
        subtotals = totals.subtotal_rows(df, SUBTOTAL_COLUMNS)
    return (totals.total_labels(unit_text) | totals.total_labels(year_text) | subtotals,
            totals.TOTAL_ROW)


def _year_check(year: pd.Series, year_text: pd.Series) -> tuple[pd.Series, pd.Series]:
    return (year.isna() | (year < FIRST_YEAR) | (year > LAST_YEAR),
            "bad_year: year is not an election year")


def _count_checks(df: pd.DataFrame, counts: dict[str, tuple[pd.Series, pd.Series]]
                  ) -> list[tuple[pd.Series, pd.Series]]:
    # DPT 0 is rejected, not warned: turnout (ballots / DPT) and every per-voter exposure
    # divide by it, so the row's numbers cannot be computed (the house rule's "a field its
    # count needs is unusable"); ballots of 0 are a usable count and load with a warning
    checks = [(counts["dpt"][0].isna() | (counts["dpt"][0] <= 0),
               "bad_dpt: dpt must be a whole number above 0")]
    for column in COUNT_COLUMNS[1:]:
        checks.append((counts[column][1],
                       f"bad_count: {column} is not a whole number >= 0"))
    return checks


def _first_failing(index: pd.Index, checks: list[tuple[pd.Series, pd.Series]]) -> pd.Series:
    """The reason of the first failing check of each row (NA: it passes them all)."""
    reason = pd.Series(pd.NA, index=index, dtype="string")
    for failed, text in reversed(checks):  # the first failing check wins
        reason = reason.mask(failed.fillna(True).astype(bool), text)
    return reason


def _mark_duplicates(reason: pd.Series, year: pd.Series, code: pd.Series, lines: pd.Series,
                     unit: str) -> pd.Series:
    """A second accepted row of the same (year, unit) is rejected, naming the first's line."""
    accepted = reason.isna()
    keys = pd.DataFrame({"year": year, "code": code, "line": lines})
    first_line = keys[accepted].groupby(["year", "code"])["line"].transform("min")
    duplicate = pd.Series(False, index=reason.index)
    duplicate[first_line.index] = keys.loc[first_line.index, "line"] != first_line
    return reason.mask(duplicate, "duplicate: year " + year.astype("string").fillna("")
                       + f", {unit} " + code.astype("string").fillna("")
                       + " already given on line " + first_line.reindex(reason.index)
                       .astype("Int64").astype("string").fillna(""))


def election_warnings(clean: pd.DataFrame, key: str = "province_code") -> pd.DataFrame:
    """Warnings on clean rows (kept, never dropped): sums that do not add up (also with no
    ballots cast), turnout above 100% (real in the Papua highlands, where the noken system is
    used and KPU counts additional voters), turnout 0 (no ballots cast), missing counts, and
    units missing a year the file covers. key: the
    unit's column (province_code, or regency_code for regency rows)."""
    found: list[pd.DataFrame] = []

    def add(mask: pd.Series, text: pd.Series) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            found.append(pd.DataFrame({"line": clean.loc[mask, "line"],
                                       key: clean.loc[mask, key],
                                       "year": clean.loc[mask, "year"], "warning": text[mask]}))

    ballots = clean["ballots_cast"].astype("Float64")
    valid = clean["valid_votes"].astype("Float64")
    invalid = clean["invalid_votes"].astype("Float64")
    turnout = ballots / clean["dpt"].astype("Float64")
    no_ballots = (ballots == 0).fillna(False).astype(bool)
    # a share of no ballots has no base: 0 / 0 was NaN and never compared above the tolerance
    gap = (valid + invalid - ballots) / ballots.mask(no_ballots)
    missing = clean[["ballots_cast", "valid_votes", "invalid_votes"]].isna()
    add(missing.any(axis=1),
        "missing_value: " + missing.apply(lambda r: ", ".join(r.index[r]), axis=1).astype(
            "string") + " not given")
    add(invalid > ballots, "invalid_exceeds_ballots: invalid votes "
        + invalid.astype("Int64").astype("string") + " exceed ballots cast "
        + ballots.astype("Int64").astype("string"))
    add(gap.abs() > SUM_TOLERANCE,
        "sum_mismatch: valid + invalid differs from ballots cast by "
        + (gap * 100).round(1).astype("string") + "%")
    add(no_ballots & (valid + invalid > 0),
        "sum_mismatch: valid + invalid is " + (valid + invalid).astype("Int64").astype("string")
        + " with no ballots cast")
    # kept, as every count here is usable; but a 0 % turnout (a count not yet in, written as
    # 0) would dominate the province correlations, so it must not pass unseen
    add(no_ballots, pd.Series(TURNOUT_ZERO, index=clean.index, dtype="string"))
    percent = "turnout_above_100: turnout " + (turnout * 100).round(1).astype("string") + "%"
    highland = (clean["province_code"].isin(list(NOKEN_PROVINCES))
                | ((clean["province_code"] == 91) & (clean["year"] < SPLIT_YEAR)))
    highland = highland.fillna(False).astype(bool)
    add((turnout > 1) & highland, percent + " (expected in the Papua highlands: noken system)")
    add((turnout > 1) & ~highland, percent + " (check the figures; KPU's own turnout also "
        "counts DPTb and DPK voters)")
    found.append(_missing_years(clean, key))
    warnings = pd.concat([f for f in found if not f.empty] or [_empty_warnings(key)],
                         ignore_index=True)
    warnings = warnings.astype({"line": "Int64", key: "Int64", "year": "Int64",
                                "warning": "string"})
    return warnings.sort_values(["line", "year", key], na_position="last",
                                kind="stable").reset_index(drop=True)


def _empty_warnings(key: str = "province_code") -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ("line", key, "year", "warning")})


def _missing_years(clean: pd.DataFrame, key: str = "province_code") -> pd.DataFrame:
    """A unit present in one year of the file but not in another it existed in (a regency
    existed in every year: its code stays across the Papua split)."""
    years = sorted(int(y) for y in clean["year"].dropna().unique())
    seen = set(zip(clean["year"].astype(int), clean[key].astype(int), strict=True))
    by_province = key == "province_code"
    rows = [(pd.NA, code, year, f"missing_year: no row for {year}")
            for code in sorted({c for _, c in seen}) for year in years
            if (year, code) not in seen and not (by_province and code in SPLIT_INTO_2019_UNIT
                                                 and year < SPLIT_YEAR)]
    return (pd.DataFrame(rows, columns=["line", key, "year", "warning"]) if rows
            else _empty_warnings(key))


def to_2019_unit(code: int | None) -> int | None:
    """The 2019 province a code belongs to (93, 94, 95 -> 91 Papua; 96 -> 92 Papua Barat)."""
    if code is None or pd.isna(code):
        return None
    return SPLIT_INTO_2019_UNIT.get(int(code), int(code))


def whole_2019_units(provinces: Iterable[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The 2019 units all of whose parts (today's provinces) are among `provinces`, and the
    units only some of whose parts are; both sorted. The one rule for a province choice or
    scope in the participation tests: those compare 2024 with 2019, which exists only for the
    whole unit, so a unit counts only when all of it is chosen. Summing the chosen parts
    alone would set part of Papua's 2024 DPT and messages beside all of Papua's 2019 turnout;
    such a unit is left out and named instead."""
    chosen = {int(p) for p in provinces}
    units = {to_2019_unit(p) for p in chosen}
    parts = {unit: {unit} | {p for p, u in SPLIT_INTO_2019_UNIT.items() if u == unit}
             for unit in units}
    whole = tuple(sorted(u for u in units if parts[u] <= chosen))
    return whole, tuple(sorted(units - set(whole)))


def harmonise_to_2019_units(df: pd.DataFrame, sum_columns: Sequence[str] | None = None,
                            require_all_parts: bool = True) -> pd.DataFrame:
    """Rows per (year, province) in the 34 units of 2019: 93+94+95 are added into 91 and 96
    into 92, so 2024 can be compared with 2019.

    sum_columns (default: every numeric column but year, province_code and line) are summed;
    a sum with a missing part, or (with require_all_parts) a Papua unit with one of its 2024
    parts absent from that year, is missing rather than understated. Pass
    require_all_parts=False where an absent province means zero (delivered messages). Text
    columns keep their distinct values joined by '+'. Works for any frame with province_code
    (a year column is optional).
    """
    keys = ["year"] if "year" in df.columns else []
    frame = df.drop(columns=[c for c in ("line",) if c in df.columns])
    frame = frame[frame["province_code"].notna()].copy()
    original = frame["province_code"].astype(int)
    frame["province_code"] = original.map(to_2019_unit).astype("Int64")
    if sum_columns is None:
        sum_columns = [c for c in frame.columns if c not in (*keys, "province_code")
                       and pd.api.types.is_numeric_dtype(frame[c])]
    text_columns = [c for c in frame.columns
                    if c not in (*keys, "province_code", *sum_columns)]
    group_keys = [*keys, "province_code"]
    grouped = frame.groupby(group_keys, sort=True, dropna=False)
    out = grouped[list(sum_columns)].sum(min_count=1)
    # vectorised: a lambda per group and column took most of the Partisipasi page's frame
    has_missing = frame[list(sum_columns)].isna().groupby(
        [frame[k] for k in group_keys], sort=True, dropna=False).any()
    out = out.mask(has_missing.astype(bool))
    members = pd.DataFrame({**{k: frame[k] for k in keys}, "province_code":
                            frame["province_code"], "original": original})
    if require_all_parts:
        parts = members.groupby(group_keys, dropna=False)["original"]
        incomplete = parts.agg(_missing_split_part)
        if keys:  # from 2022 on a unit's own code is only what is left of it: a view scoped
            # to Papua (91) alone would set that against all of 2019's Papua
            units = incomplete.index.get_level_values("province_code")
            needed = np.array([1 + list(SPLIT_INTO_2019_UNIT.values()).count(unit)
                               for unit in units])
            after_split = incomplete.index.get_level_values("year") >= SPLIT_YEAR
            incomplete = incomplete | (after_split & (parts.nunique().to_numpy() < needed))
        out = out.mask(pd.DataFrame({c: incomplete for c in sum_columns}).astype(bool))
    for column in text_columns:
        out[column] = grouped[column].agg(
            lambda s: "+".join(dict.fromkeys(str(v) for v in s.dropna())) or pd.NA)
    return out.reset_index()


def _missing_split_part(originals: pd.Series) -> bool:
    """True when a unit holds some of its post-2022 parts but not all of them."""
    present = set(originals)
    unit = to_2019_unit(next(iter(present)))
    parts = {unit} | {c for c, u in SPLIT_INTO_2019_UNIT.items() if u == unit}
    split_parts = parts - {unit}
    return bool(present & split_parts) and not parts <= present
