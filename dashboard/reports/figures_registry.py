"""Every chart of the app by name, for press exports (`python -m dashboard figure NAME`) and
the weekly brief: name -> function(conn, filters, lang) -> plotly figure. Pure: no streamlit.

The functions read the same named tables as the pages, so an exported figure shows the
numbers the page shows for the same filters.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import reference
from dashboard.charts.style import (
    MAX_DATE_TICKS,
    SERIES_COLORS,
    apply_style,
    empty_figure,
    nice_ticks,
)
from dashboard.filters import Filters
from dashboard.i18n import format_compact, format_date, format_number, normalize_lang, t
from dashboard.reports import channels, tables
from dashboard.store import db

FigureFn = Callable[[duckdb.DuckDBPyConnection, Filters, str], go.Figure]
HIGHLIGHT_COLOR = "#0072B2"  # Okabe-Ito blue: the chosen week among the others
RATE_RATIO_DAYS = 7  # the Hoaks page's default window before and after a wave


def _operator_bars(metric: str) -> FigureFn:
    def figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> go.Figure:
        from dashboard.charts.reach import operator_bars

        return operator_bars(tables.table(conn, "reach_operator", filters), metric, lang)

    return figure


def wave_trend_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                      ) -> go.Figure:
    from dashboard.charts.reach import wave_trend

    return wave_trend(tables.table(conn, "reach_wave", filters), lang)


def daily_trend_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                       ) -> go.Figure:
    """Sent and delivered per day (all operators together)."""
    from dashboard.charts.reach import daily_trend

    daily = tables.table(conn, "reach_daily", filters)
    if len(daily):
        daily = daily.groupby("send_date", as_index=False)[["sent", "delivered"]].sum()
    return daily_trend(daily, lang)


def daily_by_operator_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                             ) -> go.Figure:
    from dashboard.charts.reach import daily_trend

    daily = tables.table(conn, "reach_daily", filters)
    return daily_trend(daily, lang)


TILE_MAP_METRIC = "delivered_per_voter"


def tile_map_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                    ) -> go.Figure:
    from dashboard.charts.tilemap import province_tile_map

    return province_tile_map(tables.table(conn, "reach_province", filters),
                             TILE_MAP_METRIC, lang,
                             in_filter=filters.effective_provinces)  # None: every province


def tile_ranking_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                        ) -> go.Figure:
    """The tile map's numbers ranked, in two columns: its press form where the tiles are too
    small to carry a name and a value (a square or an A4 canvas)."""
    from dashboard.charts.reach import province_ranking

    return province_ranking(tables.table(conn, "reach_province", filters), TILE_MAP_METRIC,
                            lang, in_filter=filters.effective_provinces, columns=2)


def heatmap_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> go.Figure:
    from dashboard.charts.reach import operator_province_heatmap

    return operator_province_heatmap(tables.table(conn, "reach_operator_province", filters),
                                     "delivery_rate", lang)


def latency_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> go.Figure:
    from dashboard.charts.reach import latency_chart

    return latency_chart(tables.table(conn, "reach_operator", filters), lang)


def error_codes_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                       ) -> go.Figure:
    from dashboard.charts.reach import PRESS_ERROR_LABEL_CHARS, error_code_bars

    return error_code_bars(tables.table(conn, "error_codes", filters), lang,
                           label_chars=PRESS_ERROR_LABEL_CHARS)


def _hoax_filters(filters: Filters) -> Filters:
    # the hoax register has no operator, wave or province dimension: only the period applies
    return Filters(filters.date_from, filters.date_to)


def hoax_weekly_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                       ) -> go.Figure:
    from dashboard.analysis.hoax import moving_average
    from dashboard.charts.hoax import weekly_hoax_bars

    period = _hoax_filters(filters)
    weekly = tables.hoax_weekly(conn, period)
    by_theme = tables.hoax_weekly(conn, period, by="theme")
    average = None
    if len(weekly):
        average = moving_average(weekly, "issues", 4).set_index("week_start")["issues_ma4"]
    return weekly_hoax_bars(by_theme, lang, moving_average=average,
                            waves=db.run(conn, "marts/waves_catalogue"),
                            events=reference.election_calendar())


def hoax_platforms_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                          ) -> go.Figure:
    from dashboard.charts.hoax import platform_mix

    return platform_mix(tables.hoax_weekly(conn, _hoax_filters(filters), by="platform"), lang)


def hoax_takedown_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                         ) -> go.Figure:
    from dashboard.analysis.hoax import takedown_summary
    from dashboard.charts.hoax import takedown_bars

    register = tables.hoax_register(conn, _hoax_filters(filters))
    if register.empty:
        return empty_figure(lang, title=t("chart.takedown.title", lang))
    return takedown_bars(takedown_summary(register, by="theme"), lang)


def hoax_rate_ratios_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                            ) -> go.Figure:
    from dashboard.analysis.hoax import wave_rate_ratios
    from dashboard.charts.hoax import rate_ratio_forest

    period = _hoax_filters(filters)
    register = tables.hoax_register(conn, period)
    if register.empty:
        return empty_figure(lang, title=t("chart.rate_ratio.title", lang, k=RATE_RATIO_DAYS))
    ratios = wave_rate_ratios(register, db.run(conn, "marts/waves_catalogue"), RATE_RATIO_DAYS,
                              start=period.date_from, end=period.date_to)
    return rate_ratio_forest(ratios, lang, k=RATE_RATIO_DAYS)


def participation_scatter_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                                 ) -> go.Figure:
    """Delivered messages per voter against the turnout change 2019-2024, as the Partisipasi
    page shows by default."""
    from dashboard.analysis.participation import fitted_line, outcome_values
    from dashboard.charts.participation import exposure_scatter
    from dashboard.charts.style import exposure_label

    provinces = tables.participation_provinces(conn, filters)
    x_label = exposure_label("delivered_per_voter", lang)  # per 1,000 voters, as its ticks
    y_label = t("outcome.turnout_change", lang)
    if provinces.empty:
        return empty_figure(lang, title=t("chart.scatter.title", lang, x=x_label, y=y_label))
    points = provinces.assign(y=outcome_values(provinces, "turnout_change"))
    return exposure_scatter(points, "delivered_per_voter", "y", lang,
                            fit=fitted_line(points["delivered_per_voter"], points["y"]),
                            x_label=x_label, y_label=y_label)


def survey_shares_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                         ) -> go.Figure:
    from dashboard.charts.participation import survey_shares

    return survey_shares(tables.survey_tests(conn, filters), lang)


def weekly_trend_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                        ) -> go.Figure:
    """Delivered messages per ISO week; the week of `filters.date_to` highlighted."""
    trend = db.run(conn, "marts/weekly_reach", **filters.params())
    chosen = None
    if filters.date_to is not None:
        year, week, _ = filters.date_to.isocalendar()
        chosen = f"{year}-W{week:02d}"
    return weekly_trend_chart(trend, chosen, lang)


def weekly_trend_chart(trend: pd.DataFrame, chosen: str | None, lang: str = "id") -> go.Figure:
    """Bars of delivered messages per ISO week (sent as a dotted outline), the chosen week in
    blue, its value written above every bar (a label inside a phone's 20 px bar was cut to
    "17.06")."""
    lang = normalize_lang(lang)
    title = t("chart.weekly_trend.title", lang)
    if trend is None or trend.empty:
        return empty_figure(lang, title=title)
    rows = trend.sort_values("iso_week")
    weeks = rows["iso_week"].astype(str).tolist()
    starts = pd.to_datetime(rows["week_start"])
    # the week over its Monday, and its year when the weeks span two ('W49 4 Des' twice a
    # year apart would read the same); at most eight labelled, so they stand upright on a
    # social card
    with_year = starts.dt.year.nunique() > 1
    labels = [f"{w[-3:]}<br>{format_date(d, lang, with_year=False)}"
              + (f"<br>{d.year}" if with_year else "")
              for w, d in zip(weeks, starts, strict=True)]
    step = next(k for k in range(1, len(weeks) + 1) if len(weeks) <= MAX_DATE_TICKS * k)
    colors = [HIGHLIGHT_COLOR if w == chosen else "#A9C6DE" for w in weeks]
    delivered_name, sent_name = t("metric.delivered", lang), t("metric.sent", lang)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=labels, y=rows["delivered"].astype(float), name=delivered_name,
        marker_color=colors,
        hovertemplate=[f"{w}<br>{delivered_name}: {format_number(v, 0, lang)}<extra></extra>"
                       for w, v in zip(weeks, rows["delivered"], strict=True)],
    ))
    fig.add_trace(go.Scatter(
        x=labels, y=rows["sent"].astype(float), name=sent_name, mode="markers",
        marker=dict(symbol="line-ew-open", size=22, color=SERIES_COLORS["neutral"],
                    line=dict(width=2)),
        hovertemplate=[f"{w}<br>{sent_name}: {format_number(v, 0, lang)}<extra></extra>"
                       for w, v in zip(weeks, rows["sent"], strict=True)],
    ))
    high = float(rows[["sent", "delivered"]].max().max())
    ticks = nice_ticks(0.0, high, 4) if high > 0 else [0.0]
    fig.update_yaxes(title_text=t("chart.messages", lang), tickvals=ticks,
                     ticktext=[format_compact(v, 1, lang) for v in ticks],
                     range=[0, max(high, 1) * 1.22])
    if chosen in weeks:
        at = weeks.index(chosen)
        value = float(rows["delivered"].iloc[at])
        # over the tallest bar and the sent marks, so no bar or mark crosses it; the first
        # and last weeks' labels run inward, not off the plot
        anchor = "right" if at == len(weeks) - 1 and at else "left" if at == 0 else "center"
        fig.add_annotation(x=labels[at], y=max(high, 1) * 1.04, yanchor="bottom",
                           xanchor=anchor, showarrow=False, name="chosen_value",
                           text=f"<b>{format_number(value, 0, lang)}</b>",
                           font=dict(color=HIGHLIGHT_COLOR, size=13))
    fig.update_xaxes(type="category", title_text=None, tickvals=labels[::step],
                     ticktext=labels[::step], tickangle=0)
    fig.update_layout(title_text=title, height=380, showlegend=True, bargap=0.25)
    return apply_style(fig, lang)


def _channel_figure(name: str) -> FigureFn:
    def figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> go.Figure:
        return channels.figure(conn, name, filters, lang)

    figure.__doc__ = f"the Kanal page's {name} chart (reports/channels.figure_from)"
    return figure


def experiment_effect_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                             ) -> go.Figure:
    """The newest frozen experiment's overall effect on each outcome with its 95% interval
    (the Rancang uji page; national: the filters do not narrow an experiment)."""
    from dashboard.charts.experiment import overall_effect_chart
    from dashboard.reports import experiment

    frozen = experiment.frozen(conn)
    if frozen.empty:
        return empty_figure(lang, title=t("exp.chart.overall_title", lang))
    # the interval does not depend on the re-draws, and the chart shows no p-value
    result = experiment.read_experiment(conn, str(frozen["experiment_id"].iloc[0]),
                                        permutations=100)
    return overall_effect_chart(result.table, lang)


FIGURES: dict[str, FigureFn] = {
    "operator_delivered": _operator_bars("delivered"),
    "operator_delivery_rate": _operator_bars("delivery_rate"),
    "wave_trend": wave_trend_figure,
    "daily_trend": daily_trend_figure,
    "daily_by_operator": daily_by_operator_figure,
    "weekly_trend": weekly_trend_figure,
    "tile_map": tile_map_figure,
    "heatmap": heatmap_figure,
    "latency": latency_figure,
    "error_codes": error_codes_figure,
    "hoax_weekly": hoax_weekly_figure,
    "hoax_platforms": hoax_platforms_figure,
    "hoax_takedown": hoax_takedown_figure,
    "hoax_rate_ratios": hoax_rate_ratios_figure,
    "participation_scatter": participation_scatter_figure,
    "survey_shares": survey_shares_figure,
    # the Kanal page (issue 17): every channel per wave, the status bar, the WhatsApp Channel
    **{name: _channel_figure(name) for name in channels.FIGURE_TABLES},
    # the randomised experiment (issue 18; the Rancang uji page)
    "experiment_effect": experiment_effect_figure,
}


def status_bar_ranking_figure(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str
                              ) -> go.Figure:
    """The status-bar tile map's numbers ranked, in two columns (as tile_ranking_figure)."""
    from dashboard.charts.channels import status_bar_ranking

    by_province = channels.status_bar_sums(tables.table(conn, "status_bar_province", filters),
                                           ["province_code"])
    return status_bar_ranking(by_province, channels.MAP_METRICS[0], lang,
                              in_filter=filters.effective_provinces, columns=2)


# A tile map whose press layout cannot write a name and a value on every tile (the canvas is
# too narrow for 18 columns of tiles at a readable type size) is laid out as these instead:
# the same numbers, ranked, every province named with its value
RANKED_FORMS: dict[str, FigureFn] = {"tile_map": tile_ranking_figure,
                                     "status_bar_tile_map": status_bar_ranking_figure}


def figure(conn: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
           lang: str = "id") -> go.Figure:
    """The named chart for the filters, in `lang`."""
    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}; choose one of {', '.join(sorted(FIGURES))}")
    return FIGURES[name](conn, filters or Filters(), normalize_lang(lang))


def chart_title(fig: go.Figure, fallback: str = "") -> str:
    """The title a chart was given (press layouts move it out of the plot)."""
    text = fig.layout.title.text
    return str(text) if text else fallback


def press(conn: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
          lang: str = "id", size: str = "slide", logo_path: str | None = None) -> go.Figure:
    """The named chart laid out for the press (`python -m dashboard figure`): its subtitle
    and source line say what data it shows, from when, and whether it is sample data."""
    from dashboard.charts.tilemap import press_readable
    from dashboard.export.figures import press_figure
    from dashboard.export.provenance import data_of_figure, provenance

    filters = filters or Filters()
    origin = provenance(conn, data_of_figure(name), filters, lang,
                        unique_reach=name in channels.UNIQUE_REACH_FIGURES)

    def laid_out(fig: go.Figure) -> go.Figure:
        return press_figure(fig, chart_title(fig, name), subtitle=origin.subtitle,
                            source=origin.footer, logo_path=logo_path, size=size, lang=lang,
                            watermark=origin.watermark)

    ranked = RANKED_FORMS.get(name)
    return press_readable(figure(conn, name, filters, lang), laid_out,
                          ranked and (lambda: ranked(conn, filters, normalize_lang(lang))))
