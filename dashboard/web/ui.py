"""Streamlit glue shared by the pages: the connection, cached results, the sidebar filters
(kept in the URL), downloads and empty states. Logic lives in tables/analysis/charts."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import access, config, reference, url_params
from dashboard.charts.style import screen_figure
from dashboard.charts.tilemap import press_readable
from dashboard.export.figures import (
    SIZES,
    chromium_available,
    figure_html_bytes,
    figure_image_bytes,
    press_figure,
)
from dashboard.export.provenance import (
    Provenance,
    data_of_table,
    left_out_note,
    provenance,
    table_filters,
)
from dashboard.export.tables import FILE_TYPES, notes_bytes, notes_path, table_bytes
from dashboard.export.tables import file_name as table_file_name
from dashboard.filters import Filters, default_period
from dashboard.i18n import MISSING, format_date, format_datetime, format_number, is_missing, t
from dashboard.ingest import CR_ONLY_NOTE, UTF16_NOTE, ingest_file
from dashboard.ingest.channels import Catalogue
from dashboard.ingest.files import safe_file_name
from dashboard.reports import display, tables
from dashboard.service import progress
from dashboard.store import db, sketch, snapshots
from dashboard.text_safety import markdown_frame, markdown_text
from dashboard.web.app_pages import phone

FILTER_KEYS = ("periode", "gelombang", "operator", "provinsi")


# session state: the snapshot the script run reads, from its start to its end (app.py)
RUN_SNAPSHOT = "_run_snapshot"


class RunSnapshot(NamedTuple):
    path: str  # the key of every cached result read from it (data_version)
    conn: duckdb.DuckDBPyConnection


@st.cache_resource(max_entries=2)
def _snapshot_connection(snapshot: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per server to one published snapshot; pages use cursors."""
    return db.read_snapshot(Path(snapshot), config.db_path())


def _newest() -> RunSnapshot:
    """The newest snapshot of the database: the app never holds the file itself, so CLI
    loads and exports run beside it (dashboard/store/snapshots.py). The first run publishes a
    snapshot of a database that has none (creating it when missing)."""
    path = config.db_path()
    newest = snapshots.latest(path)
    if newest is not None:
        try:
            _snapshot_connection(str(newest))
        except db.SchemaBehind:  # published by an earlier version: migrate, publish again
            newest = None
    if newest is None:
        db.connect(path).close()  # schema and migrations, then a snapshot
        newest = snapshots.latest(path)
    return RunSnapshot(str(newest), _snapshot_connection(str(newest)))


def read_newest() -> None:
    """From here on the script run reads the newest snapshot: app.py calls it as every run
    starts, so a load published while a page draws shows whole on the next run instead of in
    half of this one; a page calls it after its own write (an upload, a freeze) to show it."""
    st.session_state[RUN_SNAPSHOT] = _newest()


def let_go_of_snapshot() -> None:
    """The run has ended (app.py): drop its snapshot's connection, shared with the cache."""
    st.session_state.pop(RUN_SNAPSHOT, None)


def _run_snapshot() -> RunSnapshot:
    """The run's snapshot (outside a run of app.py, e.g. in a test: the newest)."""
    return st.session_state.get(RUN_SNAPSHOT) or _newest()


def connection() -> duckdb.DuckDBPyConnection:
    return _run_snapshot().conn


def cursor() -> duckdb.DuckDBPyConnection:
    return connection().cursor()


@st.cache_data(show_spinner=False)
def _access_rules(path: str, modified: float) -> dict[str, access.Access]:
    known = set(reference.provinces()["province_code"].astype(int))
    return access.load_rules(Path(path), known)


def current_access() -> access.Access | None:
    """This session's access, worked out on every run from the signed-in identity (never
    from session state a page could change); None = not signed in or not authorised."""
    path = access.access_file()
    if path is None:
        return access.LOCAL
    modified = path.stat().st_mtime if path.exists() else 0.0
    rules = _access_rules(str(path), modified)
    return access.access_for(st.user.to_dict(), rules)


def scope() -> tuple[int, ...]:
    """The signed-in user's provinces (empty: the whole country)."""
    found = current_access()
    if found is None:  # a page reached without access: show nothing rather than everything
        st.stop()
    return found.provinces


def in_scope(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a per-province frame that the user's scope allows (all without a scope)."""
    allowed = scope()
    return frame[frame["province_code"].isin(allowed)] if allowed else frame


def lang() -> str:
    return st.session_state.get("lang") or "id"


def page(title_key: str, caption_key: str) -> str:
    """The top of every page: the narrow-screen style, the title and the line under it that
    says what the page answers; returns the language."""
    language = lang()
    phone.narrow_screen_css()
    st.title(t(title_key, language))
    st.caption(t(caption_key, language))
    return language


def data_version() -> str:
    """The run's snapshot, the key of every cached result: each write or restore publishes
    one under a new number (max(ingest_id) would not do: a restore winds it back)."""
    return _run_snapshot().path


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_table(name: str, filters: Filters, version: str) -> pd.DataFrame:
    return tables.table(cursor(), name, filters)


def table(name: str, filters: Filters | None = None) -> pd.DataFrame:
    return _cached_table(name, (filters or Filters()).within(scope()), data_version())


@st.cache_data(show_spinner=False, max_entries=128)  # bounded: URLs can ask for anything
def _cached_query(name: str, version: str, params: tuple[tuple[str, object], ...]
                  ) -> pd.DataFrame:
    return db.run(cursor(), name, **dict(params))


def query(name: str, **params: object) -> pd.DataFrame:
    return _cached_query(name, data_version(), tuple(sorted(params.items())))


def apply_url_params(keys: tuple[str, ...], *, waves: list[str] | None = None,
                     provinces: tuple[int, ...] | None = None, new_run: bool = False) -> None:
    """Before the widgets bound to `keys` are drawn: read the link's values for them as people
    write them (url_params.parse: `?lang=en`, `?operator=tsel`, `?provinsi=32`), set the
    widgets that Streamlit would not read right by itself, and name what was not recognised
    in a notice in the page's language. `new_run`: the run's first call (app.py).

    Only for the link a session opened with, never over the user's later choices: the values
    are set on the run that first sees the link and again on one rerun after the widgets are
    drawn (rerun_for_url), because on a widget's first run Streamlit prefers its own reading
    of the link, which keeps only the labels (`?operator=tsel&operator=XL Axiata` would give
    XL Axiata alone). Streamlit 1.67 does not write values set in code back to a bound URL
    parameter: the address bar keeps what it read (the labels) until the user changes the
    widget, which writes its whole value."""
    state = st.session_state
    if new_run:  # what an earlier run left is only for the rerun it asked for
        state["_url_replay"] = state.pop("_url_rerunning", False)
        if not state["_url_replay"]:
            state.pop("_url_pending", None)
            state.pop("_url_rerun", None)
    pending = state.setdefault("_url_pending", {})
    replay = state.get("_url_replay", False)
    if replay:
        if keys not in pending:
            return
        values, unknown, aliases = pending[keys]
        for alias in aliases:  # the widgets carry the values now: the alias keys may go
            if alias in st.query_params:
                del st.query_params[alias]
    else:
        names = [*keys, *(a for a, key in url_params.KEY_ALIASES.items() if key in keys)]
        raw = {name: st.query_params.get_all(name) for name in names}
        choices = url_params.parse(raw, keys, waves=waves, provinces=provinces)
        link = (keys, tuple(sorted((n, tuple(v)) for n, v in raw.items() if v)))
        seen = state.setdefault("_url_seen", set())
        if not (choices.to_set or choices.unknown) or link in seen:
            return
        seen.add(link)
        values = {key: choices.values[key] for key in choices.to_set if key in choices.values}
        unknown, aliases = choices.unknown, choices.aliases_used
        pending[keys] = (values, unknown, aliases)
        if values:
            state["_url_rerun"] = True
    for key, value in values.items():
        state[key] = value
    if unknown:  # the values come from the link: shown as text, never as markup
        st.warning(t("ui.url_unknown", lang(), values=markdown_text(
            url_params.notice_values(unknown))), icon=":material/link_off:")


def rerun_for_url() -> None:
    """After the bound widgets are drawn: once per link that apply_url_params had to set, run
    again, so that the values set in code win over Streamlit's own reading of the link."""
    if st.session_state.pop("_url_rerun", False) and not st.session_state.get("_url_replay"):
        st.session_state["_url_rerunning"] = True
        st.rerun()


def sidebar_filters() -> Filters:
    """The shared filters, bound to the URL so a view can be shared by link."""
    options = query("marts/filter_options")
    language = lang()
    if not options.empty:  # a shared link's values, read as people write them
        apply_url_params(url_params.FILTER_KEYS, waves=options["wave_id"].tolist(),
                         provinces=scope() or None)
    with st.sidebar:
        st.subheader(t("ui.filters", language))
        if options.empty:
            st.caption(t("ui.no_filters_yet", language))
            return Filters()
        # every channel's days, as dates: date_input gives dates back, and date_range compares
        # them with these bounds (a pandas Timestamp never equals a date: never "open")
        days = query("marts/filter_period").iloc[0]
        first, last = pd.Timestamp(days["first_day"]).date(), pd.Timestamp(days["last_day"]).date()
        # starts on the campaign's days; any day of data can still be chosen
        campaign = Catalogue.of(query("marts/waves_catalogue"))
        default = default_period(first, last, campaign.first, campaign.last)
        period = st.date_input(t("filter.period", language), value=default, min_value=first,
                               max_value=last, key="periode", bind="query-params",
                               format="DD/MM/YYYY")
        waves = st.multiselect(t("filter.wave", language), options["wave_id"].tolist(),
                               key="gelombang", bind="query-params",
                               placeholder=t("filter.all", language))
        ops = reference.operators()
        names = dict(zip(ops["operator"], ops["name"], strict=True))
        operators = st.multiselect(t("filter.operator", language), list(names),
                                   format_func=names.get, key="operator",
                                   bind="query-params", placeholder=t("filter.all", language))
        prov = reference.provinces()
        if allowed := scope():
            prov = prov[prov["province_code"].isin(allowed)]
        prov_names = dict(zip(prov["province_code"].astype(int), prov["name"], strict=True))
        provinces = st.multiselect(t("filter.province", language), list(prov_names),
                                   format_func=prov_names.get, key="provinsi",
                                   bind="query-params", placeholder=t("filter.all", language))
        st.button(t("filter.reset", language), on_click=reset_filters)
    rerun_for_url()
    date_from, date_to = date_range(period, first, last)
    if default != (first, last) and (date_from or first, date_to or last) == default:
        # the default leaves out days of data outside the campaign: said, never hidden
        st.sidebar.caption(t("filter.period_default", language,
                             start=format_date(default[0], language),
                             end=format_date(default[1], language)))
    if date_from is not None:
        st.sidebar.caption(t("filter.period_starts_late", language,
                             first=format_date(first, language),
                             start=format_date(date_from, language)))
    if date_to is not None:
        # a session open across a load keeps its period's old last day: said, never hidden
        st.sidebar.caption(t("filter.period_ends_early", language,
                             last=format_date(last, language),
                             end=format_date(date_to, language)))
    chosen = Filters(date_from, date_to, tuple(waves), tuple(operators),
                     tuple(provinces)).within(scope())
    st.session_state["_page_filters"] = chosen  # what the page's press exports say they show
    return chosen


def date_range(value: object, first: date, last: date) -> tuple[date | None, date | None]:
    """The chosen range; a half-chosen range (one date) means that day onwards."""
    if isinstance(value, (tuple, list)):
        start = value[0] if len(value) > 0 else None
        end = value[1] if len(value) > 1 else None
    else:
        start, end = value, None
    start = None if start in (None, first) else start
    end = None if end in (None, last) else end
    return start, end


@st.cache_data(show_spinner=False, max_entries=64)  # ~85 KB a filter: ~5 MB at most
def _hoax(kind: str, filters: Filters, version: str, option: object = None) -> pd.DataFrame:
    if kind == "register":
        return tables.hoax_register(cursor(), filters)
    if kind == "weekly":
        return tables.hoax_weekly(cursor(), filters, by=option)
    return tables.hoax_tests(cursor(), filters, k=int(option))


# The hoax register is national public data (no province): not limited by a province scope.
def hoax_register(filters: Filters) -> pd.DataFrame:
    return _hoax("register", filters, data_version())


def hoax_weekly_by(filters: Filters, by: str) -> pd.DataFrame:
    return _hoax("weekly", filters, data_version(), by)


def hoax_tests(filters: Filters, k: int) -> pd.DataFrame:
    # its survey rows are per respondent and province: they follow the scope
    return _hoax("tests", filters.within(scope()), data_version(), k)


@st.cache_data(show_spinner=False, max_entries=64)  # ~85 KB a filter: ~5 MB at most
def _participation(kind: str, filters: Filters, version: str, option: object = None
                   ) -> pd.DataFrame:
    if kind == "provinces":
        return tables.participation_provinces(cursor(), filters)
    if kind == "tests":
        return tables.participation_tests(cursor(), filters, exclude_noken=bool(option))
    return tables.survey_tests(cursor(), filters)


def participation_provinces(filters: Filters) -> pd.DataFrame:
    return _participation("provinces", filters.within(scope()), data_version())


def participation_tests(filters: Filters, exclude_noken: bool) -> pd.DataFrame:
    return _participation("tests", filters.within(scope()), data_version(), exclude_noken)


def survey_tests(filters: Filters) -> pd.DataFrame:
    return _participation("survey", filters.within(scope()), data_version())


def reset_filters() -> None:
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)


def select_from_chart(chart_key: str, filter_key: str, field: str = "customdata") -> Callable:
    """A callback that narrows a filter to the clicked point (province tile, operator bar)."""

    def narrow() -> None:
        points = st.session_state[chart_key].selection.get("points", [])
        values = []
        for point in points:
            value = point.get(field)
            if isinstance(value, list):
                value = value[0]
            if value is not None and value not in values:
                values.append(value)
        if values:
            st.session_state[filter_key] = values

    return narrow


# Offered beside the machine CSV, in a popover: one control per table, not three buttons.
EXCEL_FORMATS = ("xlsx", "csv-excel-id")


def download(df: pd.DataFrame, name: str, label_key: str = "common.download_csv") -> None:
    """The table behind a chart: a button for the machine CSV (the export contract: UTF-8
    with BOM, unrounded, `.` decimals) and beside it a popover "Untuk Excel" with the XLSX and
    a CSV for Excel with Indonesian settings (`;`, decimal commas, rounded as the page shows).
    The CLI's writers (export.tables), each formula-safe; the Excel files are built on click.
    The table's notes (source, sample mark) go where the CLI puts them: inside the Excel
    files, and for the machine CSV (rows alone) into the notes file offered beside it."""
    language = lang()
    origin = page_provenance(data_of_table(name), tables.shows_unique_reach(df),
                             sketch.is_approximate(df),
                             filters=table_filters(name, df, page_filters()))
    notes = origin.table_lines(df.columns)  # the same notes in every file of the table
    machine_csv = table_file_name(name, "csv")
    with st.container(horizontal=True, gap="small", key=f"downloads_{name}"):
        st.download_button(t(label_key, language), table_bytes(df, "csv"),
                           file_name=machine_csv, mime=FILE_TYPES["csv"][1],
                           key=f"download_{name}", icon=":material/download:")
        st.download_button(t("ui.download_notes", language), notes_bytes(notes),
                           file_name=notes_path(Path(machine_csv)).name, mime="text/plain",
                           key=f"download_{name}_notes", icon=":material/description:",
                           help=t("ui.download_notes_help", language))
        with st.popover(t("ui.download_for_excel", language), icon=":material/table_view:",
                        help=t("ui.download_for_excel_help", language)):
            for fmt in EXCEL_FORMATS:
                st.download_button(t(f"ui.download_{fmt.replace('-', '_')}", language),
                                   partial(table_bytes, df, fmt, notes,
                                           t("prov.notes_title", language), language),
                                   file_name=table_file_name(name, fmt),
                                   mime=FILE_TYPES[fmt][1], key=f"download_{name}_{fmt}",
                                   on_click="ignore", icon=":material/download:")


def empty_state(filters: Filters) -> bool:
    """Say what to do when there is nothing to show; True when the page should stop."""
    language = lang()
    if table("reach_totals").iloc[0]["sent"] == 0:
        st.info(t("empty.no_receipts", language))
        return True
    if table("reach_totals", filters).iloc[0]["sent"] == 0:
        st.warning(t("ui.empty_filter", language))
        st.button(t("filter.reset", language), on_click=reset_filters, key="reset_empty")
        return True
    return False


def approximate(*frames: pd.DataFrame) -> bool:
    """Whether any of these tables shows an estimated unique reach (HyperLogLog)."""
    return any(sketch.is_approximate(frame) for frame in frames)


def reach_number(value: object, estimated: bool) -> str:
    """A unique reach for a tile: "≈ 1.234.567" when it is an estimate."""
    return sketch.mark(number(value), estimated)


def reach_note(*frames: pd.DataFrame, filters: Filters | None = None) -> None:
    """The caption that says unique reach is estimated, when one of the frames is; with the
    page's filters, also which delivered receipts unique reach leaves out (waves missing from
    the catalogue, beyond the pairs the exact-reach rollup keeps for them)."""
    if approximate(*frames):
        st.caption(sketch.note(lang()))
    if filters is None:
        return
    left_out = query("marts/reach_not_kept", **filters.within(scope()).params())
    if note := left_out_note(left_out, lang()):  # the text every output gives (provenance)
        st.caption(markdown_text(note))


def format_p(value: object, language: str) -> str:
    """p-values as journals print them: 0,042 or < 0,001."""
    return display.format_p(value, language)


def number(value: object, decimals: int = 0) -> str:
    return format_number(value, decimals=decimals, lang=lang())


def styled(df: pd.DataFrame) -> pd.io.formats.style.Styler:
    """A table for the screen in the page language: labelled columns, ids written out, dates
    as dates, Indonesian (or English) number formats. The data stay numeric, so columns still
    sort by value; downloads use the frame itself, with its snake_case names."""
    return display.styled(df, lang())


def static_table(frame: pd.DataFrame) -> object:
    """st.table of an already formatted frame, its first column as the row labels. Streamlit
    renders st.table's cells and labels as Markdown, and cells may hold text from files (wave
    ids, themes): every one is escaped to show as written."""
    shown = markdown_frame(frame)
    return st.table(shown.set_index(shown.columns[0]))


def show_table(df: pd.DataFrame, **kwargs: object) -> object:
    """st.dataframe of styled(df), without the index, missing cells as "–" (not "None"). The
    estimated-unique-reach flag stays in downloads; on screen the page's caption says it."""
    kwargs.setdefault("hide_index", True)
    shown = df.drop(columns=[sketch.APPROXIMATE_COLUMN], errors="ignore")
    if not display.is_statistics_table(shown):
        return st.dataframe(styled(shown), placeholder=MISSING, **kwargs)
    # a statistics table: on a phone its interval and p lay beyond the screen's edge, so the
    # phone gets them in one wrapping cell (phone.py shows the form that fits)
    key = hashlib.sha256(shown[["test"]].astype(str).to_csv().encode()
                         + str(list(shown.columns)).encode()).hexdigest()[:12]
    with st.container(key=f"mobile_only_statistics_{key}"):
        static_table(display.phone_statistics(shown, lang()))
    with st.container(key=f"desktop_only_statistics_{key}"):
        return st.dataframe(styled(shown), placeholder=MISSING, **kwargs)


MAX_UPLOAD_MB = 200


def uploader_note(mb: int = MAX_UPLOAD_MB) -> None:
    """Under a file uploader in Indonesian: what its English drop zone says, and the limit
    that applies (Streamlit offers no way to translate the zone's own text)."""
    if lang() == "id":
        st.caption(t("ui.uploader_note", "id", mb=mb))

# what the upload page says of a file read from a copy (ingest.planned): the note, its text
UPLOAD_NOTES = {CR_ONLY_NOTE: "ui.upload_cr_only", UTF16_NOTE: "ui.upload_utf16"}


def load_uploads(files: list, kind: str | None) -> None:
    """Load uploaded files one by one with a progress bar and a clear result for each."""
    language = lang()
    found = current_access()
    if found is None or not found.may_load_data():  # the page is admin-only; say it twice
        st.error(t("auth.not_authorised", language,
                   email=markdown_text(found.email) if found else "?"))
        return
    bar = st.progress(0.0, text=t("ui.upload_starting", language))
    for position, upload in enumerate(files):
        name = safe_file_name(upload.name)  # a path or markup in a name goes no further
        # what is left (www.x.csv is a link, _x_ emphasis) still goes through Markdown below
        shown = markdown_text(name)
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            st.error(t("ui.upload_too_large", language, name=shown, mb=MAX_UPLOAD_MB))
            continue

        def show(fraction: float, step: str, position: int = position, shown: str = shown
                 ) -> None:
            bar.progress((position + fraction) / len(files),
                         text=f"{shown}: {markdown_text(step)}")

        report = progress.Clock(show, language)  # stage, percent and time left

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(upload.getvalue())
            # the database file itself, as a CLI load would (waiting for one that runs);
            # other sessions keep reading the last snapshot until this one is published
            with db.connect(config.db_path()) as writer:
                result = ingest_file(writer, path, kind=kind, progress=report,
                                     display_name=name)
        if result.outcome == "loaded":
            counts = {k: format_number(getattr(result.counts, k), lang=language) for k in
                      ("rows_read", "loaded", "duplicate", "superseded", "rejected")}
            st.success(t("ui.upload_result", language, name=shown, **counts))
            for note in result.notes:  # how a file was read from a copy, if it was
                if note in UPLOAD_NOTES:
                    st.info(t(UPLOAD_NOTES[note], language, name=shown))
        else:  # why, in the app's language; its values may quote the file's text
            values = {k: markdown_text(str(v)) for k, v in result.problem_values.items()}
            text = (t(f"problem.{result.problem}", language, name=shown, **values)
                    if result.problem else markdown_text(result.summary()))
            (st.info if result.ok else st.error)(text)
    bar.progress(1.0, text=t("ui.upload_done", language))
    read_newest()


@st.cache_data(max_entries=64, show_spinner=False)
def _provenance(data: tuple[str, ...], filters: Filters, language: str,
                version: str, unique_reach: bool = False,
                estimated: bool = False) -> Provenance:
    return provenance(cursor(), data, filters, language, unique_reach, estimated)


def page_filters() -> Filters:
    """The page's filters (the sidebar's, once chosen)."""
    return st.session_state.get("_page_filters", Filters(scope=scope()))


def page_provenance(data: tuple[str, ...] = ("receipts",), unique_reach: bool = False,
                    estimated: bool = False, filters: Filters | None = None) -> Provenance:
    """The provenance of what the page shows under its filters, or under `filters`;
    unique_reach: the output shows it, so the notes say what it leaves out (and, estimated,
    that it is an estimate)."""
    return _provenance(data, filters or page_filters(), lang(), data_version(), unique_reach,
                       estimated)


def source_line(data: tuple[str, ...] = ("receipts",), filters: Filters | None = None) -> None:
    """Under a chart or table group, its short source line: the sentences its exports carry
    (Provenance.source_line), so a screenshot of the page names where the numbers come from,
    and says synthetic for sample data, as the press figure does (review item 17)."""
    show_source(page_provenance(data, filters=filters).source_line)


def show_source(line: str | None) -> None:
    """A source line as the caption under its chart (nothing when there is none)."""
    if line:
        st.caption(markdown_text(line))  # operators and waves as the files wrote them


@st.cache_data(show_spinner=False, max_entries=8)
def _alerts(language: str, provinces: tuple[int, ...], version: str) -> list[str]:
    from dashboard.service.alerts import evaluate, load_rules

    return [a.message for a in evaluate(cursor(), load_rules(), language, scope=provinces)]


def alerts_panel() -> None:
    """The alert rules that fire at the latest day in the data (dashboard/service/alerts.py)."""
    language = lang()
    if fired := _alerts(language, scope(), data_version()):
        st.warning("**" + t("alert.title", language) + "**\n\n"
                   + "\n".join(f"- {markdown_text(message)}" for message in fired),
                   icon=":material/notification_important:")


def load_status() -> None:
    """In the sidebar: when data was last loaded, and whether a load is running now."""
    language = lang()
    last = query("marts/weekly_last_load").iloc[0]["last_loaded_at"]
    if not is_missing(last):
        st.caption(t("status.last_loaded", language, when=format_datetime(last, language)))
    if snapshots.writer_active(config.db_path()):
        st.caption(t("status.loading", language))


def sample_banner(data: tuple[str, ...]) -> None:
    """A banner above a page any of whose data comes from a sample file."""
    if note := page_provenance(data).sample_note:
        st.warning(note, icon=":material/science:")


def chart(fig: go.Figure, key: str, data: tuple[str, ...] = ("receipts",),
          unique_reach: bool = False, estimated: bool = False,
          ranked: Callable[[], go.Figure] | None = None, **kwargs: object) -> object:
    """st.plotly_chart plus a press-export popover (PNG/SVG/PDF/HTML in the three presets),
    so every chart of the app can go into a press release. data: the kinds of data the chart
    shows, for its source line (dashboard/export/provenance.py); unique_reach: it shows
    unique reach, so the source line says what that leaves out; estimated: and that it is
    an estimate (a chart that marks its own estimates, channel_wave_bars, passes False);
    ranked: a tile map's numbers as a ranked list, its press form where the tiles cannot
    carry names and values (tilemap.press_readable)."""
    shown = st.plotly_chart(screen_figure(fig), key=key, **kwargs)
    press_export(fig, key, data, unique_reach, estimated, ranked)  # the press wraps the title
    return shown


def press_export(fig: go.Figure, name: str, data: tuple[str, ...] = ("receipts",),
                 unique_reach: bool = False, estimated: bool = False,
                 ranked: Callable[[], go.Figure] | None = None) -> None:
    language = lang()
    with st.popover(t("ui.press_export", language), icon=":material/image:"):
        has_chromium = chromium_available()
        formats = ("png", "svg", "pdf", "html") if has_chromium else ("html",)
        fmt = st.selectbox(t("weekly.press_format", language), formats, key=f"{name}_fmt")
        size = st.selectbox(t("weekly.press_size", language), tuple(SIZES), key=f"{name}_size",
                            format_func=lambda s: t(f"weekly.size.{s}", language))
        if not has_chromium:
            st.caption(t("ui.no_chromium", language))

        def render() -> bytes:  # built on click, not on every rerun
            origin = page_provenance(data, unique_reach, estimated)

            def lay_out(chart: go.Figure) -> go.Figure:
                return press_figure(chart, str(chart.layout.title.text or name),
                                    subtitle=origin.subtitle, source=origin.footer, size=size,
                                    lang=language, watermark=origin.watermark)

            press = press_readable(fig, lay_out, ranked)
            if fmt == "html":
                return figure_html_bytes(press)
            return figure_image_bytes(press, fmt)

        st.download_button(t("weekly.press_download", language, fmt=fmt.upper()), render,
                           file_name=f"{name}_{size}.{fmt}", key=f"{name}_press",
                           on_click="ignore", icon=":material/download:")
