"""How a table looks on screen: column labels in the reader's language, ids written out
(themes, tests, outcomes, file kinds), dates as dates, load times in WIB, numbers in the
reader's format and missing values as "–".

Only the screen sees this: downloads and exports keep the stable snake_case column names and
raw ids (the export contract). No streamlit here, so all of it is testable on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.charts.style import format_metric, metric_label, per_voters_unit
from dashboard.i18n import (
    MISSING,
    TRANSLATIONS,
    WIB,
    format_duration,
    format_number,
    format_percent,
    is_missing,
    t,
)

# Where the readable name of a value is looked up, per column, first match wins; a value found
# nowhere (a wave id, a reason code) is shown as it is.
VALUE_KEYS: dict[str, tuple[str, ...]] = {
    "test": ("test.{}",),
    "exposure": ("exposure.{}",),
    "outcome": ("outcome.{}", "survey.{}", "hoax_outcome.{}", "ingest.{}"),
    "group": ("group.{}", "theme.{}", "survey.{}"),
    "theme": ("theme.{}",),
    "kind": ("ui.kind_{}",),
    "reason_code": ("reason.{}",),
    "reason": (),  # 'code: text': display_value names the code
    "warning": ("warning.{}",),
}
# wave_rate_ratios' outcome carries its window: issues_7d_after_vs_before
WINDOW_OUTCOME = re.compile(r"^issues_(\d+)d_after_vs_before$")
# Numbers that are names, not quantities: no thousands mark (2024, not 2.024).
PLAIN_NUMBER_COLUMNS = frozenset({"year", "line"})


def column_label(column: str, lang: str = "id") -> str:
    """The on-screen name of a column: col.* or metric.* in i18n, else the name made readable
    ('rows_read' -> 'Rows read') so that a new column never shows as snake_case."""
    key = f"col.{column}"
    if key in TRANSLATIONS:
        return t(key, lang)
    return metric_label(column, lang)


def column_labels(columns: Iterable[str], lang: str = "id") -> dict[str, str]:
    """column -> label, made unique (a label two columns share gets the column name added)."""
    columns = [str(c) for c in columns]
    labels = {c: column_label(c, lang) for c in columns}
    counts = pd.Series(list(labels.values())).value_counts()
    return {c: f"{label} ({c})" if counts[label] > 1 else label for c, label in labels.items()}


def display_value(column: str, value: object, lang: str = "id") -> object:
    """A cell's value as the reader should see it (a theme id -> its name); others unchanged."""
    if is_missing(value) or not isinstance(value, str):
        return value
    if column == "reason":  # 'code: what is wrong' in English: the code's name instead
        return display_value("reason_code", value.split(":", 1)[0], lang) if (
            f"reason.{value.split(':', 1)[0]}" in TRANSLATIONS) else value
    if column == "outcome" and (match := WINDOW_OUTCOME.match(value)):
        return t("hoax_outcome.issues_after_vs_before", lang, days=match.group(1))
    for pattern in VALUE_KEYS.get(column, ()):
        key = pattern.format(value)
        if key in TRANSLATIONS:  # an exposure names its unit (style.exposure_label)
            return t(key, lang, unit=per_voters_unit(lang))
    return value


def _as_dates(column: pd.Series) -> pd.Series | None:
    """Timestamps at midnight (a date column read as datetime) as dates; None otherwise."""
    if not pd.api.types.is_datetime64_any_dtype(column) or isinstance(
            column.dtype, pd.DatetimeTZDtype):
        return None
    present = column.dropna()
    if not (present == present.dt.normalize()).all():
        return None
    return pd.Series([None if is_missing(v) else v.date() for v in column], index=column.index,
                     dtype=object)


def display_frame(df: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """A copy of `df` for the screen, with the same column names: ids written out, dates as
    dates, aware times in WIB (to the second, without the zone: the label says WIB)."""
    shown = df.copy()
    for column in shown.columns:
        values = shown[column]
        if column in VALUE_KEYS and not pd.api.types.is_numeric_dtype(values):
            mapping = {v: display_value(column, v, lang) for v in values.dropna().unique()}
            shown[column] = values.map(mapping).astype(object).where(values.notna(), None)
        elif isinstance(values.dtype, pd.DatetimeTZDtype):
            shown[column] = values.dt.tz_convert(WIB).dt.tz_localize(None).dt.floor("s")
        elif (dates := _as_dates(values)) is not None:
            shown[column] = dates
    return shown


def format_p(value: object, lang: str = "id") -> str:
    """p-values as journals print them: 0,042 or < 0,001."""
    if is_missing(value):
        return MISSING
    if float(value) < 0.001:
        return "< " + format_number(0.001, decimals=3, lang=lang)
    return format_number(value, decimals=3, lang=lang)


def value_formats(df: pd.DataFrame, lang: str = "id") -> dict[str, Callable[[object], str]]:
    """column -> how its numbers are written; the data stay numeric, so columns still sort by
    value. Columns not listed are shown as they are."""
    formats: dict[str, Callable[[object], str]] = {}
    for column in df.columns:
        name = str(column)
        numeric = pd.api.types.is_numeric_dtype(df[column]) and not pd.api.types.is_bool_dtype(
            df[column])
        if name in ("p_value", "p_adjusted"):
            formats[column] = lambda v: format_p(v, lang)
        elif name in ("estimate", "ci_low", "ci_high"):
            formats[column] = lambda v: format_number(v, decimals=3, lang=lang)
        elif name.endswith("_rate") or name.startswith("share"):
            formats[column] = lambda v: format_percent(v, lang=lang)
        elif name.endswith("_per_voter"):
            formats[column] = lambda v, name=name: format_metric(v, name, lang)
        elif name.endswith("_s"):
            formats[column] = lambda v: format_duration(v, lang)
        elif numeric and name not in PLAIN_NUMBER_COLUMNS and not name.endswith(("_id", "code")):
            formats[column] = lambda v: format_number(v, lang=lang)
    return formats


# A statistics table on screen: the effect and its 95% interval right after the test's name,
# then p (the house standard, effect with its interval first). The tables' own order put
# group, outcome or exposure between, and on a phone only those fitted the width.
EFFECT_FIRST = ("test", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted")


def is_statistics_table(df: pd.DataFrame) -> bool:
    """A table of tests: each row a test with its estimate (and interval, p)."""
    return {"test", "estimate", "ci_low", "ci_high"} <= set(df.columns)


def effect_first(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with EFFECT_FIRST's columns first when it is a statistics table (has test and
    estimate); the rest keep their order. Only the screen: downloads keep the contract's."""
    if not is_statistics_table(df):
        return df
    first = [c for c in EFFECT_FIRST if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]]


# The columns that name what a statistics row tests (the phone form joins them into one cell)
SUBJECT_COLUMNS = ("exposure", "outcome", "group", "theme")


def phone_statistics(df: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """A statistics table (test, estimate, ci_low, ci_high, p_value, p_adjusted) in three text
    columns that wrap at 390 px: the test, what it tests, and the effect with its 95% interval
    and p (adjusted p too) in one cell, in that order (effect and interval first). On a phone
    the full table's interval and p lay beyond the screen's edge. Numbers as the full table
    writes them (value_formats)."""
    shown = display_frame(df, lang)
    formats = value_formats(df, lang)
    subjects = [c for c in SUBJECT_COLUMNS if c in shown.columns]
    word = t("word.interval_to", lang)

    def effect(row: pd.Series) -> str:
        estimate, low, high = (formats[c](row[c]) if not is_missing(row[c]) else MISSING
                               for c in ("estimate", "ci_low", "ci_high"))
        cell = f"{estimate} ({low} {word} {high})"
        for column in ("p_value", "p_adjusted"):  # each p the full table has, its label
            if column in row.index:
                cell += f"; {t(f'col.{column}', lang)} {_p_words(formats[column](row[column]))}"
        return cell

    return pd.DataFrame({
        t("col.test", lang): shown["test"].astype(str).to_list(),
        t("col.subject", lang): [" · ".join(str(row[c]) for c in subjects
                                            if not is_missing(row[c]))
                                 for _, row in shown.iterrows()],
        t("col.effect_ci_p", lang): [effect(row) for _, row in df.iterrows()],
    })


def _p_words(p: str) -> str:
    """'= 0,040' or '< 0,001' (format_p writes the '<' itself)."""
    return p if p.startswith("<") else f"= {p}"


def styled(df: pd.DataFrame, lang: str = "id") -> Styler:
    """`df` ready for st.dataframe: labelled columns, written-out values, number formats, a
    statistics table's effect and interval first (effect_first). (Streamlit draws a missing
    cell with its own placeholder: pass placeholder=MISSING.)"""
    df = effect_first(df)
    formats = value_formats(df, lang)
    labels = column_labels(df.columns, lang)
    shown = display_frame(df, lang).rename(columns=labels)
    return shown.style.format({labels[str(c)]: f for c, f in formats.items()}, na_rep=MISSING)
