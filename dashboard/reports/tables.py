"""The named result tables that pages show and `python -m dashboard export` writes: one
function per table, so the page and the export give the same numbers. One exception, by
design: on a large campaign pages estimate unique reach (HyperLogLog, labelled as such; see
dashboard/store/sketch.py) while the export passes approximate=False and counts it exactly.
Exact at any size: reach_wave_operator_province (whole waves, from the rollup reach_cells)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar, cast

import duckdb
import pandas as pd
from threadpoolctl import threadpool_limits

from dashboard.filters import Filters
from dashboard.store import db, large_campaign, reach_cells, sketch

TableFn = Callable[[duckdb.DuckDBPyConnection, Filters], pd.DataFrame]
StatisticsFn = TypeVar("StatisticsFn", bound=Callable[..., pd.DataFrame])
# tables with unique reach, exact or estimated from the HyperLogLog sketch ($approximate)
REACH_QUERIES = ("reach_totals", "reach_operator", "reach_province", "reach_operator_province",
                 "reach_wave", "reach_unit_2019")


# columns that hold unique reach or a number made from it (per voter)
UNIQUE_REACH_COLUMNS = ("unique_reach", "unique_reach_per_voter", "reach_per_voter")


def shows_unique_reach(frame: pd.DataFrame) -> bool:
    """Whether a table shows unique reach, in a column or as a test's exposure: its notes
    must then say what unique reach leaves out (export.provenance.reach_left_out)."""
    if any(column in frame.columns for column in UNIQUE_REACH_COLUMNS):
        return True
    return "exposure" in frame.columns and frame["exposure"].isin(UNIQUE_REACH_COLUMNS).any()


def _filtered(query: str) -> TableFn:
    def table(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
        return db.run(conn, query, **filters.params())

    table.__doc__ = f"queries/{query}.sql with the shared filters bound"
    return table


def _reach(name: str) -> TableFn:
    def table(conn: duckdb.DuckDBPyConnection, filters: Filters,
              approximate: bool | None = None) -> pd.DataFrame:
        return reach_table(conn, name, filters, approximate)

    table.__doc__ = (f"queries/marts/{name}.sql with the shared filters bound; unique reach "
                     "estimated when the sketch is in use")
    return table


def reach_table(conn: duckdb.DuckDBPyConnection, name: str, filters: Filters,
                approximate: bool | None = None) -> pd.DataFrame:
    """A table with unique reach (queries/marts/<name>.sql): exact, or estimated from the
    HyperLogLog sketch when `approximate` is true; None chooses by the database's size
    (sketch.use_sketch); a database attached from cluster rollups has only the estimate (no
    reach_recipients), whatever `approximate` says. An estimated table has the column
    unique_reach_approximate: true where the number is an estimate, false where it is exact
    all the same (the operator x province table for one whole wave reads the exact rollup
    reach_cells); an exact table has no such column."""
    if name not in REACH_QUERIES:
        raise KeyError(f"not a unique-reach table: {name!r}")
    if approximate is None or large_campaign.is_large(conn):
        # large-campaign mode: no reach_recipients to count exactly, so the estimate, labelled
        # (use_sketch refuses a sketch that is not the attached one)
        approximate = sketch.use_sketch(conn)
    frame = db.run(conn, f"marts/{name}", approximate=approximate, **filters.params())
    return frame if approximate else frame.drop(columns=sketch.APPROXIMATE_COLUMN)


def reach_wave_operator_province(conn: duckdb.DuckDBPyConnection,
                                 filters: Filters) -> pd.DataFrame:
    """Exact unique reach per whole wave x operator x province, from the rollup reach_cells
    (flat in the campaign's size, never an estimate); the period picks whole waves."""
    sketch.check_served(conn)  # large-campaign mode: a stale rollup needs the cluster again
    if not reach_cells.is_current(conn):  # a read-only database from before it, or stale
        raise reach_cells.NotCurrent("tables.reach_cells_not_current")
    return db.run(conn, "marts/reach_wave_operator_province", **filters.params())


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


def _blas_on_one_thread(function: StatisticsFn) -> StatisticsFn:
    """Statistics on a few thousand rows: more BLAS threads only contend with DuckDB's and
    the tests' own threads on two cores (measured on survey_tests: 165-298 ms with
    OpenBLAS's two threads, 143-152 ms with one)."""
    @functools.wraps(function)
    def limited(*args: object, **kwargs: object) -> pd.DataFrame:
        with threadpool_limits(limits=1, user_api="blas"):
            return function(*args, **kwargs)
    return cast(StatisticsFn, limited)


def survey_responses(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The survey's respondents in the filter's provinces, within the user's scope (a choice
    outside the scope leaves none); every table built on the survey reads it through here."""
    responses = db.run(conn, "marts/survey_responses")
    if (provinces := filters.effective_provinces) is not None:
        responses = responses[responses["province_code"].isin(provinces)]
    return responses


@_blas_on_one_thread
def hoax_tests(conn: duckdb.DuckDBPyConnection, filters: Filters, k: int = 7) -> pd.DataFrame:
    """Trend, wave rate ratios and survey comparison of the hoax register (association only).
    The register is national; the survey rows keep to the province filter and scope, as
    survey_tests does (a user scoped to a province sees only its respondents)."""
    from dashboard.analysis.hoax import TEST_COLUMNS
    from dashboard.analysis.hoax import hoax_tests as run_tests

    register = hoax_register(conn, filters)
    if register.empty:
        return pd.DataFrame(columns=list(TEST_COLUMNS))
    survey = survey_responses(conn, filters)
    return run_tests(register, db.run(conn, "marts/waves_catalogue"), k=k,
                     start=filters.date_from, end=filters.date_to,
                     survey=survey if len(survey) else None)


def participation_provinces(conn: duckdb.DuckDBPyConnection, filters: Filters,
                            approximate: bool | None = None) -> pd.DataFrame:
    """One row per 2019 unit (34, or those the province choice and scope hold whole; see
    below): exposure of the filtered blasts per registered voter (SMS;
    status-bar impressions and contacts when status-bar rows fall within the filters) beside
    turnout and invalid rates 2019 and 2024 (see analysis.participation.province_frame, whose
    attrs say the status-bar state and the impressions placed in no province).
    approximate: unique reach from the sketch (None: by the database's size, reach_table).
    A province choice or scope keeps the 2019 units it holds whole (attrs["units"]; None
    without either) and leaves out, named in attrs["partial_units"], a unit it holds only
    part of; with none left the frame is empty but has both attrs."""
    from dashboard.analysis.participation import province_frame
    from dashboard.ingest.election import to_2019_unit, whole_2019_units
    from dashboard.reference import provinces

    election = db.run(conn, "marts/election_results")
    if election.empty:
        return pd.DataFrame()
    # The chosen provinces within the user's scope (a scope alone: all of it), by one rule:
    # whole 2019 units only (ingest.election.whole_2019_units). Outside them a unit is left
    # out, not kept at exposure 0: the filters' messages never reached it, so a zero there
    # would be an artificial point in every correlation.
    whole, partial = (None, ()) if (chosen := filters.effective_provinces) is None else (
        whole_2019_units(chosen))
    if whole is not None:
        election = election[election["province_code"].map(to_2019_unit).isin(whole)]
    if election.empty:  # nothing left to test: an empty frame that says why
        frame = pd.DataFrame(columns=["province_code", "name"])
        frame.attrs.update(units=(), partial_units=partial)
        return frame
    exposure = db.run(conn, "marts/exposure_province", **filters.params())
    unit_reach = reach_table(conn, "reach_unit_2019", filters, approximate)
    names = dict(zip(provinces()["province_code"], provinces()["name"], strict=True))
    frame = province_frame(election, exposure, names, unit_reach)
    # units: the chosen 2019 units (None: every one); partial_units: left out, only partly
    # chosen (the page names both)
    frame.attrs.update(units=whole, partial_units=partial)
    if sketch.is_approximate(unit_reach):  # reach_per_voter is an estimate: the download says so
        frame[sketch.APPROXIMATE_COLUMN] = True
    return frame


@_blas_on_one_thread
def participation_tests(conn: duckdb.DuckDBPyConnection, filters: Filters,
                        exclude_noken: bool = False,
                        approximate: bool | None = None) -> pd.DataFrame:
    """Every exposure x outcome x test at province level (association, not causation); an
    empty table with the reason in attrs['reason'] when too few provinces are left. The
    status-bar exposures run only when status-bar impressions are placed in some province
    (attrs['status_bar'] says why not); every row names its exposure.
    approximate: as participation_provinces."""
    from dashboard.analysis.participation import RESULT_COLUMNS, STATUS_BAR_NOT_LOADED
    from dashboard.analysis.participation import participation_tests as run_tests
    from dashboard.analysis.province_stats import MIN_PROVINCES, NotEnoughData

    frame = participation_provinces(conn, filters, approximate)
    try:
        if frame.empty and "units" in frame.attrs:  # loaded, but no unit chosen whole
            raise NotEnoughData("0 provinces left after the filters; at least "
                                f"{MIN_PROVINCES} are needed")
        if frame.empty:
            raise NotEnoughData("no election results loaded")
        results = run_tests(frame, exclude_noken=exclude_noken)
    except NotEnoughData as problem:
        results = pd.DataFrame(columns=list(RESULT_COLUMNS))
        results.attrs["reason"] = str(problem)
    results.attrs["status_bar"] = frame.attrs.get("status_bar", STATUS_BAR_NOT_LOADED)
    return results


@_blas_on_one_thread
def survey_tests(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Recipients against non-recipients in the survey: weighted shares, difference,
    chi-square, weighted logistic regression and the detectable difference."""
    from dashboard.analysis.participation import SURVEY_RESULT_COLUMNS
    from dashboard.analysis.participation import survey_tests as run_tests
    from dashboard.analysis.province_stats import NotEnoughData

    responses = survey_responses(conn, filters)
    try:
        if responses.empty:
            raise NotEnoughData("no survey responses loaded")
        results = run_tests(responses)
    except NotEnoughData as problem:
        results = pd.DataFrame(columns=list(SURVEY_RESULT_COLUMNS))
        results.attrs["reason"] = str(problem)
    return _weighting_note(results, responses)


def _weighting_note(results: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Every method note (and attrs, for the page) says when respondents come from a survey
    file without a weight column: they have weight 1, so the survey is (partly) unweighted."""
    unweighted = int((~responses["weighted"].astype(bool)).sum()) if len(responses) else 0
    results.attrs.update(respondents=len(responses), unweighted_respondents=unweighted)
    if unweighted and len(results):
        note = ("unweighted: the survey file has no weight column, every respondent counts "
                "once (weight 1)" if unweighted == len(responses) else
                f"partly unweighted: {unweighted} of {len(responses)} respondents come from "
                "a survey file without a weight column (weight 1)")
        results["method_note"] = results["method_note"].astype(str) + "; " + note
    return results


def channel_wave(conn: duckdb.DuckDBPyConnection, filters: Filters,
                 approximate: bool | None = None) -> pd.DataFrame:
    """One row per channel x wave (SMS, status bar, WhatsApp Channel) with that channel's
    reach measures: reports/channels.channel_wave (SMS rows from reach_wave)."""
    from dashboard.reports import channels

    return channels.channel_wave(conn, filters, approximate)


def _channel_table(name: str) -> TableFn:
    def table(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
        from dashboard.reports import channels

        return getattr(channels, name)(conn, filters)

    table.__doc__ = f"reports/channels.{name}: queries/marts/{name}.sql with its filters"
    return table


def experiment_results(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every frozen experiment's effects (reports/experiment.experiment_results): national by
    design, so the filters do not narrow it."""
    from dashboard.reports import experiment

    return experiment.experiment_results(conn, filters)


# tables that take approximate= (False: exact unique reach whatever the size; the CLI export)
EXACT_OPTION = frozenset({*REACH_QUERIES, "participation_tests", "channel_wave"}) - {
    "reach_unit_2019"}

TABLES: dict[str, TableFn] = {
    "reach_totals": _reach("reach_totals"),
    "reach_operator": _reach("reach_operator"),
    "reach_province": _reach("reach_province"),
    "reach_operator_province": _reach("reach_operator_province"),
    "reach_wave": _reach("reach_wave"),
    "reach_daily": _filtered("marts/reach_daily"),
    "reach_wave_operator_province": reach_wave_operator_province,
    "error_codes": error_codes_top,
    "data_quality": data_quality,
    "hoax_weekly": hoax_weekly,
    "hoax_tests": hoax_tests,
    "participation_tests": participation_tests,
    "survey_tests": survey_tests,
    # the campaign's other channels (issue 17; the Kanal page)
    "channel_wave": channel_wave,
    "status_bar_province": _channel_table("status_bar_province"),
    "wa_updates": _channel_table("wa_updates"),
    "wa_daily": _channel_table("wa_daily"),
    # the randomised experiment (issue 18; the Rancang uji page): one row per frozen
    # experiment x outcome x stratum, the plan's hash and the synthetic flag in every row
    "experiment_results": experiment_results,
}


def table(conn: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
          **options: object) -> pd.DataFrame:
    """A named table; options are the table's own (participation_tests: exclude_noken)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; choose one of {', '.join(sorted(TABLES))}")
    return TABLES[name](conn, filters or Filters(), **options)
