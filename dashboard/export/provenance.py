"""Where an output's numbers come from, read from the data it shows (issue 15): the source
line (receipts: the operators that reported and the waves; hoax: the sites the register
cites; survey: its file and fieldwork days; election: the sources the file names and the
years), the period the data covers within the filters, an as-of stamp (the newest load of
that data and the last send day), and whether any of it is sample data. Pure: no streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from dashboard import reference
from dashboard.filters import Filters
from dashboard.i18n import format_date, format_datetime, format_number, normalize_lang, t
from dashboard.sample.manifest import known_sample_hashes
from dashboard.store import db, large_campaign, sketch

# election: the province results (election_results); election_regency: the regency results
# (election_results_regency, issue 18). A load is told by the rows it stored, so a file of
# regencies never changes a province view's as-of or sample mark (marts/provenance_loads).
KINDS = ("receipts", "election", "election_regency", "survey", "hoax")
# the campaign's other channels (issue 17): the ingest kinds of their files
CHANNEL_KINDS = ("status_bar", "wa_updates", "wa_daily")
# the waves catalogue: behind every receipts or channel view (their source lines name its
# waves), and named here for the hoax register's wave rate ratios; no sentence of its own
WAVES = "waves"
# Not a kind of data but a stand-in for the election results an experiment reads: its unit's
# (ELECTION_OF_UNIT). data_of_figure(name, unit) puts the design's in its place; provenance()
# those of the frozen experiments' units (an individual design reads no election results).
EXPERIMENT_ELECTION = "experiment_election"
ELECTION_OF_UNIT: dict[str, str] = {"regency": "election_regency", "province": "election"}
# the data behind each figure and table (the receipts' figures also read the waves catalogue)
FIGURE_DATA: dict[str, tuple[str, ...]] = {
    "hoax_weekly": ("hoax",), "hoax_platforms": ("hoax",), "hoax_takedown": ("hoax",),
    "hoax_rate_ratios": ("hoax", WAVES), "participation_scatter": ("receipts", "election"),
    "survey_shares": ("survey",),
    # the Kanal page's charts (dashboard/charts/channels.py)
    "status_bar_waves": ("status_bar",), "status_bar_operators": ("status_bar",),
    "status_bar_click_rate": ("status_bar",), "status_bar_tile_map": ("status_bar",),
    "wa_waves": ("wa_updates",), "wa_updates": ("wa_updates",),
    "wa_followers": ("wa_daily", "wa_updates"),
    # the Rancang uji page (issue 18): power and balance rest on the election results of
    # the design's unit; the effect on the frozen plans, the election results their units
    # read, receipts (compliance) and the survey
    "experiment_mde_curve": (EXPERIMENT_ELECTION,), "experiment_balance": (EXPERIMENT_ELECTION,),
    "experiment_effect": ("experiment", EXPERIMENT_ELECTION, "receipts", "survey"),
}
# a table's data, told by the first word of its name (export tables and the app's downloads:
# hoax_weekly, survey_tests, participation_provinces, data_quality, rejects, ...)
TABLE_DATA: dict[str, tuple[str, ...]] = {
    "hoax": ("hoax",), "survey": ("survey",),
    # the provinces and tests include the status-bar exposures when status-bar data is loaded
    "participation": ("receipts", "status_bar", "election"),
    "data": KINDS + CHANNEL_KINDS, "rejects": KINDS + CHANNEL_KINDS,
    "warnings": KINDS + CHANNEL_KINDS,
    "status": ("status_bar",),
}
# tables whose name alone says their data (before the first-word rule)
TABLE_DATA_BY_NAME: dict[str, tuple[str, ...]] = {
    "channel_wave": ("receipts", "status_bar", "wa_updates"),
    "wa_updates": ("wa_updates",), "wa_daily": ("wa_daily", "wa_updates"),
    "experiment_results": ("experiment", EXPERIMENT_ELECTION, "receipts", "survey"),  # 18
    # the hoax tests hold the register's trend, its rate ratios around the waves and the
    # survey's saw_hoax / believed_hoax comparison (reports/tables.hoax_tests)
    "hoax_tests": ("hoax", WAVES, "survey"), "hoax_wave_rate_ratios": ("hoax", WAVES),
}


# tables that count each wave whole: the period picks the waves with a send day in it, each
# counted on all its send days (marts/reach_wave_operator_province.sql)
WHOLE_WAVE_TABLES = ("reach_wave_operator_province",)


def table_filters(name: str, frame: pd.DataFrame, filters: Filters) -> Filters:
    """The filters a table's notes are told over: for a table of whole waves, the waves it
    holds and no period (its notes then state all their send days), else `filters`."""
    if name not in WHOLE_WAVE_TABLES or frame.empty:
        return filters
    held = tuple(sorted(str(w) for w in frame["wave_id"].dropna().unique()))
    return replace(filters, date_from=None, date_to=None, waves=held)


def data_of_figure(name: str, unit: str | None = None) -> tuple[str, ...]:
    """The kinds of data behind a figure; `unit` (an experiment design's: 'regency',
    'province', 'number') says which election results an experiment figure reads."""
    data = FIGURE_DATA.get(name, ("receipts",))
    return data if unit is None else _for_unit(data, unit)


def _for_unit(data: tuple[str, ...], unit: str) -> tuple[str, ...]:
    """The kinds with the experiment's election results those of `unit` (none for 'number')."""
    return _replaced(data, tuple(k for k in (ELECTION_OF_UNIT.get(unit),) if k))


def _replaced(data: tuple[str, ...], election: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for kind in data:
        for k in election if kind == EXPERIMENT_ELECTION else (kind,):
            if k not in out:
                out.append(k)
    return tuple(out)


def data_of_table(name: str) -> tuple[str, ...]:
    if name in TABLE_DATA_BY_NAME:
        return TABLE_DATA_BY_NAME[name]
    return TABLE_DATA.get(name.split("_", 1)[0], ("receipts",))


@dataclass(frozen=True)
class Provenance:
    """One output's provenance, in one language."""

    sources: tuple[str, ...]  # one sentence per kind of data, e.g. 'Sumber: ...'
    period: str  # 'Periode: 4 Des 2023 – 16 Feb 2024 · Operator: XL Axiata'
    as_of: str  # 'Data per 5 Des 2026 13:20 WIB · hari kirim terakhir 16 Feb 2024'
    sample: bool  # any of the data shown comes from a sample file
    lang: str
    # what a unique reach shown leaves out (reach_left_out), said wherever it is shown
    notes: tuple[str, ...] = ()

    @property
    def mark(self) -> str:
        """The visible sample mark ('' for real data)."""
        return t("prov.sample_mark", self.lang) if self.sample else ""

    @property
    def subtitle(self) -> str:
        """The line under a figure's title: the mark first, then the period and filters."""
        return " · ".join(p for p in (self.mark, self.period) if p)

    @property
    def source_line(self) -> str:
        """The short source line a page prints under a chart or table: the sources alone
        (the sidebar says when data was loaded). Of sample data they say so themselves."""
        return " ".join(self.sources)

    @property
    def footer(self) -> str:
        """The source line under a figure or table: sources, the as-of stamp, the notes."""
        stamp = f"{self.as_of}." if self.as_of and self.notes else self.as_of  # a sentence
        return " ".join((self.source_line, stamp, *self.notes)).strip()

    @property
    def watermark(self) -> str:
        """The mark drawn inside a figure's image ('' for real data): in both languages,
        as a cropped or forwarded image may reach readers of either."""
        return t("prov.watermark", self.lang) if self.sample else ""

    @property
    def sample_note(self) -> str:
        """'DATA CONTOH: ... Jangan dipublikasikan.' ('' for real data)."""
        return f"{self.mark}: {t('prov.sample_note', self.lang)}" if self.sample else ""

    def lines(self) -> list[str]:
        """Every line, for a table export's notes or a brief's cover."""
        return [line for line in (self.sample_note, *self.sources, self.period, self.as_of,
                                  *self.notes) if line]

    def table_lines(self, columns: Iterable[object]) -> list[str]:
        """A table export's notes: every line, then what its columns' numbers are where a
        column needs it (latency percentiles are histogram bucket middles, about 19 %; a
        *_per_voter column is per one voter, not per 1,000 as shown)."""
        columns = [str(column) for column in columns]
        latency = any(column.startswith("latency_") for column in columns)
        # the ratio per voter, raw: people see it per 1,000 voters, so say which this is
        per_voter = any(column.endswith("_per_voter") for column in columns)
        return self.lines() + ([t("ui.latency_note", self.lang)] if latency else []) + (
            [t("note.per_voter_column", self.lang)] if per_voter else [])


def provenance(conn: duckdb.DuckDBPyConnection, kinds: tuple[str, ...], filters: Filters,
               lang: str = "id", unique_reach: bool = False,
               estimated: bool = False) -> Provenance:
    """The provenance of an output that shows these kinds of data under these filters;
    unique_reach: the output shows unique reach, so its notes say what that leaves out;
    estimated: that unique reach is a HyperLogLog estimate, so they say so (sketch.note)."""
    lang = normalize_lang(lang)
    if EXPERIMENT_ELECTION in kinds:  # the results the frozen experiments' units read
        units = {row[0] for row in conn.execute("SELECT DISTINCT unit FROM experiments")
                 .fetchall()}
        kinds = _replaced(kinds, tuple(ELECTION_OF_UNIT[u] for u in ("province", "regency")
                                       if u in units))
    loads = db.run(conn, "marts/provenance_loads",
                   sample_hashes=sorted(known_sample_hashes())).set_index("kind")
    # receipts and the other channels are shown with the waves catalogue's names and days
    with_waves = {"receipts", "status_bar", "wa_updates"} & set(kinds)
    behind = (*kinds, WAVES) if with_waves and WAVES not in kinds else kinds
    shown = [k for k in behind if k in loads.index]
    parts: list[str | _Synthetic] = []
    first = last = None
    last_send = None
    synthetic = _experiments_synthetic(conn) if "experiment" in kinds else False
    for kind in kinds:
        # .any() as for the whole output below: a load's flag may be NULL (no hash)
        is_sample = (synthetic if kind == "experiment"
                     else kind in loads.index and bool(loads.loc[[kind], "sample"].any()))
        text, span = _source(conn, kind, filters, lang, is_sample)
        if text:
            parts.append(text)
        cluster = large_campaign.source(conn) if text and kind == "receipts" else None
        if cluster is not None:  # large-campaign mode: say which engine computed them
            parts.append(t("prov.cluster", lang, engine=cluster.engine, lake=cluster.lake,
                           created=format_datetime(cluster.created_at, lang)))
        if span and kind in ("receipts", "hoax", "survey", *CHANNEL_KINDS):
            first = span[0] if first is None else min(first, span[0])
            last = span[1] if last is None else max(last, span[1])
        if span and kind == "receipts":
            last_send = span[1]
    period = _period(filters, first, last, lang)
    stamp = ""
    if shown:
        stamp = t("prov.as_of", lang,
                  loaded=format_datetime(loads.loc[shown, "last_loaded_at"].max(), lang))
        if last_send is not None:
            stamp += " · " + t("prov.last_send_day", lang, day=format_date(last_send, lang))
    sample = bool(loads.loc[shown, "sample"].any()) if shown else False
    sample = sample or synthetic  # a simulated (synthetic) experiment is sample data too
    sources = _written(parts, lang, sample)
    notes = ((sketch.note(lang),) if unique_reach and estimated else ()) + (
        (reach_left_out(conn, filters, lang),) if unique_reach else ())
    return Provenance(sources, period, stamp, sample, lang, tuple(n for n in notes if n))


def reach_left_out(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str = "id") -> str:
    """The note beside a unique reach under these filters when it leaves delivered receipts
    out (queries/marts/reach_not_kept.sql: waves missing from the catalogue beyond the pairs
    the exact rollup keeps for them), else ''. Every output showing unique reach says it: a
    number published without it would read as complete."""
    return left_out_note(db.run(conn, "marts/reach_not_kept", **filters.params()), lang)


def left_out_note(left_out: pd.DataFrame, lang: str = "id") -> str:
    """The text of reach_left_out from the mart's rows (the pages pass their cached query)."""
    from dashboard.ingest.reach_slots import UNCATALOGUED_PAIRS

    if left_out.empty:
        return ""
    return t("ui.reach_not_kept", lang,
             delivered=format_number(left_out["delivered"].sum(), 0, lang),
             pairs=UNCATALOGUED_PAIRS, waves=", ".join(left_out["wave_id"]))


@dataclass(frozen=True)
class _Synthetic:
    """Sample data's part of the source line: what it stands in for, the source it is not."""

    what: str
    real: str


def _sentence(kind: str, lang: str, sample: bool, **values: object) -> str | _Synthetic:
    """One kind of data's source: its real source sentence (prov.<kind>), or for sample
    data what it stands in for and the real source it is not, which _written makes into
    the synthetic sentence: a sample never names that source as its origin."""
    ministry = t("org.ministry", lang)  # the hoax register's publisher, named one way
    if not sample:
        return t(f"prov.{kind}", lang, ministry=ministry, **values)
    return _Synthetic(t(f"prov.synthetic.{kind}", lang, **values),
                      t(f"prov.synthetic_not.{kind}", lang, ministry=ministry))


def _written(parts: Sequence[str | _Synthetic], lang: str, sample: bool) -> tuple[str, ...]:
    """The source sentences, the one place they are written: the real ones as they are, and
    every sample kind in one sentence where the first stood ('Sumber: DATA CONTOH SINTETIS
    (...; ...), bukan ... atau ...'), so a line under a chart names synthetic data once and
    in the same words on every figure, table note and brief. Sample data behind no kind's
    sentence (the waves catalogue) still gets one: the subtitle's mark is easy to crop."""
    synthetic = [p for p in parts if isinstance(p, _Synthetic)]
    if sample and parts and not synthetic:
        return (*parts, t("prov.synthetic_other", lang))
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part is synthetic[0]:
            reals = list(dict.fromkeys(p.real for p in synthetic))
            out.append(t("prov.synthetic", lang, what="; ".join(p.what for p in synthetic),
                         real=_or(lang, reals)))
    return tuple(out)


def _source(conn: duckdb.DuckDBPyConnection, kind: str, filters: Filters,
            lang: str, sample: bool = False) -> tuple[str, tuple | None]:
    """The source sentence of one kind of data and the days it covers (None: no days);
    `sample`: that data is sample data, so the sentence says synthetic (_sentence)."""
    if kind == "receipts":
        row = db.run(conn, "marts/provenance_receipts", **filters.params()).iloc[0]
        if not row["receipts"]:
            return "", None
        from dashboard.charts.style import operator_sort_key

        # the operators' first brands (Indosat, XL): a source line must fit under a chart
        brands = reference.operator_short_names()
        text = _sentence("receipts", lang, sample,
                         operators=", ".join(brands.get(o, o) for o in
                                     sorted(row["operators"], key=operator_sort_key)),
                 waves=wave_span(list(row["waves"])))
        return text, (row["first_day"], row["last_day"])
    if kind == "hoax":
        row = db.run(conn, "marts/provenance_hoax", date_from=filters.date_from,
                     date_to=filters.date_to).iloc[0]
        if not row["reports"]:
            return "", None
        sites = _listed(row["sites"])
        return (_sentence("hoax", lang, sample,
                          sites=", ".join(sites) or t("prov.no_site", lang)),
                (row["first_day"], row["last_day"]))
    if kind == "survey":
        row = db.run(conn, "marts/provenance_survey").iloc[0]
        if not row["respondents"]:
            return "", None
        return (_sentence("survey", lang, sample, files=", ".join(row["files"]),
                  first=format_date(row["first_day"], lang),
                  last=format_date(row["last_day"], lang)),
                (row["first_day"], row["last_day"]))
    if kind == "election":
        row = db.run(conn, "marts/provenance_election").iloc[0]
        if not _listed(row["years"]):
            return "", None
        return (_sentence("election", lang, sample,
                          sources=", ".join(_listed(row["sources"])),
                  years=_and(lang, [str(y) for y in _listed(row["years"])])), None)
    if kind == "election_regency":
        row = db.run(conn, "marts/provenance_election_regency").iloc[0]
        if not _listed(row["years"]):
            return "", None
        return (_sentence("election_regency", lang, sample,
                          sources=", ".join(_listed(row["sources"])),
                  years=_and(lang, [str(y) for y in _listed(row["years"])])), None)
    if kind in CHANNEL_KINDS:
        return _channel_source(conn, kind, filters, lang, sample)
    if kind == WAVES:  # its wave ids are named where the numbers are
        return "", None
    if kind == "experiment":
        return _experiment_source(conn, lang, sample), None
    raise ValueError(f"unknown kind of data: {kind!r}")


def _experiment_source(conn: duckdb.DuckDBPyConnection, lang: str, sample: bool) -> str:
    """The frozen plans by id and the start of their SHA-256 (issue 18): the plan a result
    was read under; '' when none is frozen."""
    plans = conn.execute("SELECT experiment_id, plan_sha256 FROM experiments "
                         "ORDER BY experiment_id").fetchall()
    if not plans:
        return ""
    return _sentence("experiment", lang, sample,
                     plans=", ".join(f"{name} (SHA-256 {sha[:12]})" for name, sha in plans))


def _experiments_synthetic(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(conn.execute("SELECT coalesce(bool_or(synthetic), false) "
                             "FROM experiments").fetchall()[0][0])


def _channel_source(conn: duckdb.DuckDBPyConnection, kind: str, filters: Filters,
                    lang: str, sample: bool) -> tuple[str, tuple | None]:
    """The status bar (operators' counts, in the filters) and the WhatsApp Channel (national:
    only the period applies; the wave filter is SMS's alone)."""
    if kind == "status_bar":
        params = filters.params()
        row = db.run(conn, "marts/provenance_status_bar", date_from=params["date_from"],
                     date_to=params["date_to"], operators=params["operators"],
                     provinces=params["provinces"]).iloc[0]
        if not row["source_rows"]:
            return "", None
        from dashboard.charts.style import operator_sort_key

        brands = reference.operator_short_names()
        return (_sentence("status_bar", lang, sample,
                  operators=", ".join(brands.get(o, o) for o in
                                      sorted(row["operators"], key=operator_sort_key)),
                  waves=wave_span(list(row["waves"]))),
                (row["first_day"], row["last_day"]))
    row = db.run(conn, "marts/provenance_whatsapp", date_from=filters.date_from,
                 date_to=filters.date_to).iloc[0]
    if kind == "wa_updates":
        if not row["updates"]:
            return "", None
        return (_sentence("wa_updates", lang, sample, n=format_number(row["updates"], 0, lang)),
                (row["first_post"], row["last_post"]))
    if not row["insight_days"]:
        return "", None
    return (_sentence("wa_daily", lang, sample, first=format_date(row["first_insight"], lang),
              last=format_date(row["last_insight"], lang)),
            (row["first_insight"], row["last_insight"]))


def _listed(value: object) -> list:
    """A list column's value; SQL NULL (no rows) as an empty list."""
    return [] if value is None or value is pd.NA else list(value)


WAVE_NUMBER = re.compile(r"^(.*?)(\d+)$")  # 'SMS07' -> ('SMS', '07')


def wave_span(ids: Sequence[str]) -> str:
    """The waves a view covers, in order: each run of three or more consecutive ids (one
    prefix, numbers one apart) as 'SMS01–SMS05', the others listed, so no range spans a
    wave whose data is not in the numbers: 'W1, W2, W4', 'SMS01–SMS05, SMS07'."""
    runs: list[list[str]] = []
    for wave in sorted(ids, key=_wave_order):
        if runs and _follows(runs[-1][-1], wave):
            runs[-1].append(wave)
        else:
            runs.append([wave])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(run)
                     for run in runs)


def _wave_order(wave: str) -> tuple[str, int, str]:
    match = WAVE_NUMBER.match(wave)
    return (match[1], int(match[2]), wave) if match else (wave, -1, wave)


def _follows(before: str, wave: str) -> bool:
    first, then = WAVE_NUMBER.match(before), WAVE_NUMBER.match(wave)
    return bool(first and then and first[1] == then[1] and int(then[2]) == int(first[2]) + 1)


def _and(lang: str, items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('prov.and', lang)} {items[-1]}"


def _or(lang: str, items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('prov.or', lang)} {items[-1]}"


def _period(filters: Filters, first: object, last: object, lang: str) -> str:
    """The days the data shown covers (within the filter's dates), then the other filters."""
    parts = []
    if first is not None and last is not None:
        days = (f"{format_date(first, lang)} – {format_date(last, lang)}" if first != last
                else format_date(first, lang))
        parts.append(f"{t('filter.period', lang)}: {days}")
    parts.extend(filter_parts(filters, lang, with_dates=first is None))
    return " · ".join(parts)


def filter_parts(filters: Filters, lang: str, with_dates: bool = True) -> list[str]:
    """The filters as words: period (when asked), waves, operators, provinces."""
    parts = []
    if with_dates and (filters.date_from or filters.date_to):
        start = format_date(filters.date_from, lang) if filters.date_from else "…"
        end = format_date(filters.date_to, lang) if filters.date_to else "…"
        parts.append(f"{t('filter.period', lang)}: {start} – {end}")
    if filters.waves:
        parts.append(f"{t('filter.wave', lang)}: {', '.join(filters.waves)}")
    if filters.operators:
        from dashboard.charts.style import operator_name

        parts.append(f"{t('filter.operator', lang)}: "
                     + ", ".join(operator_name(o) for o in filters.operators))
    if filters.provinces:
        names = reference.province_names()
        parts.append(f"{t('filter.province', lang)}: "
                     + ", ".join(names.get(int(p), str(p)) for p in filters.provinces))
    return parts
