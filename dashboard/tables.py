"""The named result tables that pages show and `python -m dashboard export` writes: one
function per table, so the page and the export give the same numbers."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from dashboard import db
from dashboard.filters import Filters

TableFn = Callable[[duckdb.DuckDBPyConnection, Filters], pd.DataFrame]


def _filtered(query: str) -> TableFn:
    def table(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
        return db.run(conn, query, **filters.params())

    table.__doc__ = f"queries/{query}.sql with the shared filters bound"
    return table


def data_quality(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per loaded file (the export contract's columns first)."""
    log = db.run(conn, "marts/data_quality")
    first = ["file", "kind", "rows_read", "loaded", "duplicate", "superseded", "rejected"]
    return log[first + [c for c in log.columns if c not in first]]


def error_codes_top(conn: duckdb.DuckDBPyConnection, filters: Filters,
                    limit: int = 10) -> pd.DataFrame:
    return db.run(conn, "marts/error_codes_top", limit=limit, **filters.params())


def hoax_register(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The register within the period filter (identified dates)."""
    return db.run(conn, "marts/hoax_register", date_from=filters.date_from,
                  date_to=filters.date_to)


def hoax_weekly(conn: duckdb.DuckDBPyConnection, filters: Filters,
                by: str | None = None) -> pd.DataFrame:
    """Election hoax issues per ISO week (zeros for empty weeks), optionally by theme or
    platform."""
    from dashboard.analysis.hoax import WEEKLY_COLUMNS, weekly_counts

    register = hoax_register(conn, filters)
    if register.empty:
        return pd.DataFrame(columns=list(WEEKLY_COLUMNS))
    return weekly_counts(register, filters.date_from, filters.date_to, by=by)


def hoax_tests(conn: duckdb.DuckDBPyConnection, filters: Filters, k: int = 7) -> pd.DataFrame:
    """Trend, wave rate ratios and survey comparison of the hoax register (association only)."""
    from dashboard.analysis.hoax import TEST_COLUMNS
    from dashboard.analysis.hoax import hoax_tests as run_tests

    register = hoax_register(conn, filters)
    if register.empty:
        return pd.DataFrame(columns=list(TEST_COLUMNS))
    survey = db.run(conn, "marts/survey_responses")
    return run_tests(register, db.run(conn, "marts/waves_catalogue"), k=k,
                     start=filters.date_from, end=filters.date_to,
                     survey=survey if len(survey) else None)


def participation_provinces(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per 2019 unit (34): exposure of the filtered blasts per registered voter beside
    turnout and invalid rates 2019 and 2024 (see analysis.participation.province_frame)."""
    from dashboard.analysis.participation import province_frame
    from dashboard.reference import provinces

    election = db.run(conn, "marts/election_results")
    if filters.scope:  # a user's province scope hides the other provinces' rows too
        election = election[election["province_code"].isin(filters.scope)]
    if election.empty:
        return pd.DataFrame()
    exposure = db.run(conn, "marts/exposure_province", **filters.params())
    names = dict(zip(provinces()["province_code"], provinces()["name"], strict=True))
    return province_frame(election, exposure, names)


def participation_tests(conn: duckdb.DuckDBPyConnection, filters: Filters,
                        exclude_noken: bool = False) -> pd.DataFrame:
    """Every exposure x outcome x test at province level (association, not causation); an
    empty table with the reason in attrs['reason'] when too few provinces are left."""
    from dashboard.analysis.participation import RESULT_COLUMNS
    from dashboard.analysis.participation import participation_tests as run_tests
    from dashboard.analysis.province_stats import NotEnoughData

    frame = participation_provinces(conn, filters)
    try:
        if frame.empty:
            raise NotEnoughData("no election results loaded")
        return run_tests(frame, exclude_noken=exclude_noken)
    except NotEnoughData as problem:
        empty = pd.DataFrame(columns=list(RESULT_COLUMNS))
        empty.attrs["reason"] = str(problem)
        return empty


def survey_tests(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Recipients against non-recipients in the survey: weighted shares, difference,
    chi-square, weighted logistic regression and the detectable difference."""
    from dashboard.analysis.participation import SURVEY_RESULT_COLUMNS
    from dashboard.analysis.participation import survey_tests as run_tests
    from dashboard.analysis.province_stats import NotEnoughData

    responses = db.run(conn, "marts/survey_responses")
    if (provinces := filters.effective_provinces) is not None:
        responses = responses[responses["province_code"].isin(provinces)]
    try:
        if responses.empty:
            raise NotEnoughData("no survey responses loaded")
        return run_tests(responses)
    except NotEnoughData as problem:
        empty = pd.DataFrame(columns=list(SURVEY_RESULT_COLUMNS))
        empty.attrs["reason"] = str(problem)
        return empty


TABLES: dict[str, TableFn] = {
    "reach_totals": _filtered("marts/reach_totals"),
    "reach_operator": _filtered("marts/reach_operator"),
    "reach_province": _filtered("marts/reach_province"),
    "reach_operator_province": _filtered("marts/reach_operator_province"),
    "reach_wave": _filtered("marts/reach_wave"),
    "reach_daily": _filtered("marts/reach_daily"),
    "error_codes": error_codes_top,
    "data_quality": data_quality,
    "hoax_weekly": hoax_weekly,
    "hoax_tests": hoax_tests,
    "participation_tests": participation_tests,
    "survey_tests": survey_tests,
}


def table(conn: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
          **options: object) -> pd.DataFrame:
    """A named table; options are the table's own (participation_tests: exclude_noken)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; choose one of {', '.join(sorted(TABLES))}")
    return TABLES[name](conn, filters or Filters(), **options)
