import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard import reference
from dashboard.analysis.participation import fitted_line
from dashboard.charts import hoax, participation, reach, style, tilemap
from dashboard.charts.style import OPERATOR_COLORS, OPERATOR_NAMES
from dashboard.i18n import format_duration, format_number, t

OPERATORS = ["smartfren", "telkomsel", "xl", "indosat"]  # deliberately not in display order


@pytest.fixture
def by_operator() -> pd.DataFrame:
    return pd.DataFrame({
        "operator": OPERATORS,
        "sent": [1_000_000, 4_000_000, 2_000_000, 3_000_000],
        "delivered": [900_000, 3_800_000, 1_700_000, 2_850_000],
        "delivery_rate": [0.9, 0.95, 0.85, 0.95],
        "latency_p50_s": [20.0, 4.0, 12.0, 7.0],
        "latency_p90_s": [300.0, 35.0, 140.0, 80.0],
        "latency_p99_s": [14_000.0, 600.0, 5_400.0, 2_400.0],
    })


@pytest.fixture
def by_wave() -> pd.DataFrame:
    return pd.DataFrame({
        "wave_id": ["SMS10", "SMS02", "SMS01"],
        "sent": [300, 200, 100],
        "delivered": [270, 190, 80],
        "delivery_rate": [0.9, 0.95, 0.8],
    })


@pytest.fixture
def by_day() -> pd.DataFrame:
    days = pd.date_range("2024-05-06", "2024-05-26")
    return pd.DataFrame({"date": days[::-1], "sent": range(21), "delivered": range(21)})


@pytest.fixture
def by_operator_province() -> pd.DataFrame:
    return pd.DataFrame({
        "operator": ["telkomsel", "telkomsel", "xl", "xl"],
        "province_code": [32, 91, 32, None],
        "delivery_rate": [0.91, 0.75, 0.88, 0.5],
    })


@pytest.fixture
def errors() -> pd.DataFrame:
    return pd.DataFrame({
        "error_code": ["045", "001", "0C1", None],
        "meaning": ["Absent subscriber", "Invalid destination address", "Expired", None],
        "n": [98_000, 120_000, 45_000, 5],
    })


def _colors_by_name(fig: go.Figure) -> dict[str, str]:
    """Operator display name -> colour, read from a figure's traces."""
    found: dict[str, str] = {}
    for trace in fig.data:
        marker_color = getattr(trace.marker, "color", None) if hasattr(trace, "marker") else None
        if trace.type == "bar" and trace.orientation == "h" and not isinstance(marker_color, str):
            found.update(zip(trace.y, marker_color, strict=True))  # one bar per operator
        elif trace.name in OPERATOR_NAMES.values():
            color = trace.line.color if trace.type == "scatter" and trace.line.color else None
            found[trace.name] = color or marker_color
    return found


def test_operator_bars_one_bar_per_operator_in_fixed_order_and_colour(by_operator):
    fig = reach.operator_bars(by_operator, "delivered", "id")
    (bar,) = fig.data
    assert list(bar.y) == ["Telkomsel", "Indosat Ooredoo Hutchison", "XL Axiata", "Smartfren"]
    assert list(bar.x) == [3_800_000, 2_850_000, 1_700_000, 900_000]
    assert list(bar.marker.color) == [OPERATOR_COLORS[op] for op in style.OPERATOR_ORDER]
    assert list(bar.text) == ["3.800.000", "2.850.000", "1.700.000", "900.000"]
    assert fig.layout.separators == ",."


@pytest.mark.parametrize(
    ("metric", "lang", "telkomsel_label"),
    [("delivery_rate", "id", "95,0%"), ("delivery_rate", "en", "95.0%"),
     ("sent", "en", "4,000,000")],
)
def test_operator_bars_label_values_in_the_reader_format(by_operator, metric, lang,
                                                        telkomsel_label):
    fig = reach.operator_bars(by_operator, metric, lang)
    assert fig.data[0].text[0] == telkomsel_label


def test_operator_colours_are_the_same_in_every_chart(by_operator, errors):
    daily = pd.DataFrame({
        "date": pd.to_datetime(["2024-02-01"] * 4),
        "operator": OPERATORS, "delivered": [1, 2, 3, 4],
    })
    errors_by_operator = errors.assign(operator="xl")
    errors_by_operator = pd.concat([errors_by_operator, errors.assign(operator="telkomsel")])
    figures = [
        reach.operator_bars(by_operator, "sent"),
        reach.latency_chart(by_operator),
        reach.daily_trend(daily),
        reach.error_code_bars(errors_by_operator),
    ]
    expected = {OPERATOR_NAMES[op]: OPERATOR_COLORS[op] for op in OPERATOR_COLORS}
    for fig in figures:
        found = _colors_by_name(fig)
        assert found, fig.layout.title.text
        assert found == {name: expected[name] for name in found}
    assert len(set(OPERATOR_COLORS.values())) == 4


def test_wave_trend_orders_waves_naturally_and_draws_the_rate(by_wave):
    fig = reach.wave_trend(by_wave, "id")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [tr.name for tr in bars] == ["Terkirim", "Diterima"]
    assert list(bars[0].x) == ["SMS01", "SMS02", "SMS10"]
    assert list(bars[0].y) == [100, 200, 300]
    assert list(bars[1].y) == [80, 190, 270]
    (line,) = [tr for tr in fig.data if tr.type == "scatter"]
    assert list(line.y) == [0.8, 0.95, 0.9]
    assert list(line.text) == ["80,0%", "95,0%", "90,0%"]


def test_wave_trend_without_rate_has_only_bars(by_wave):
    fig = reach.wave_trend(by_wave.drop(columns="delivery_rate"))
    assert [tr.type for tr in fig.data] == ["bar", "bar"]


def test_daily_trend_sorts_days_and_writes_indonesian_month_ticks(by_day):
    fig = reach.daily_trend(by_day, "id")
    sent, delivered = fig.data
    assert list(sent.y) == list(range(20, -1, -1))  # input was newest first
    assert pd.Timestamp(sent.x[0]) == pd.Timestamp("2024-05-06")
    assert all(label.endswith("Mei") for label in fig.layout.xaxis.ticktext)
    en = reach.daily_trend(by_day, "en")
    assert all(label.endswith("May") for label in en.layout.xaxis.ticktext)


def test_daily_trend_by_operator_draws_one_line_per_operator():
    df = pd.DataFrame({"date": ["2024-02-01", "2024-02-01", "2024-02-02"],
                       "operator": ["xl", "telkomsel", "xl"], "delivered": [5, 7, 6]})
    fig = reach.daily_trend(df)
    assert [tr.name for tr in fig.data] == ["Telkomsel", "XL Axiata"]
    assert list(fig.data[1].y) == [5, 6]


# a day without receipts is 0, not a line drawn across it (attack 17): W1 on 8 Jan, W2 on 21 Jan
@pytest.mark.parametrize(("rows", "lines"), [
    ({"send_date": ["2024-01-21", "2024-01-08"], "sent": [300, 500], "delivered": [290, 480]},
     {"Terkirim": [500] + [0] * 12 + [300], "Diterima": [480] + [0] * 12 + [290]}),
    ({"date": ["2024-02-01", "2024-02-03"], "operator": ["xl", "telkomsel"], "delivered": [5, 7]},
     {"Telkomsel": [0, 0, 7], "XL Axiata": [5, 0, 0]}),
])
def test_daily_trend_shows_days_without_sends_as_zero(rows, lines):
    fig = reach.daily_trend(pd.DataFrame(rows), "id")
    assert {tr.name: [float(v) for v in tr.y] for tr in fig.data} == lines
    first = pd.Timestamp(fig.data[0].x[0])
    assert [pd.Timestamp(x) for x in fig.data[0].x] == [
        first + pd.Timedelta(days=d) for d in range(len(next(iter(lines.values()))))]


def test_heatmap_has_operators_by_all_provinces(by_operator_province):
    fig = reach.operator_province_heatmap(by_operator_province, "delivery_rate", "id")
    (values,) = [tr for tr in fig.data if tr.name == "Tingkat keberhasilan"]
    z = np.array(values.z, dtype=float)
    assert list(values.y) == ["Telkomsel", "XL Axiata"]
    assert z.shape == (2, 39)  # 38 provinces plus the unknown one
    x = list(values.x)
    assert x[:2] == ["Aceh", "Sumut"] and x[-1] == "?"
    assert z[0, x.index("Jabar")] == 0.91
    assert z[1, -1] == 0.5
    assert math.isnan(z[0, x.index("Aceh")])
    assert values.customdata[0][x.index("Jabar")] == 32
    assert "Jawa Barat" in values.hovertext[0][x.index("Jabar")]
    assert any(tr.name == "no_data" for tr in fig.data)  # grey cells for missing pairs


@pytest.mark.parametrize(
    ("lang", "complete", "note"),
    [
        ("id", False, "abu-abu = tidak ada laporan pengiriman untuk operator di provinsi ini"),
        ("en", False, "grey = no delivery receipts for this operator in this province"),
        ("id", True, None),  # nothing grey, nothing to explain
    ],
)
def test_heatmap_says_what_grey_cells_mean(by_operator_province, lang, complete, note):
    frame = by_operator_province
    if complete:
        codes = tilemap.province_tiles()["province_code"]
        frame = pd.DataFrame({"operator": "xl", "province_code": codes, "delivery_rate": 0.9})
    fig = reach.operator_province_heatmap(frame, "delivery_rate", lang)
    notes = [a.text for a in fig.layout.annotations if a.name == "no_data_note"]
    if note is None:
        assert notes == []
    else:
        (text,) = notes
        assert text.endswith(note) and style.NO_DATA_COLOR in text


def test_heatmap_can_write_values_in_cells(by_operator_province):
    fig = reach.operator_province_heatmap(by_operator_province, "delivery_rate", "id",
                                          show_values=True)
    values = next(tr for tr in fig.data if tr.type == "heatmap" and tr.name != "no_data")
    assert values.texttemplate == "%{text}"
    assert "91%" in values.text[0]


def test_latency_chart_uses_a_log_axis_with_human_ticks(by_operator):
    fig = reach.latency_chart(by_operator, "id")
    telkomsel = next(tr for tr in fig.data if tr.name == "Telkomsel")
    assert list(telkomsel.x) == [4.0, 35.0, 600.0]
    assert list(telkomsel.marker.symbol) == ["circle", "diamond", "square"]
    assert fig.layout.xaxis.type == "log"
    assert "1 mnt" in fig.layout.xaxis.ticktext and "1 jam" in fig.layout.xaxis.ticktext
    assert [tr.name for tr in fig.data if tr.showlegend is not False][-3:] == [
        "Latensi p50 (median)", "Latensi p90", "Latensi p99"]


@pytest.mark.parametrize(("lang", "accuracy"), [
    ("id", "Persentil dari histogram (bisa meleset hingga sekitar 19%)"),
    ("en", "Percentiles from a histogram (accurate to about 19%)"),
])
def test_latency_chart_says_its_percentiles_are_histogram_middles(by_operator, lang, accuracy):
    from dashboard.export.figures import press_figure

    fig = reach.latency_chart(by_operator, lang)
    for shown in (fig, press_figure(fig, "Latensi", lang=lang)):  # the page and the press
        notes = [str(a.text).replace("<br>", " ") for a in shown.layout.annotations]
        assert any(accuracy in note for note in notes), notes


def test_error_code_bars_largest_first_with_meaning(errors):
    fig = reach.error_code_bars(errors, "id", top=3)
    (bar,) = fig.data
    assert list(bar.y) == ["001 · Invalid<br>destination address", "045 · Absent subscriber",
                           "0C1 · Expired"]
    assert list(bar.x) == [120_000, 98_000, 45_000]
    assert list(bar.text) == ["120.000", "98.000", "45.000"]


def _tiles(fig: go.Figure) -> list[go.Scatter]:
    return [tr for tr in fig.data if tr.name in ("tiles", "tiles_no_data")]


def _province_frame() -> pd.DataFrame:
    tiles = tilemap.province_tiles()
    return pd.DataFrame({
        "province_code": tiles["province_code"],
        "delivered_per_voter": np.linspace(0.5, 1.6, len(tiles)),
    })


def test_tile_map_has_38_tiles_whose_customdata_are_province_codes():
    codes = set(reference.provinces()["province_code"])
    df = _province_frame()
    df = df[df["province_code"] != 95]  # Papua Pegunungan without data
    fig = tilemap.province_tile_map(df, "delivered_per_voter", "id")
    tiles = _tiles(fig)
    assert sum(len(tr.x) for tr in tiles) == 38
    assert {c for tr in tiles for c in tr.customdata} == codes
    assert all(tr.marker.symbol == "square" for tr in tiles)
    (grey,) = [tr for tr in tiles if tr.name == "tiles_no_data"]
    assert list(grey.customdata) == [95]
    assert grey.marker.color == style.NO_DATA_COLOR


def test_tile_map_writes_short_name_and_value_and_hovers_the_full_name():
    df = pd.DataFrame({"province_code": [32, 91], "delivery_rate": [0.912, 0.75]})
    fig = tilemap.province_tile_map(df, "delivery_rate", "id")
    (tiles,) = [tr for tr in fig.data if tr.name == "tiles"]
    jabar = list(tiles.customdata).index(32)
    assert tiles.text[jabar] == "<b>Jabar</b><br>91%"
    assert "Jawa Barat" in tiles.hovertemplate[jabar]
    assert "91,2%" in tiles.hovertemplate[jabar]
    assert fig.data[0].marker.colorbar.ticktext  # a colour bar with formatted ticks


def test_tile_map_text_is_readable_on_dark_and_light_tiles():
    df = _province_frame()
    fig = tilemap.province_tile_map(df, "delivered_per_voter", "id")
    (tiles,) = _tiles(fig)
    values = list(tiles.marker.color)
    darkest, lightest = values.index(max(values)), values.index(min(values))
    assert tiles.textfont.color[darkest] == "#FFFFFF"  # high = dark purple
    assert tiles.textfont.color[lightest] == style.TEXT_COLOR  # low = light yellow


def test_tile_map_outlines_the_selected_province():
    fig = tilemap.province_tile_map(_province_frame(), "delivered_per_voter", selected=[32])
    (frame,) = [tr for tr in fig.data if tr.name == "selection"]
    (tiles,) = _tiles(fig)
    jabar = list(tiles.customdata).index(32)
    assert (frame.x[0], frame.y[0]) == (tiles.x[jabar], tiles.y[jabar])
    assert tiles.marker.line.width[jabar] > 0
    assert sum(1 for w in tiles.marker.line.width if w) == 1


def test_tile_layout_reads_west_to_east_as_indonesia():
    tiles = tilemap.province_tiles().set_index("province_code")
    assert not tiles.duplicated(["col", "row"]).any()
    assert len(tiles) == 38

    def cols(first_digit: int) -> pd.Series:
        return tiles.loc[tiles.index // 10 == first_digit, "col"]

    # island groups by the first digit of the code: Sumatra 1, Java 3, Bali/NT 5,
    # Kalimantan 6, Sulawesi 7, Maluku 8, Papua 9
    assert cols(1).max() < cols(6).min() < cols(7).min()
    assert cols(6).max() < cols(7).min() and cols(7).max() < cols(8).min()
    assert cols(8).max() < cols(9).min()
    assert tiles.loc[[31, 32, 33, 35], "row"].min() > tiles.loc[[61, 62, 64, 65], "row"].max()
    assert tiles.loc[11, "col"] == tiles["col"].min()  # Aceh in the far west
    assert tiles.loc[93, "row"] > tiles.loc[91, "row"]  # Papua Selatan south of Papua


def test_tile_map_marker_size_follows_the_figure_width():
    small = tilemap.province_tile_map(_province_frame(), "delivered_per_voter", width=800)
    large = tilemap.province_tile_map(_province_frame(), "delivered_per_voter", width=1600)
    assert _tiles(large)[0].marker.size > 1.8 * _tiles(small)[0].marker.size
    assert large.layout.height > small.layout.height


EMPTY_CASES = [
    ("operator_bars", lambda df: reach.operator_bars(df, "sent")),
    ("wave_trend", reach.wave_trend),
    ("daily_trend", reach.daily_trend),
    ("heatmap", lambda df: reach.operator_province_heatmap(df, "sent")),
    ("latency_chart", reach.latency_chart),
    ("error_code_bars", reach.error_code_bars),
    ("tile_map", lambda df: tilemap.province_tile_map(df, "sent")),
]


@pytest.mark.parametrize(("name", "chart"), EMPTY_CASES)
@pytest.mark.parametrize(
    "empty",
    [pd.DataFrame(), pd.DataFrame({"operator": [], "province_code": [], "wave_id": [],
                                   "sent": [], "delivered": []})],
)
def test_empty_frames_give_a_no_data_figure(name, chart, empty):
    fig = chart(empty)
    assert isinstance(fig, go.Figure)
    assert [a.text for a in fig.layout.annotations] == ["Tidak ada data"]
    assert len(fig.data) == 0


def test_a_frame_missing_columns_is_an_error_not_a_blank_chart():
    with pytest.raises(ValueError, match="delivered"):
        reach.operator_bars(pd.DataFrame({"operator": ["xl"]}), "delivered")


@pytest.mark.parametrize(("lang", "separators"), [("id", ",."), ("en", ".,"), ("en-US", ".,")])
def test_apply_style_sets_template_and_number_separators(lang, separators):
    fig = style.apply_style(go.Figure(), lang)
    assert fig.layout.separators == separators
    assert fig.layout.template.layout.font.family.startswith("DejaVu Sans")
    assert style.TEMPLATE_NAME in pio.templates


@pytest.mark.parametrize(
    ("value", "metric", "lang", "compact", "expected"),
    [
        (0.9123, "delivery_rate", "id", False, "91,2%"),
        (0.9123, "delivery_rate", "id", True, "91%"),
        # per 1,000 voters (style.PER_VOTERS), not a percentage
        (1.234, "delivered_per_voter", "id", False, "1.234"),
        (1.234, "unique_reach_per_voter", "en", False, "1,234"),
        # two significant digits counted after rounding: 0.000998 is 1,0 like Bali's 1,0
        (0.000998, "delivered_per_voter", "id", True, "1,0"),
        (0.0009995, "delivered_per_voter", "en", False, "1.0"),
        (0.00095, "delivered_per_voter", "id", True, "0,95"),
        (0.001, "delivered_per_voter", "id", True, "1,0"),
        (0.0996, "delivered_per_voter", "id", False, "100"),
        (0.0123, "delivered_per_voter", "id", False, "12"),
        # a province that got messages never reads 0: 10 for 35.714.901 voters is 2,8e-7
        (10 / 35_714_901, "delivered_per_voter", "id", False, "0,00028"),
        (1 / 205_000_000, "unique_reach_per_voter", "en", True, "0.0000049"),
        (12_345_678, "delivered", "id", False, "12.345.678"),
        (12_345_678, "delivered", "id", True, "12,3 jt"),
        (204, "latency_p90_s", "id", False, "3,4 mnt"),
        (None, "sent", "id", False, "–"),
    ],
)
def test_format_metric(value, metric, lang, compact, expected):
    assert style.format_metric(value, metric, lang, compact) == expected


@pytest.mark.parametrize(
    ("ticks", "metric", "lang", "expected"),
    [
        # per-voter ticks labelled per 1,000 voters (style.PER_VOTERS)
        ([0.0007, 0.0008, 0.0009, 0.001], "delivered_per_voter", "id",
         ["0,7", "0,8", "0,9", "1,0"]),
        ([0.0007, 0.0008, 0.0009, 0.001], "unique_reach_per_voter", "en",
         ["0.7", "0.8", "0.9", "1.0"]),
        ([0.0, 0.5, 1.0, 1.5], "delivered_per_voter", "id", ["0", "500", "1.000", "1.500"]),
        ([0.925, 0.95, 0.975, 1.0], "delivery_rate", "id", ["92,5%", "95,0%", "97,5%", "100,0%"]),
        ([0.6, 0.8, 1.0], "delivery_rate", "en", ["60%", "80%", "100%"]),
        ([0, 2_500_000, 5_000_000], "sent", "id", ["0", "2,5 jt", "5 jt"]),
    ],
)
def test_tick_labels_share_their_decimals(ticks, metric, lang, expected):
    assert style.tick_labels(ticks, metric, lang) == expected


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tile_map_colour_bar_ticks_have_the_same_decimals(lang):
    tiles = tilemap.province_tiles()
    df = pd.DataFrame({"province_code": tiles["province_code"],
                       "delivered_per_voter": np.linspace(0.00061, 0.000998, len(tiles))})
    fig = tilemap.province_tile_map(df, "delivered_per_voter", lang)
    (labels,) = [tr.marker.colorbar.ticktext for tr in fig.data if tr.name == "tiles"]
    point = "," if lang == "id" else "."
    assert all(label.startswith("0" + point) for label in labels)
    assert len({len(label) for label in labels}) == 1, labels
    (shown,) = [tr.text for tr in fig.data if tr.name == "tiles"]
    # values this small are written per 1,000 voters (0,000998 -> 1,0), as the bar's title says
    assert shown[-1].endswith(f"1{point}0")
    (bar,) = [tr.marker.colorbar for tr in fig.data if tr.name == "tiles"]
    assert bar.title.text == ("per 1.000 pemilih" if lang == "id" else "per 1,000 voters")


@pytest.mark.parametrize(
    ("background", "expected"),
    [("#440154", "#FFFFFF"), ("#FDE725", style.TEXT_COLOR), ("rgb(0, 0, 0)", "#FFFFFF"),
     ("#FFFFFF", style.TEXT_COLOR), (style.NO_DATA_COLOR, style.TEXT_COLOR)],
)
def test_text_color_on(background, expected):
    assert style.text_color_on(background) == expected


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]), (0.63, 1.68, [0.8, 1.0, 1.2, 1.4, 1.6]),
     (0, 12_345_678, [0, 2_500_000, 5_000_000, 7_500_000, 10_000_000]), (5, 5, [5])],
)
def test_nice_ticks(low, high, expected):
    assert style.nice_ticks(low, high) == pytest.approx(expected)


def test_palette_is_okabe_ito_and_operators_use_it():
    assert set(OPERATOR_COLORS.values()) <= set(style.OKABE_ITO.values())
    assert set(OPERATOR_COLORS) == set(OPERATOR_NAMES) == set(style.OPERATOR_ORDER)
    assert style.operator_color("unknown-op") == style.OTHER_OPERATOR_COLOR


def _scatter_points(top: float) -> pd.DataFrame:
    """34 provinces with turnout 74-90 % and one noken province at `top` %."""
    rng = np.random.default_rng(3)
    n = 34
    return pd.DataFrame({
        "name": [f"P{i}" for i in range(n)],
        "delivered_per_voter": rng.uniform(0.00067, 0.00103, n),
        "y": list(rng.uniform(74, 90, n - 1)) + [top],
        "noken": [False] * (n - 1) + [True],
    })


@pytest.mark.parametrize("top", [97.6, 95.0, 99.9, 101.3])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_scatter_axes_hold_every_point_below_a_labelled_tick(top, lang):
    points = _scatter_points(top)
    fig = participation.exposure_scatter(
        points, "delivered_per_voter", "y", lang,
        fit=fitted_line(points["delivered_per_voter"], points["y"]))
    y_low, y_high = fig.layout.yaxis.range
    assert y_low < points["y"].min() and y_high > top  # padding: nothing sits on the frame
    assert max(fig.layout.yaxis.tickvals) >= top  # a label above the highest point
    assert y_high == max(fig.layout.yaxis.tickvals)
    x_low, x_high = fig.layout.xaxis.range
    assert x_low < points["delivered_per_voter"].min()
    assert x_high > points["delivered_per_voter"].max()
    labels = fig.layout.xaxis.ticktext
    assert len({len(label) for label in labels}) == 1, labels  # same decimals on every tick


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(72.5, 98.3, [70, 75, 80, 85, 90, 95, 100]), (0.2, 0.8, [0.2, 0.4, 0.6, 0.8]),
     (-1.3, 2.2, [-2, -1, 0, 1, 2, 3]), (5, 5, [5])],
)
def test_enclosing_ticks(low, high, expected):
    assert style.enclosing_ticks(low, high) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("Jangkauan per operator", 38, "Jangkauan per operator"),  # short: as it is
    ("Partisipasi 2024 (%) menurut pesan diterima per pemilih", 38,
     "Partisipasi 2024 (%) menurut pesan<br>diterima per pemilih"),
    ("a b c d", 3, "a b<br>c d"),
    ("Supercalifragilistic title", 5, "Supercalifragilistic<br>title"),  # a long word whole
    ("Already<br>wrapped text that is long", 10, "Already<br>wrapped text that is long"),
    ("", 38, ""),
])
def test_wrap_title(text, width, expected):
    from dashboard.charts.style import wrap_title

    assert wrap_title(text, width) == expected


def _hoax_weekly_by_theme() -> pd.DataFrame:
    weeks = pd.to_datetime(["2023-12-25", "2024-01-01", "2024-01-08"])
    return pd.DataFrame({"week_start": list(weeks) * 2,
                         "theme": ["sara"] * 3 + ["endorsement"] * 3, "issues": [1, 0, 2, 3, 4, 1]})


def _hoax_weekly_by_platform() -> pd.DataFrame:
    return _hoax_weekly_by_theme().rename(columns={"theme": "platform"})


# Every chart whose legend stands under its plot (issue: legend rows on the two-line date
# labels of the weekly summary's hoax chart, and on a phone's platform chart).
LEGEND_BELOW_CASES = [
    ("hoax_weekly", lambda: hoax.weekly_hoax_bars(_hoax_weekly_by_theme(), "id")),
    ("hoax_platforms", lambda: hoax.platform_mix(_hoax_weekly_by_platform(), "id")),
    ("wave_trend", lambda: reach.wave_trend(pd.DataFrame({
        "wave_id": ["SMS01", "SMS02"], "sent": [10, 20], "delivered": [9, 18],
        "delivery_rate": [0.9, 0.9]}), "id")),
    ("daily_trend", lambda: reach.daily_trend(pd.DataFrame({
        "date": pd.date_range("2024-01-01", periods=5), "sent": range(5),
        "delivered": range(5)}), "id")),
    ("survey_shares", lambda: participation.survey_shares(pd.DataFrame({
        "test": ["weighted_proportion"] * 2, "group": ["recipients", "non_recipients"],
        "outcome": ["voted", "voted"], "estimate": [0.5, 0.4], "ci_low": [0.4, 0.3],
        "ci_high": [0.6, 0.5]}), "id")),
]


@pytest.mark.parametrize(("name", "make"), LEGEND_BELOW_CASES,
                         ids=[c[0] for c in LEGEND_BELOW_CASES])
def test_legends_under_a_plot_stand_at_the_foot_of_the_figure_not_on_its_axis_labels(name, make):
    legend = make().layout.legend
    # container y = 0: plotly puts it under the tick labels and the axis title, at any width;
    # a negative paper y put it a fixed fraction under the plot, on two-line date labels
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")


SCREEN_CASES = [
    # (name, figure): a two-line title in a half-width column (Kanal) was under the toolbar
    ("template margin", lambda: style.apply_style(go.Figure(go.Bar(x=[1], y=[1])).update_layout(
        title_text="Status bar: tayangan dan perangkat unik per gelombang"))),
    ("own margin and height", lambda: reach.operator_bars(pd.DataFrame({
        "operator": ["xl"], "delivered": [5]}), "delivered", "id")),
    ("tile map", lambda: tilemap.province_tile_map(pd.DataFrame({
        "province_code": [32], "delivered": [5]}), "delivered", "id")),
]


@pytest.mark.parametrize(("name", "make"), SCREEN_CASES, ids=[c[0] for c in SCREEN_CASES])
def test_screen_titles_start_below_the_toolbar_row_and_the_plot_keeps_its_room(name, make):
    fig = make()
    screen = style.screen_figure(fig)
    before = fig.layout.margin.t if fig.layout.margin.t is not None else 96
    assert screen.layout.title.pad.t >= style.MODEBAR_PX
    assert screen.layout.margin.t == before + style.MODEBAR_PX
    if fig.layout.height:  # the plot area keeps its pixels (tiles are sized in pixels)
        assert screen.layout.height - screen.layout.margin.t == fig.layout.height - before
    assert "<br>" in screen.layout.title.text or len(fig.layout.title.text) <= 38


def _weekly_trend(weeks: int) -> pd.DataFrame:
    starts = pd.date_range("2023-12-04", periods=weeks, freq="W-MON")
    return pd.DataFrame({"iso_week": [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}"
                                      for d in starts],
                         "week_start": starts, "sent": [20_000] * weeks,
                         "delivered": [17_064 if i == 1 else 25_000 for i in range(weeks)]})


@pytest.mark.parametrize(
    ("chosen_at", "anchor"),
    [(0, "left"), (1, "center"), (10, "right")],  # first, middle and last of 11 weeks
)
def test_weekly_trend_writes_the_chosen_weeks_value_above_the_bars_whole(chosen_at, anchor):
    from dashboard.reports.figures_registry import weekly_trend_chart

    trend = _weekly_trend(11)
    chosen = trend["iso_week"].iloc[chosen_at]
    fig = weekly_trend_chart(trend, chosen, "id")
    # inside a phone's 20 px bar the label was cut to "17.06": no text in the bars at all
    assert not any(tr.text for tr in fig.data if tr.type == "bar")
    (note,) = [a for a in fig.layout.annotations if a.name == "chosen_value"]
    value = format_number(trend["delivered"].iloc[chosen_at], 0, "id")
    assert note.text == f"<b>{value}</b>"
    # over the tallest bar and the sent marks, under the axis's top; inward at the ends
    assert 25_000 < note.y < fig.layout.yaxis.range[1]
    assert note.xanchor == anchor


@pytest.mark.parametrize(
    ("code", "meaning", "label"),
    [
        # cut to "027 · Pelanggan tidak aktif atau di luar…" even on a 1920 px slide
        ("027", "Pelanggan tidak aktif atau di luar jangkauan",
         "027 · Pelanggan tidak<br>aktif atau di luar<br>jangkauan"),
        ("011", "Layanan SMS tidak diaktifkan untuk pelanggan",
         "011 · Layanan SMS tidak<br>diaktifkan untuk<br>pelanggan"),
        ("040", "Memori perangkat penuh", "040 · Memori perangkat<br>penuh"),
        # no code: the meaning alone, without a stray "– ·" in front
        (None, "Gagal tanpa kode kesalahan", "Gagal tanpa kode<br>kesalahan"),
        (None, None, "–"),
        ("045", None, "045"),
    ],
)
def test_error_code_labels_are_wrapped_whole_and_a_missing_code_adds_no_prefix(
        code, meaning, label):
    fig = reach.error_code_bars(pd.DataFrame({"error_code": [code], "n": [5],
                                              "meaning": [meaning]}), "id")
    (bar,) = fig.data
    assert list(bar.y) == [label]
    assert all(len(line) <= reach.ERROR_LABEL_CHARS for line in label.split("<br>"))


WAVES_WITH_AN_UNKNOWN = pd.DataFrame({
    "wave_id": ["SMS08", "SMS11", "SMS09", "SMS10"], "sent": [300, 25, 200, 100],
    "delivered": [270, 25, 190, 80], "delivery_rate": [0.9, 1.0, 0.95, 0.8],
    "in_catalogue": [True, False, True, True]})


def test_an_unknown_wave_comes_last_apart_from_the_delivery_rate_line():
    fig = reach.wave_trend(WAVES_WITH_AN_UNKNOWN, "id")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert list(bars[0].x) == ["SMS08", "SMS09", "SMS10", "SMS11<br>(tak dikenal)"]
    # every number kept: the bars count its messages
    assert list(bars[0].y) == [300, 200, 100, 25]
    line, apart = [tr for tr in fig.data if tr.type == "scatter"]
    assert list(line.x) == ["SMS08", "SMS09", "SMS10"] and "lines" in line.mode
    assert list(apart.x) == ["SMS11<br>(tak dikenal)"] and "lines" not in apart.mode
    assert list(apart.y) == [1.0] and list(apart.marker.symbol) == ["circle-open"]


# (campaign's rates, unknown wave's rate, the axis, where its mark is drawn, its symbol,
# its label). The axis: the campaign's span with room for labels (35 % of the span, at least
# 2 points, each side; 60 % of that again on top), never below 0 or past 1 plus the room.
RATE_AXIS_CASES = [
    # the sample: ten waves at 94,5-95,1 %, SMS11 25 messages at 100 %: held at the top edge
    ([0.945, 0.947, 0.951, 0.948, 0.949, 0.949, 0.947, 0.949, 0.950, 0.949], 1.0,
     (0.925, 0.983), "top", "triangle-up-open", "100,0%"),
    ([0.945, 0.951], 0.40, (0.925, 0.983), "bottom", "triangle-down-open", "40,0%"),
    ([0.90, 0.95, 0.80], 0.93, (0.7475, 1.0315), 0.93, "circle-open", "93,0%"),  # inside
    ([0.90, 0.95, 0.80], 1.0, (0.7475, 1.0315), 1.0, "circle-open", "100,0%"),  # label room
    ([0.01, 0.02], 1.0, (0.0, 0.052), "top", "triangle-up-open", "100,0%"),  # floor at 0
]


@pytest.mark.parametrize(("lang", "label"), [("id", "SMS00<br>(tak dikenal)"),
                                             ("en", "SMS00<br>(unknown)")])
def test_an_unknown_wave_comes_last_whatever_its_id_and_is_named_apart(lang, label):
    frame = pd.DataFrame({"wave_id": ["SMS00", "SMS01", "SMS02"], "sent": 100,
                          "delivered": 90, "delivery_rate": [0.5, 0.9, 0.91],
                          "in_catalogue": [False, True, True]})
    fig = reach.wave_trend(frame, lang)
    line, apart = [tr for tr in fig.data if tr.type == "scatter"]
    assert list(line.x) == ["SMS01", "SMS02"] and list(apart.x) == [label]
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert bars and all(list(bar.x) == ["SMS01", "SMS02", label] for bar in bars)
    assert apart.name == t("chart.unknown_wave_rate", lang)


def test_without_a_campaign_wave_the_axis_is_the_unknown_waves_own():
    frame = pd.DataFrame({"wave_id": ["SMS98", "SMS99"], "sent": 100, "delivered": 90,
                          "delivery_rate": [0.5, 0.6], "in_catalogue": [False, False]})
    low, high = reach.wave_trend(frame, "id").layout.yaxis.range
    assert (low, high) == pytest.approx(reach.rate_axis_range(pd.Series([0.5, 0.6])))


@pytest.mark.parametrize(("rates", "edge"), [([0.01, 0.02], 0), ([0.5, 0.6], 1)])
def test_an_unknown_wave_exactly_at_the_axis_edge_is_drawn_as_itself(rates, edge):
    """At the edge is inside: a plain open circle, not the arrow of a value beyond it."""
    at_edge = reach.rate_axis_range(pd.Series(rates))[edge]  # 0.0 at the floor; 0.656 on top
    frame = pd.DataFrame({"wave_id": ["SMS01", "SMS02", "SMS99"], "sent": 100,
                          "delivered": 90, "delivery_rate": [*rates, at_edge],
                          "in_catalogue": [True, True, False]})
    _, apart = [tr for tr in reach.wave_trend(frame, "id").data if tr.type == "scatter"]
    assert list(apart.y) == [at_edge]
    assert list(apart.marker.symbol) == ["circle-open"]


@pytest.mark.parametrize(("rates", "unknown", "axis", "drawn", "symbol", "text"),
                         RATE_AXIS_CASES)
def test_the_rate_axis_is_the_campaigns_and_an_unknown_wave_beyond_it_sits_at_the_edge(
        rates, unknown, axis, drawn, symbol, text):
    ids = [f"SMS{i + 1:02d}" for i in range(len(rates))]
    frame = pd.DataFrame({"wave_id": [*ids, "SMS99"], "sent": 100, "delivered": 90,
                          "delivery_rate": [*rates, unknown],
                          "in_catalogue": [True] * len(rates) + [False]})
    fig = reach.wave_trend(frame, "id")
    low, high = fig.layout.yaxis.range  # the rate panel (row 1)
    assert (low, high) == pytest.approx(axis)  # the campaign's, whatever the unknown wave
    line, apart = [tr for tr in fig.data if tr.type == "scatter"]
    assert list(line.y) == pytest.approx(rates)  # the campaign's points as they are
    expected = {"top": high, "bottom": low}.get(drawn, drawn)
    assert list(apart.y) == pytest.approx([expected])
    assert list(apart.marker.symbol) == [symbol]
    assert list(apart.text) == [text]  # its own value, written
    assert apart.hovertemplate[0].endswith(f"{text}<extra></extra>")


@pytest.mark.parametrize(
    ("channel", "rows", "order"),
    [
        ("sms", [("SMS08", "2024-01-29", True), ("SMS11", "2024-02-01", False),
                 ("SMS09", "2024-02-05", True)], ["SMS08", "SMS09", "SMS11<br>(tak dikenal)"]),
        ("whatsapp_channel", [("WA01", "2023-12-01", True), (None, "2023-12-02", None),
                              ("WA02", "2023-12-10", True)], ["WA01", "WA02", "tanpa gelombang"]),
    ],
)
def test_kanal_wave_bars_put_unknown_waves_and_posts_without_one_last(channel, rows, order):
    from dashboard.charts.channels import channel_wave_bars

    frame = pd.DataFrame([{"channel": channel, "wave_id": w, "sent_date": pd.Timestamp(d),
                           "in_catalogue": k, "delivered": 10, "unique_reach": 9,
                           "views": 10} for w, d, k in rows])
    fig = channel_wave_bars(frame, channel, "id")
    assert list(fig.data[0].y) == order


@pytest.mark.parametrize("provinces_as_rows", [False, True])
@pytest.mark.parametrize(("metric", "value", "written"),
                         [("delivery_rate", 0.974, "97,4%"), ("delivered", 1234, "1.234")])
def test_a_one_cell_heatmap_writes_its_value_in_the_cell_without_a_colour_bar(
        provinces_as_rows, metric, value, written):
    cells = pd.DataFrame({"operator": ["telkomsel"], "province_code": [32], metric: [value]})
    fig = reach.operator_province_heatmap(cells, metric, "id", in_filter=[32],
                                          provinces_as_rows=provinces_as_rows)
    heat = next(tr for tr in fig.data if tr.type == "heatmap" and tr.name != "no_data")
    # the value was only on the colour bar (97,4 %) beside one big block
    assert heat.showscale is False
    assert heat.texttemplate == "%{text}"
    assert [v for row in heat.text for v in row] == [written]
    assert heat.textfont.size >= 20


@pytest.mark.parametrize(("p99", "last_tick_at_least"), [(600.0, 600.0), (14_000.0, 14_000.0),
                                                         (50_000.0, 50_000.0)])
def test_latency_axis_reaches_past_every_p99_and_writes_its_value(by_operator, p99,
                                                                 last_tick_at_least):
    frame = by_operator.assign(latency_p99_s=[min(p99, v) for v in by_operator["latency_p99_s"]])
    frame.loc[0, "latency_p99_s"] = p99
    fig = reach.latency_chart(frame, "id")
    # the markers sat past the last tick ("1 jam") with no value
    assert fig.layout.xaxis.tickvals[-1] >= last_tick_at_least
    smartfren = next(tr for tr in fig.data if tr.name == "Smartfren")
    assert smartfren.text[-1] == format_duration(p99, "id") and not any(smartfren.text[:-1])
