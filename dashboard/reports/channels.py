"""The Kanal page's numbers (issue 17): every channel of the campaign per wave, side by side.
SMS (delivered and unique reach, from marts/reach_wave.sql through tables.reach_table: one
definition of unique reach), the operators' status-bar text (impressions, unique devices,
clicks) and the WhatsApp Channel (views, reactions and forwards per update; followers per
day). No streamlit: the page, the CLI export and the press figures all read these functions.

Filters: the period applies to every channel (WIB days: send day, impression day, day posted,
insight day); operators and provinces to SMS and the status bar; the wave filter to SMS alone
(the sidebar offers SMS waves). The WhatsApp Channel is national: WhatsApp gives no operator
or province, so those filters (and a user's province scope) cannot narrow it; see
WHATSAPP_IS_NATIONAL.
"""

from __future__ import annotations

from typing import Final

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard.filters import Filters
from dashboard.i18n import TRANSLATIONS, t
from dashboard.store import db, sketch

CHANNELS: Final = ("sms", "status_bar", "whatsapp_channel")
# the export contract's columns of channel_wave, in order; a measure a channel does not have
# is NULL in its rows (MEASURES)
CHANNEL_WAVE_COLUMNS: Final = (
    "channel", "wave_id", "in_catalogue", "sent_date", "theme", "message_text",
    "delivered", "unique_reach", "impressions", "unique_devices", "clicks", "click_rate",
    "updates", "views", "reactions", "forwards",
)
MEASURES: Final[dict[str, tuple[str, ...]]] = {
    "sms": ("delivered", "unique_reach"),
    "status_bar": ("impressions", "unique_devices", "clicks", "click_rate"),
    "whatsapp_channel": ("updates", "views", "reactions", "forwards"),
}
STATUS_BAR_SUMS: Final = ("impressions", "unique_devices", "clicks", "impressions_with_link")
STATUS_BAR_KEYS: Final = ("wave_id", "operator", "province_code")

# A user scoped to some provinces sees the WhatsApp Channel's national numbers, said to be
# national: WhatsApp reports no province, so there is no slice of their provinces to show,
# and these numbers are the channel's own public counts (views and followers anyone can see
# on the channel), not rows of other provinces' recipients. Hiding them would leave the
# section empty without protecting anything; the page says plainly that they are national.
WHATSAPP_IS_NATIONAL: Final = True


def _status_bar_params(filters: Filters) -> dict[str, object]:
    """The status-bar marts' parameters: period, operators and provinces (scope included);
    no wave filter (SMS's alone)."""
    params = filters.params()
    return {key: params[key] for key in ("date_from", "date_to", "operators", "provinces")}


def _period(filters: Filters) -> dict[str, object]:
    return {"date_from": filters.date_from, "date_to": filters.date_to}


def channel_wave(conn: duckdb.DuckDBPyConnection, filters: Filters,
                 approximate: bool | None = None) -> pd.DataFrame:
    """One row per channel x wave with that channel's reach measures (CHANNEL_WAVE_COLUMNS;
    NULL where a measure does not apply). SMS rows: marts/reach_wave.sql (unique reach exact,
    or estimated when `approximate`, as tables.reach_table decides; an estimated table keeps
    the column unique_reach_approximate, true on the SMS rows). Status-bar and WhatsApp rows:
    marts/channel_wave.sql. A wave missing from the catalogue has in_catalogue false."""
    from dashboard.reports import tables  # tables registers this function

    sms = tables.reach_table(conn, "reach_wave", filters, approximate)
    others = db.run(conn, "marts/channel_wave", **_status_bar_params(filters))
    parts = [frame for frame in (sms.assign(channel="sms"), others) if len(frame)]
    if parts:
        frame = pd.concat([part.reindex(columns=CHANNEL_WAVE_COLUMNS) for part in parts],
                          ignore_index=True)
    else:
        frame = pd.DataFrame(columns=list(CHANNEL_WAVE_COLUMNS))
    frame = _typed(frame)
    if sketch.APPROXIMATE_COLUMN in sms.columns:
        frame[sketch.APPROXIMATE_COLUMN] = (frame["channel"] == "sms") & bool(
            sketch.is_approximate(sms))
    return frame


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole counts as nullable integers (NULL where a measure does not apply), rates as
    floats, dates as dates: the same dtypes whichever channels have rows."""
    counts = [c for c in CHANNEL_WAVE_COLUMNS if c in frame.columns and c not in (
        "channel", "wave_id", "in_catalogue", "sent_date", "theme", "message_text",
        "click_rate")]
    typed = frame.astype({c: "Int64" for c in counts})
    typed["click_rate"] = pd.to_numeric(typed["click_rate"], errors="coerce").astype(float)
    typed["sent_date"] = pd.to_datetime(typed["sent_date"])
    typed["in_catalogue"] = typed["in_catalogue"].astype("boolean")
    return typed


def channel_rows(frame: pd.DataFrame, channel: str) -> pd.DataFrame:
    """The rows of one channel of channel_wave, with only its own measures."""
    if channel not in MEASURES:
        raise KeyError(f"unknown channel {channel!r}; choose one of {', '.join(MEASURES)}")
    keep = ["wave_id", "in_catalogue", "sent_date", "theme", *MEASURES[channel]]
    if channel == "sms" and sketch.APPROXIMATE_COLUMN in frame.columns:
        keep.append(sketch.APPROXIMATE_COLUMN)
    return frame.loc[frame["channel"] == channel, keep].reset_index(drop=True)


def status_bar_province(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Status-bar counts per wave x operator x province (marts/status_bar_province.sql),
    within the period, operators and provinces (and the user's scope)."""
    return db.run(conn, "marts/status_bar_province", **_status_bar_params(filters))


def status_bar_sums(rows: pd.DataFrame, by: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """status_bar_province rows summed by some of (wave_id, operator, province_code), with the
    click rate of each sum: clicks / impressions of the rows with a click count (NULL where
    none has one). by=(): one row, the total. Unknown province stays a group of its own."""
    by = list(by)
    if unknown := set(by) - set(STATUS_BAR_KEYS):
        raise KeyError(f"cannot group status-bar rows by {sorted(unknown)}")
    if rows.empty and by:
        return pd.DataFrame(columns=[*by, *STATUS_BAR_SUMS, "click_rate"])
    values = rows[list(STATUS_BAR_SUMS)].astype("Float64")
    if by:
        grouped = values.groupby([rows[k] for k in by], dropna=False, sort=True)
        sums = grouped.sum(min_count=1).reset_index()
    else:
        sums = values.sum(min_count=1).to_frame().T
    for column in ("impressions", "unique_devices", "impressions_with_link"):
        sums[column] = sums[column].fillna(0)
    sums = sums.astype({c: "Int64" for c in STATUS_BAR_SUMS})
    link = sums["impressions_with_link"].astype("Float64")
    rate = sums["clicks"].astype("Float64") / link.where(link > 0)
    sums["click_rate"] = rate.astype(float)
    return sums.reset_index(drop=True)


def wa_updates(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The WhatsApp Channel's updates posted in the period (national: only the dates apply)."""
    return db.run(conn, "marts/wa_updates", **_period(filters))


def wa_daily(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The WhatsApp Channel's daily insights in the period (national: only the dates apply)."""
    return db.run(conn, "marts/wa_daily", **_period(filters))


def whatsapp_summary(updates: pd.DataFrame, daily: pd.DataFrame) -> dict[str, object]:
    """The WhatsApp tiles: updates posted, their views, reactions and forwards (None where no
    update has a count), the followers on the last insight day and that day, and the change
    in followers from the first insight day to the last (None with fewer than two days)."""
    def total(column: str) -> object:
        present = updates[column].dropna() if len(updates) else pd.Series(dtype=float)
        return int(present.sum()) if len(present) else None

    summary: dict[str, object] = {
        "updates": len(updates), "views": total("views"), "reactions": total("reactions"),
        "forwards": total("forwards"), "followers": None, "followers_date": None,
        "followers_change": None,
    }
    if len(daily):
        ordered = daily.sort_values("insight_date")
        summary["followers"] = int(ordered["followers"].iloc[-1])
        summary["followers_date"] = ordered["insight_date"].iloc[-1]
        if len(ordered) > 1:
            summary["followers_change"] = int(ordered["followers"].iloc[-1]
                                              - ordered["followers"].iloc[0])
    return summary


def has_channel_data(conn: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """Whether any row of each channel is loaded at all (whatever the filters): an empty
    section says "no data yet", a filtered-out one "nothing in these filters"."""
    found = db.run(conn, "marts/channels_loaded").iloc[0]
    return {channel: bool(found[channel]) for channel in CHANNELS}


# --- figures: one composition each, for the page (its cached tables) and the press export --

# figure name -> the tables it is drawn from (the press export's figures_registry names)
FIGURE_TABLES: Final[dict[str, tuple[str, ...]]] = {
    "sms_waves": ("channel_wave",),
    "status_bar_waves": ("channel_wave",),
    "wa_waves": ("channel_wave",),
    "status_bar_operators": ("channel_wave", "status_bar_province"),
    "status_bar_click_rate": ("channel_wave", "status_bar_province"),
    "status_bar_tile_map": ("status_bar_province",),
    "wa_updates": ("wa_updates",),
    "wa_followers": ("wa_daily", "wa_updates"),
}
# the figures that show unique reach: their source line says what it leaves out (the chart
# marks its own estimates: charts.channels.channel_wave_bars)
UNIQUE_REACH_FIGURES: Final = frozenset({"sms_waves"})
WAVE_FIGURES: Final = {"sms_waves": "sms", "status_bar_waves": "status_bar",
                       "wa_waves": "whatsapp_channel"}
MAP_METRICS: Final = ("impressions", "unique_devices", "click_rate")


def figure_from(name: str, frames: dict[str, pd.DataFrame], lang: str = "id",
                **options: object) -> go.Figure:
    """The named Kanal chart from its tables (FIGURE_TABLES). Options: the tile map's
    `metric` (MAP_METRICS) and tilemap.province_tile_map's in_filter, selected, width."""
    from dashboard.charts import channels as charts

    if name in WAVE_FIGURES:
        return charts.channel_wave_bars(frames["channel_wave"], WAVE_FIGURES[name], lang)
    if name in ("status_bar_operators", "status_bar_click_rate"):
        sums = status_bar_sums(frames["status_bar_province"], ["wave_id", "operator"])
        metric = "impressions" if name == "status_bar_operators" else "click_rate"
        return charts.status_bar_operator_bars(
            sums, metric, lang, channel_rows(frames["channel_wave"], "status_bar"))
    if name == "status_bar_tile_map":
        metric = str(options.pop("metric", MAP_METRICS[0]))  # the press: impressions
        by_province = status_bar_sums(frames["status_bar_province"], ["province_code"])
        return charts.status_bar_tile_map(by_province, metric, lang, **options)
    if name == "wa_updates":
        return charts.wa_update_bars(frames["wa_updates"], lang)
    if name == "wa_followers":
        return charts.wa_follower_curve(frames["wa_daily"], frames["wa_updates"], lang)
    raise KeyError(f"unknown Kanal figure {name!r}; choose one of {', '.join(FIGURE_TABLES)}")


def figure(conn: duckdb.DuckDBPyConnection, name: str, filters: Filters,
           lang: str = "id") -> go.Figure:
    """The named Kanal chart for the filters (figures_registry: the press export). The tile
    map colours the provinces in the filter; the others are white, as on the page."""
    from dashboard.reports import tables

    frames = {table: tables.table(conn, table, filters) for table in FIGURE_TABLES[name]}
    options = {"in_filter": filters.effective_provinces} if name == "status_bar_tile_map" else {}
    return figure_from(name, frames, lang, **options)


# --- tables for the screen (downloads keep the export tables as they are) ------------------

def screen_waves(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """channel_wave for the screen: channels and wave themes by name; no message text (long;
    the catalogue has it)."""
    shown = frame.drop(columns=["message_text"], errors="ignore").copy()
    shown["channel"] = [t(f"weekly.channel.{c}", lang) for c in shown["channel"]]
    shown["theme"] = [theme_name(v, lang) for v in shown["theme"]]
    return shown


def theme_name(theme: object, lang: str = "id") -> object:
    """A wave theme by its name (turnout -> "Ajakan memilih"); other values as they are."""
    if not isinstance(theme, str) or f"weekly.wave_theme.{theme}" not in TRANSLATIONS:
        return theme
    return t(f"weekly.wave_theme.{theme}", lang)


def screen_provinces(rows: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The status bar summed per province for the screen, the province named (unknown
    province last, named as such), largest impressions first."""
    from dashboard import reference

    sums = status_bar_sums(rows, ["province_code"])
    names = reference.province_names()
    unknown = t("common.unknown_province", lang)
    sums.insert(0, "province_name", [unknown if pd.isna(c) else names.get(int(c), str(c))
                                     for c in sums["province_code"]])
    order = sums.assign(_unknown=sums["province_code"].isna()).sort_values(
        ["_unknown", "impressions"], ascending=[True, False], kind="stable")
    return order.drop(columns=["_unknown", "province_code"]).reset_index(drop=True)


def unknown_province_impressions(rows: pd.DataFrame) -> int:
    """Impressions without a recognised province (in the totals, not on the map)."""
    if rows.empty:
        return 0
    return int(rows.loc[rows["province_code"].isna(), "impressions"].sum())
