"""Charts of the Kanal page (issue 17): each channel of the campaign per wave, the status bar
by operator and province, the WhatsApp Channel per update and its followers per day.

Pure functions on the tables of dashboard/reports/channels.py (their export column names);
an empty frame gives the house "no data" figure with the chart's title, never an error. One
colour per operator as everywhere (style.operator_color); the other series take the
palette's colours no operator uses.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.reach import province_ranking, wave_sort_key
from dashboard.charts.style import (
    BAR_LABEL_ROOM_PX,
    LEGEND_BELOW,
    MUTED_TEXT_COLOR,
    OKABE_ITO,
    SERIES_COLORS,
    apply_style,
    date_ticks,
    empty_figure,
    enclosing_ticks,
    format_metric,
    metric_label,
    nice_ticks,
    operator_color,
    operator_name,
    operator_sort_key,
    tick_labels,
)
from dashboard.charts.tilemap import DEFAULT_WIDTH, province_tile_map
from dashboard.i18n import format_compact, format_date, format_number, is_missing, t
from dashboard.store import sketch
from dashboard.text_safety import plotly_text

# the measures drawn per wave for each channel (its headline first)
WAVE_MEASURES: dict[str, tuple[str, ...]] = {
    "sms": ("delivered", "unique_reach"),
    "status_bar": ("impressions", "unique_devices"),
    "whatsapp_channel": ("views",),
}
# colours of the measures: none of them an operator's (vermillion, orange, blue, purple)
MEASURE_COLORS: dict[str, str] = {
    "delivered": SERIES_COLORS["delivered"],
    "unique_reach": SERIES_COLORS["neutral"],
    "impressions": OKABE_ITO["sky_blue"],
    "unique_devices": SERIES_COLORS["neutral"],
    "views": OKABE_ITO["sky_blue"],
    "reactions": OKABE_ITO["bluish_green"],
    "forwards": SERIES_COLORS["neutral"],
}
FOLLOWERS_COLOR = OKABE_ITO["black"]
POSTING_COLOR = OKABE_ITO["bluish_green"]
DAY_MS = 86_400_000


def _in_sentence(metric: str, lang: str) -> str:
    """A metric's name inside a title ("Status bar: tayangan per provinsi")."""
    label = metric_label(metric, lang)
    return label[:1].lower() + label[1:]


def _count_axis(high: float, lang: str, count: int = 4) -> dict:
    """Ticks for counts from zero, compact (20 rb / 20K)."""
    ticks = nice_ticks(0.0, high, count) if high > 0 else [0.0]
    return dict(tickvals=ticks, ticktext=[format_compact(v, 1, lang) for v in ticks],
                range=[0, max(high, ticks[-1], 1) * 1.08])


def wave_label(wave_id: object, in_catalogue: object, lang: str) -> str:
    """A wave as an axis label: its id; "SB09<br>(tak dikenal)" when the catalogue does not
    list it (two short lines: a phone's bar chart keeps its width for the bars); "tanpa
    gelombang" for a post that names no wave. Ids come from files: escaped."""
    if is_missing(wave_id):
        return plotly_text(t("chart.no_wave", lang))
    if in_catalogue is False or (not is_missing(in_catalogue) and not bool(in_catalogue)):
        return plotly_text(t("chart.unknown_wave_short", lang, wave=wave_id)).replace(
            " (", "<br>(", 1)
    return plotly_text(wave_id)


def _is_known(wave_id: object, in_catalogue: object) -> bool:
    """A wave of the campaign's catalogue (not an unknown wave, not posts without a wave)."""
    return not is_missing(wave_id) and (is_missing(in_catalogue) or bool(in_catalogue))


def _wave_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The catalogue's waves by date sent, then id (SB2 before SB10); after them the waves
    the catalogue does not list and posts without a wave, which are no step of the campaign
    (SMS11 sat between SMS08 and SMS09, "tanpa gelombang" between WA01 and WA02)."""
    keys = [(not _is_known(w, k), pd.Timestamp(d) if not is_missing(d) else pd.Timestamp.max,
             wave_sort_key(w) if not is_missing(w) else ("~", 0, ""))
            for d, w, k in zip(frame["sent_date"], frame["wave_id"], frame["in_catalogue"],
                               strict=True)]
    order = sorted(range(len(frame)), key=lambda i: keys[i])
    return frame.iloc[order]


def _bar_height(groups: int, bars_per_group: int) -> int:
    """Horizontal grouped bars: room for every bar, the title above and the legend below."""
    return max(300, groups * (14 * bars_per_group + 18) + 170)


def channel_wave_bars(frame: pd.DataFrame, channel: str, lang: str = "id") -> go.Figure:
    """One channel's reach measures per wave as horizontal grouped bars, the waves down the
    side in the order they were sent (WAVE_MEASURES: SMS delivered and unique reach,
    status-bar impressions and unique devices, WhatsApp views), from the channel_wave table
    (the other channels' rows are left out). Horizontal: wave labels ("SMS11 (gelombang tak
    dikenal)") stay level on a phone and in a press card."""
    title = t(f"chart.channel_waves.{channel}", lang)
    measures = WAVE_MEASURES[channel]
    rows = frame[frame["channel"] == channel] if frame is not None and len(frame) else None
    if rows is None or rows.empty or rows[list(measures)].isna().all().all():
        return empty_figure(lang, title=title)
    rows = _wave_order(rows)
    waves = [wave_label(w, k, lang)
             for w, k in zip(rows["wave_id"], rows["in_catalogue"], strict=True)]
    # an estimated unique reach (HyperLogLog) is marked on the chart itself, so a press
    # export of it says so too: "≈" on each value and the note above the bars
    estimated = "unique_reach" in measures and sketch.is_approximate(rows)
    fig = go.Figure()
    for measure in measures:
        label = metric_label(measure, lang)
        values = pd.to_numeric(rows[measure], errors="coerce").astype(float)
        marked = estimated and measure == "unique_reach"
        fig.add_trace(go.Bar(
            y=waves, x=values, name=sketch.mark(label, marked), orientation="h",
            marker_color=MEASURE_COLORS[measure],
            hovertemplate=[f"{w}<br>{label}: {sketch.mark(format_number(v, 0, lang), marked)}"
                           "<extra></extra>" for w, v in zip(waves, values, strict=True)],
        ))
    if estimated:
        fig.add_annotation(x=0, xref="paper", y=1.0, yref="paper", xanchor="left",
                           yanchor="bottom", yshift=6, showarrow=False, align="left",
                           name="reach_estimate_note",
                           text="<br>".join(plotly_text(line)
                                            for line in textwrap.wrap(sketch.note(lang), 48)),
                           font=dict(size=12, color=MUTED_TEXT_COLOR))
    high = float(rows[list(measures)].apply(pd.to_numeric, errors="coerce").max().max())
    # few ticks: three such charts stand side by side on a laptop, about 300 px each
    # the count axis's labels stand off the plot: the last wave's label may wrap to two
    # lines ("SMS11 (tak dikenal)") and hang into their row on a square press canvas
    fig.update_xaxes(title_text=None, ticklabelstandoff=8, **_count_axis(high, lang, 2))
    fig.update_yaxes(type="category", autorange="reversed", title_text=None,
                     ticklabelstandoff=BAR_LABEL_ROOM_PX)
    fig.update_layout(title_text=title, barmode="group", legend=LEGEND_BELOW,
                      margin_t=70 + (50 if estimated else 0),
                      height=_bar_height(len(rows), len(measures)), hovermode="closest",
                      bargap=0.2, showlegend=len(measures) > 1)
    return apply_style(fig, lang)


def status_bar_operator_bars(sums: pd.DataFrame, metric: str, lang: str = "id",
                             waves: pd.DataFrame | None = None) -> go.Figure:
    """A status-bar measure per wave (down the side), one horizontal bar per operator in its
    colour, from the status-bar sums by (wave_id, operator). `metric` impressions,
    unique_devices or click_rate (no bar where the wave's text had no link: no click count).
    `waves`: the channel_wave rows of the status bar, for their catalogue marks and dates."""
    title = t("chart.status_bar_operators.title", lang, metric=_in_sentence(metric, lang))
    if sums is None or sums.empty or pd.to_numeric(sums[metric], errors="coerce").isna().all():
        return empty_figure(lang, title=title)
    known = {}
    dates = {}
    if waves is not None and len(waves):
        known = dict(zip(waves["wave_id"], waves["in_catalogue"], strict=True))
        dates = dict(zip(waves["wave_id"], waves["sent_date"], strict=True))
    order = sorted(sums["wave_id"].dropna().unique(),
                   key=lambda w: (not _is_known(w, known.get(w, True)),
                                  pd.Timestamp(dates[w]) if w in dates else pd.Timestamp.max,
                                  wave_sort_key(w)))
    labels = {w: wave_label(w, known.get(w, True), lang) for w in order}
    operators = sorted(sums["operator"].dropna().astype(str).unique(), key=operator_sort_key)
    fig = go.Figure()
    for operator in operators:
        part = sums[sums["operator"] == operator].set_index("wave_id").reindex(order)
        values = pd.to_numeric(part[metric], errors="coerce").astype(float)
        name = plotly_text(operator_name(operator))
        fig.add_trace(go.Bar(
            y=[labels[w] for w in order], x=values, name=name, orientation="h",
            marker_color=operator_color(operator), customdata=[operator] * len(order),
            hovertemplate=[f"<b>{name}</b> · {labels[w]}<br>{metric_label(metric, lang)}: "
                           + (format_metric(v, metric, lang) if not is_missing(v)
                              else t("chart.no_link", lang)) + "<extra></extra>"
                           for w, v in zip(order, values, strict=True)],
        ))
    high = float(pd.to_numeric(sums[metric], errors="coerce").max())
    if metric.endswith("_rate"):
        ticks = nice_ticks(0.0, high, 3) if high > 0 else [0.0]
        fig.update_xaxes(tickvals=ticks, ticktext=tick_labels(ticks, metric, lang),
                         range=[0, max(high, ticks[-1]) * 1.08 or 0.01])
    else:
        fig.update_xaxes(**_count_axis(high, lang, 3))
    fig.update_xaxes(title_text=None)
    fig.update_yaxes(type="category", autorange="reversed", title_text=None,
                     ticklabelstandoff=BAR_LABEL_ROOM_PX)
    fig.update_layout(title_text=title, barmode="group", legend=LEGEND_BELOW, margin_t=70,
                      height=_bar_height(len(order), len(operators)), hovermode="closest",
                      bargap=0.2)
    return apply_style(fig, lang)


def status_bar_tile_map(by_province: pd.DataFrame, metric: str, lang: str = "id",
                        **options: object) -> go.Figure:
    """The house tile map of the 38 provinces coloured by a status-bar measure (status-bar
    sums by province_code); options as tilemap.province_tile_map (in_filter, selected,
    width). Unknown province (NULL) is not a tile: the page counts it in a note."""
    options.setdefault("width", DEFAULT_WIDTH)
    frame = by_province
    if frame is not None and len(frame):
        frame = frame.assign(**{metric: pd.to_numeric(frame[metric], errors="coerce")
                                .astype(float)})
    return province_tile_map(frame, metric, lang, title=_map_title(metric, lang), **options)


def status_bar_ranking(by_province: pd.DataFrame, metric: str, lang: str = "id",
                       **options: object) -> go.Figure:
    """The status-bar tile map's numbers ranked (reach.province_ranking; options as there:
    in_filter, selected, columns), under the map's own title: a list that travels alone
    names its channel, or it reads as the SMS ranking."""
    return province_ranking(by_province, metric, lang, title=_map_title(metric, lang),
                            **options)


def _map_title(metric: str, lang: str) -> str:
    return t("chart.status_bar_map.title", lang, metric=_in_sentence(metric, lang))


def _wib_times(values: pd.Series) -> pd.Series:
    """Instants as WIB wall-clock times without a zone (a plotly date axis shows them as
    written)."""
    times = pd.to_datetime(values, utc=True)
    return times.dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)


def wa_update_bars(updates: pd.DataFrame, lang: str = "id") -> go.Figure:
    """The WhatsApp Channel's updates on a time axis: views above, reactions and forwards
    below (on their own axis: they are a few hundredths of the views)."""
    title = t("chart.wa_updates.title", lang)
    if updates is None or updates.empty:
        return empty_figure(lang, title=title)
    rows = updates.sort_values(["posted_at", "update_id"])
    times = _wib_times(rows["posted_at"])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4],
                        vertical_spacing=0.08)
    names = [f"{plotly_text(u)} · {format_date(d, lang)}"
             + (f" · {plotly_text(w)}" if not is_missing(w) else "")
             for u, d, w in zip(rows["update_id"], times, rows["wave_id"], strict=True)]
    span_days = max((times.max() - times.min()).days, 1)
    width = DAY_MS * max(0.6, min(3.0, span_days / 40))
    for row, measures in ((1, ("views",)), (2, ("reactions", "forwards"))):
        for measure in measures:
            label = metric_label(measure, lang)
            values = pd.to_numeric(rows[measure], errors="coerce").astype(float)
            fig.add_trace(go.Bar(
                x=times, y=values, name=label, marker_color=MEASURE_COLORS[measure],
                width=width / len(measures),
                offset=(-width / 2 + width / len(measures) * measures.index(measure)
                        if len(measures) > 1 else None),
                hovertemplate=[f"{n}<br>{label}: {format_number(v, 0, lang)}<extra></extra>"
                               for n, v in zip(names, values, strict=True)],
            ), row=row, col=1)
        high = float(rows[list(measures)].apply(pd.to_numeric, errors="coerce").max().max())
        fig.update_yaxes(title_text=None, **_count_axis(0.0 if pd.isna(high) else high, lang),
                         row=row, col=1)
    pad = pd.Timedelta(days=max(1.0, span_days * 0.03))
    fig.update_xaxes(range=[times.min() - pad, times.max() + pad], title_text=None,
                     **date_ticks(times, lang))
    fig.update_layout(title_text=title, height=460, legend=LEGEND_BELOW, margin_t=70,
                      hovermode="closest", bargap=0)
    return apply_style(fig, lang)


def wa_follower_curve(daily: pd.DataFrame, updates: pd.DataFrame | None = None,
                      lang: str = "id") -> go.Figure:
    """The WhatsApp Channel's followers per day (insight days), with the days an update was
    posted (WIB) marked by triangles along the bottom, as the hoax chart marks SMS waves."""
    title = t("chart.wa_followers.title", lang)
    if daily is None or daily.empty:
        return empty_figure(lang, title=title)
    rows = daily.assign(insight_date=pd.to_datetime(daily["insight_date"])
                        ).sort_values("insight_date")
    followers = pd.to_numeric(rows["followers"], errors="coerce").astype(float)
    label = metric_label("followers", lang)
    fig = go.Figure(go.Scatter(
        x=rows["insight_date"], y=followers, name=label, mode="lines",
        line=dict(color=FOLLOWERS_COLOR, width=2.5),
        hovertemplate=[f"{format_date(d, lang)}<br>{label}: {format_number(v, 0, lang)}"
                       "<extra></extra>" for d, v in zip(rows["insight_date"], followers,
                                                         strict=True)],
    ))
    low, high = float(followers.min()), float(followers.max())
    # ticks enclosing every value, so the first day's count sits above a labelled tick
    ticks = enclosing_ticks(low, high, 4) if high > low else [low]
    spread = max(high - low, abs(high) * 0.1, 1.0)
    bottom = min(low, ticks[0]) - 0.12 * spread
    days = rows["insight_date"]
    if updates is not None and len(updates):
        posted = pd.DataFrame({"day": _wib_times(updates["posted_at"]).dt.normalize(),
                               "update_id": updates["update_id"].astype(str)})
        posted = posted[(posted["day"] >= days.min()) & (posted["day"] <= days.max())]
        if len(posted):
            per_day = posted.groupby("day")["update_id"].apply(
                lambda ids: ", ".join(plotly_text(i) for i in ids))
            fig.add_trace(go.Scatter(
                x=per_day.index, y=[bottom + 0.05 * spread] * len(per_day), mode="markers",
                name=t("chart.posting_day", lang), cliponaxis=False,
                marker=dict(symbol="triangle-up", size=11, color=POSTING_COLOR),
                hovertemplate=[f"{format_date(d, lang)}<br>{ids}<extra></extra>"
                               for d, ids in zip(per_day.index, per_day, strict=True)],
            ))
    fig.update_yaxes(title_text=None, tickvals=ticks,
                     ticktext=[format_compact(v, 1, lang) for v in ticks],
                     range=[bottom, max(high, ticks[-1]) + 0.08 * spread])
    fig.update_xaxes(title_text=None, **date_ticks(days, lang))
    fig.update_layout(title_text=title, height=400, legend=LEGEND_BELOW, margin_t=70,
                      hovermode="closest")
    return apply_style(fig, lang)
