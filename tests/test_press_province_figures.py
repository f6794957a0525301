"""The press exports of the province tile maps (review item 6): at every preset size each
province with a value is written with its name and its value, with the source line and the
sample watermark. A square or an A4 canvas is too narrow for 18 columns of tiles at a
readable type size; there the figure is the same numbers ranked in two columns."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard.charts.reach import province_ranking
from dashboard.charts.tilemap import province_tiles, tiles_unlabelled
from dashboard.export.figures import press_figure
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.reports import figures_registry
from dashboard.store import db

TAG = re.compile(r"<[^>]+>")
# (figure, size, the form its press layout takes: None = whichever writes every name and
# value). The per-voter tiles carry theirs on a slide; the status bar's "553,5 rb" does not
# fit an Indonesian tile, "553.5K" an English one.
CASES = [("tile_map", "slide", "tiles"), ("tile_map", "social", "ranking"),
         ("tile_map", "a4", "ranking"), ("status_bar_tile_map", "slide", None),
         ("status_bar_tile_map", "social", "ranking"), ("status_bar_tile_map", "a4", "ranking")]


def written(fig: go.Figure) -> dict[int, str]:
    """province code -> the text a figure writes for it (a tile's name and value; a ranked
    bar's label and value), for every mark that writes text."""
    out: dict[int, str] = {}
    for trace in fig.data:
        codes = trace.customdata
        if codes is None or trace.text is None:
            continue
        if trace.type == "scatter" and "text" not in (trace.mode or ""):
            continue
        labels = trace.y if trace.type == "bar" else [""] * len(codes)
        for code, label, text in zip(codes, labels, trace.text, strict=True):
            out[int(code)] = TAG.sub(" ", f"{label} {text}")
    return out


def screen_tiles(fig: go.Figure) -> dict[int, tuple[str, str]]:
    """province code -> (tile label, value) as the screen's tile map writes them."""
    tiles = next(trace for trace in fig.data if trace.name == "tiles")
    return {int(code): tuple(TAG.sub("", part) for part in text.split("<br>"))
            for code, text in zip(tiles.customdata, tiles.text, strict=True)}


@pytest.fixture(scope="module")
def conn(sample_db: Path):
    with db.connect(sample_db, read_only=True) as connection:
        yield connection


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("name", "size", "form"), CASES)
def test_every_province_is_named_with_its_value_at_every_press_size(conn, name, size, form,
                                                                   lang):
    screen = screen_tiles(figures_registry.figure(conn, name, Filters(), lang))
    assert len(screen) == 38
    pressed = figures_registry.press(conn, name, Filters(), lang, size=size)
    shown = written(pressed)
    names = province_tiles().set_index("province_code")
    missing = []
    for code, (label, value) in screen.items():
        text = shown.get(code, "")
        named = label in text or names.loc[code, "name"] in text
        if not (named and re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d.,])", text)):
            missing.append((code, label, value, text))
    assert missing == [], missing
    if form is not None:
        assert any(trace.type == {"tiles": "scatter", "ranking": "bar"}[form]
                   for trace in pressed.data if trace.customdata is not None)
    # the provenance stays: the source line and the sample data's watermark
    notes = {a.name: str(a.text) for a in pressed.layout.annotations}
    assert notes.get("press_source")
    assert TAG.sub("", notes.get("press_watermark", "")) == t("prov.watermark", lang)


@pytest.mark.parametrize(("size", "unlabelled"), [("slide", False), ("social", True),
                                                  ("a4", True)])
def test_tiles_unlabelled_tells_a_tile_map_that_lost_its_names_or_values(conn, size,
                                                                        unlabelled):
    fig = figures_registry.figure(conn, "tile_map", Filters(), "id")
    assert not tiles_unlabelled(fig)
    assert tiles_unlabelled(press_figure(fig, "Peta", size=size)) is unlabelled


# (trace name, mode, texts, unlabelled?)
@pytest.mark.parametrize(("name", "mode", "texts", "unlabelled"), [
    ("tiles", "markers+text", ["<b>Aceh</b><br>0,98", "<b>Sumut</b><br>0,99"], False),
    ("tiles", "markers+text", ["<b>Aceh</b>", "<b>Sumut</b><br>0,99"], True),  # a name alone
    ("tiles", "markers+text", ["0,98", "0,99"], True),  # values alone
    ("tiles", "markers", ["<b>Aceh</b><br>0,98", "<b>Sumut</b><br>0,99"], True),  # not drawn
    ("tiles", "markers", None, True),  # what _fit_text_in_marks leaves when nothing fits
    ("tiles", "markers+text", None, True),
    ("tiles", "markers+text", [], True),
    ("ranking", "markers", None, False),  # not a tile map's coloured tiles
    ("tiles_no_data", "markers", None, False),
], ids=["both", "name-only", "value-only", "text-not-drawn", "cut", "no-text", "empty",
        "other-trace", "grey-tiles"])
def test_tiles_unlabelled(name, mode, texts, unlabelled) -> None:
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 0], mode=mode, name=name, text=texts))
    assert tiles_unlabelled(fig) is unlabelled


def _ranking(count: int, columns: int) -> go.Figure:
    import pandas as pd

    codes = province_tiles()["province_code"].head(count)
    frame = pd.DataFrame({"province_code": codes,
                          "delivered": [1000 + 10 * i for i in range(count)]})
    return province_ranking(frame, "delivered", "id", columns=columns)


# (provinces, columns asked, rows of each column drawn, row slots of every column): a column
# has room for ten rows at least (RANKED_COLUMN_ROWS_AT_LEAST), so a short list is one
# column of ten-row bars, not two bars half a canvas tall
@pytest.mark.parametrize(("count", "columns", "rows", "slots"), [
    (38, 2, [19, 19], 19), (37, 2, [19, 18], 19), (38, 3, [13, 13, 12], 13),
    (3, 2, [3], 10), (1, 2, [1], 10), (10, 2, [10], 10), (11, 2, [6, 5], 10),
    (20, 2, [10, 10], 10), (21, 2, [11, 10], 11), (21, 3, [7, 7, 7], 10),
    (31, 3, [11, 11, 9], 11), (38, 1, [38], None),
])
def test_a_ranking_in_columns_splits_the_ranks_in_order(count, columns, rows, slots):
    fig = _ranking(count, columns)
    assert [len(trace.y) for trace in fig.data] == rows
    labels = [label for trace in fig.data for label in trace.y]
    assert [int(label.split(".")[0]) for label in labels] == list(range(1, count + 1))
    if slots is not None:  # every column as many row slots: bars equally tall
        suffixes = ["", *(str(k) for k in range(2, len(rows) + 1))]
        assert {tuple(fig.layout[f"yaxis{k}"].range) for k in suffixes} == {
            (slots - 0.5, -0.5)}
        assert fig.layout.height == 22 * slots + 140
        assert {fig.layout[f"yaxis{k}"].type for k in suffixes} == {"category"}
        # one value scale in every column (bars compare across columns), room for the values
        # past the longest bar, no axis; the values at the type's size, never shrunk
        high = 1000 + 10 * (count - 1)
        assert {tuple(fig.layout[f"xaxis{k}"].range) for k in suffixes} == {(0, high * 1.3)}
        assert {fig.layout[f"xaxis{k}"].visible for k in suffixes} == {False}
        assert {trace.constraintext for trace in fig.data} == {"none"}


@pytest.mark.parametrize(("size", "columns"), [("slide", 2), ("social", 2), ("a4", 2),
                                              ("slide", 3)])
def test_press_columns_start_past_their_own_labels(size, columns):
    from dashboard.export.figures import _text_width

    fig = press_figure(_ranking(38, columns), "Peringkat", size=size)
    width = fig.layout.width - fig.layout.margin.l - fig.layout.margin.r
    axes = ["xaxis", *(f"xaxis{k}" for k in range(2, columns + 1))]
    domains = [fig.layout[axis].domain for axis in axes]
    tick = fig.layout.yaxis.tickfont.size
    assert tick >= 12
    for k in range(1, columns):
        labels = fig.data[k].y
        widest = max(_text_width(label, tick) for label in labels)
        gap = (domains[k][0] - domains[k - 1][1]) * width
        assert gap >= widest, (k, gap, widest)
    # the columns share the rest equally and stay inside the plot
    spans = {round((d[1] - d[0]) * width, 3) for d in domains}
    assert len(spans) == 1 and spans.pop() > 4 * tick
    assert domains[0][0] == 0 and domains[-1][1] <= 1


def test_press_keeps_a_chart_s_own_columns_when_no_bars_would_fit_beside_the_labels():
    # three columns of full province names on a square: bars of under 4 em; the chart's own
    # domains stay (never a column squeezed to nothing or past the canvas)
    fig = _ranking(38, 3)
    before = [fig.layout[axis].domain for axis in ("xaxis", "xaxis2", "xaxis3")]
    pressed = press_figure(fig, "Peringkat", size="social")
    assert [pressed.layout[axis].domain for axis in ("xaxis", "xaxis2", "xaxis3")] == before


def test_press_leaves_stacked_subplots_alone():
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True)
    fig.add_trace(go.Bar(x=["a", "b"], y=[1, 2]), row=1, col=1)
    fig.add_trace(go.Bar(x=["a", "b"], y=[3, 4]), row=2, col=1)
    before = [fig.layout.xaxis.domain, fig.layout.xaxis2.domain]
    pressed = press_figure(fig, "Judul", size="social")
    assert [pressed.layout.xaxis.domain, pressed.layout.xaxis2.domain] == before


# (column 1's labels, column 2's labels, column 2 writes its labels, its tick suffix, the
# screen's spacing): the gap before column 2 is its own widest label (and suffix) plus
# 1.2 em at the press's tick size, or a body-size gap when it writes none
@pytest.mark.parametrize(("left", "right", "shown", "suffix", "spacing"), [
    (["1. Kepulauan Bangka Belitung"], ["2. Bali"], True, "", 0.3),
    (["1. Bali"], ["2. Kepulauan Bangka Belitung", "3. NTB"], True, " ", 0.3),
    (["1. Bali"], ["2. Kepulauan Bangka Belitung"], False, "", 0.3),
    (["1. Bali"], ["2. Aceh"], True, "", 0.0),  # touching on the screen: still side by side
], ids=["own-labels-narrow", "own-labels-wide", "no-labels", "touching"])
def test_a_column_s_gap_is_as_wide_as_its_own_labels(left, right, shown, suffix, spacing):
    from plotly.subplots import make_subplots

    from dashboard.export.figures import _text_width

    fig = make_subplots(rows=1, cols=2, horizontal_spacing=spacing)
    fig.add_trace(go.Bar(x=[1.0] * len(left), y=left, orientation="h"), row=1, col=1)
    fig.add_trace(go.Bar(x=[1.0] * len(right), y=right, orientation="h"), row=1, col=2)
    fig.update_yaxes(showticklabels=shown, ticksuffix=suffix, row=1, col=2)
    out = press_figure(fig, "Judul", size="slide")
    plot_w = out.layout.width - out.layout.margin.l - out.layout.margin.r
    tick, body = out.layout.yaxis.tickfont.size, out.layout.font.size
    expected = (max(_text_width(label, tick) for label in right) + _text_width(suffix, tick)
                + tick * 1.2) if shown else body
    gap = (out.layout.xaxis2.domain[0] - out.layout.xaxis.domain[1]) * plot_w
    assert gap == pytest.approx(expected, rel=1e-6)
    first, second = out.layout.xaxis.domain, out.layout.xaxis2.domain
    assert first[0] == 0 and second[1] == pytest.approx(1)
    assert (first[1] - first[0]) == pytest.approx(second[1] - second[0])


# (size, a ranked form given, the form laid out): the pages' press exports and the CLI
@pytest.mark.parametrize(("size", "with_ranked", "form"), [
    ("slide", True, "scatter"), ("social", True, "bar"), ("a4", True, "bar"),
    ("social", False, "scatter"),  # nothing to fall back on: the tile map as it is
])
def test_press_readable_lays_out_the_ranking_where_the_tiles_are_unlabelled(
        conn, size, with_ranked, form):
    from dashboard.charts.tilemap import press_readable

    fig = figures_registry.figure(conn, "tile_map", Filters(), "en")
    ranked = figures_registry.tile_ranking_figure(conn, Filters(), "en")
    calls = []

    def lay_out(chart: go.Figure) -> go.Figure:
        calls.append(chart)
        return press_figure(chart, str(chart.layout.title.text), size=size)

    pressed = press_readable(fig, lay_out, (lambda: ranked) if with_ranked else None)
    assert {trace.type for trace in pressed.data if trace.customdata is not None} == {form}
    assert calls[0] is fig and len(calls) == (2 if form == "bar" else 1)


# --- what the ranked press form leaves out, said in the figure itself ----------------------
LEFT_OUT_WORDS = ("Tanpa data", "No data", "Di luar filter", "Outside the filter")


def annotations_read(fig: go.Figure) -> str:
    """Every annotation's text as a reader reads it: tags and line breaks as spaces."""
    return " ".join(" ".join(TAG.sub(" ", str(a.text or "")).split())
                    for a in fig.layout.annotations)


# (figure, size, province filter, the note in id, in en; None: all 38 provinces listed)
PRESS_NOTE_CASES = [
    ("tile_map", "social", (), None, None),
    ("tile_map", "a4", (), None, None),
    ("status_bar_tile_map", "social", (), None, None),
    ("status_bar_tile_map", "a4", (), None, None),
    ("tile_map", "social", (32, 33), "Di luar filter: 36 provinsi.",
     "Outside the filter: 36 provinces."),
    ("tile_map", "a4", (11,), "Di luar filter: 37 provinsi.",
     "Outside the filter: 37 provinces."),
    ("status_bar_tile_map", "social", (31, 32, 33), "Di luar filter: 35 provinsi.",
     "Outside the filter: 35 provinces."),
    ("status_bar_tile_map", "a4", (32,), "Di luar filter: 37 provinsi.",
     "Outside the filter: 37 provinces."),
]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("name", "size", "provinces", "note_id", "note_en"),
                         PRESS_NOTE_CASES)
def test_the_ranked_press_figure_says_what_it_leaves_out(conn, name, size, provinces,
                                                         note_id, note_en, lang):
    """A press figure travels without the page's caption (charts.reach.ranking_note): the
    exported list names what it leaves out itself, and says nothing when it lists all 38."""
    pressed = figures_registry.press(conn, name, Filters(provinces=provinces), lang,
                                     size=size)
    assert any(trace.type == "bar" for trace in pressed.data)  # the ranked form
    read = annotations_read(pressed)
    note = {"id": note_id, "en": note_en}[lang]
    if note is None:
        assert not [word for word in LEFT_OUT_WORDS if word in read], read
    else:
        assert note in read, read


MISSING = (93, 96)  # Papua Selatan, Papua Barat Daya: no rows


# (size, provinces in the filter, lang, the note)
@pytest.mark.parametrize(("size", "in_filter", "lang", "note"), [
    ("social", None, "id", "Tanpa data: Papua Selatan, Papua Barat Daya."),
    ("a4", None, "en", "No data: Papua Selatan, Papua Barat Daya."),
    ("slide", None, "id", "Tanpa data: Papua Selatan, Papua Barat Daya."),
    ("social", (93, 94, 95), "en", "No data: Papua Selatan. Outside the filter: 35 provinces."),
    ("a4", (93, 94, 95), "id", "Tanpa data: Papua Selatan. Di luar filter: 35 provinsi."),
])
def test_the_ranked_press_figure_names_the_provinces_without_data(size, in_filter, lang,
                                                                  note):
    import pandas as pd

    codes = [c for c in province_tiles()["province_code"] if c not in MISSING]
    frame = pd.DataFrame({"province_code": codes,
                          "delivered": [1000 + 10 * i for i in range(len(codes))]})
    ranked = province_ranking(frame, "delivered", lang, in_filter=in_filter, columns=2)
    assert note in annotations_read(press_figure(ranked, "Peringkat", size=size))
    # the one-column list of a phone leaves the note to the page's caption
    assert annotations_read(province_ranking(frame, "delivered", lang,
                                             in_filter=in_filter)) == ""


# (figure, lang, the channel its ranked title names; None: the SMS, named by its metric)
@pytest.mark.parametrize(("name", "lang", "channel"), [
    ("status_bar_tile_map", "id", "Status bar"), ("status_bar_tile_map", "en", "Status bar"),
    ("tile_map", "id", None), ("tile_map", "en", None),
])
def test_the_ranked_press_title_names_the_channel_as_its_map_does(conn, name, lang, channel):
    pressed = figures_registry.press(conn, name, Filters(), lang, size="social")
    assert any(trace.type == "bar" for trace in pressed.data)  # the ranked form
    title = next(" ".join(TAG.sub(" ", str(a.text)).split())
                 for a in pressed.layout.annotations if a.name == "press_title")
    if channel is None:
        assert "Status bar" not in title
    else:
        assert title.startswith(f"{channel}:")
        # the status-bar tile map's own title, word for word
        assert title == figures_registry.chart_title(
            figures_registry.figure(conn, name, Filters(), lang))


def _bars(x, text, *, orientation="h", position="outside", size=20, axis=None,
          value_range=(0, 1.3)) -> go.Figure:
    fig = go.Figure(go.Bar(x=x, y=[f"{k}. P" for k in range(len(x))], text=text,
                           orientation=orientation, textposition=position,
                           textfont_size=size, xaxis=axis))
    return fig.update_layout({"xaxis": {"range": value_range}, "xaxis2": {"range": value_range}})


def _with_first(first: go.Figure, then: go.Figure) -> go.Figure:
    """`then`'s bars after `first`'s, on `then`'s layout."""
    return go.Figure([*first.data, *then.data], layout=then.layout)


# (figure, its column's x axis, column width px, how far its values reach past the column's
# right edge; "end": computed from its last trace): a value starts 3 px past its bar's end on
# the axis's range, at its own type size
@pytest.mark.parametrize(("fig", "axis", "width", "past"), [
    (_bars([1.0], ["553,5 rb"]), "xaxis", 100, "end"),  # the longest bar's value
    (_bars([1.0, 0.5], ["1", "553,5 rb"]), "xaxis", 100, "end"),  # a shorter bar's value
    (_bars([1.0], ["553,5 rb"], size=None), "xaxis", 100, "end"),  # the tick size
    (_bars([1.0], ["553,5 rb"], axis="x"), "xaxis", 100, "end"),  # named as the default
    (_bars([1.0], ["553,5 rb"], axis="x2"), "xaxis2", 100, "end"),  # the second column
    (_bars([1.0, 0.5], ["553,5 rb"]), "xaxis", 100, "end"),  # fewer values than bars
    (_with_first(_bars([1.0], ["553,5 rb"], axis="x2"), _bars([1.0], ["553,5 rb"])),
     "xaxis", 100, "end"),  # past another column's bars
    (_with_first(_bars([1.0], ["553,5 rb"], orientation="v"), _bars([1.0], ["553,5 rb"])),
     "xaxis", 100, "end"),  # past a vertical bar
    (_with_first(_bars([1.0], ["553,5 rb"], position="inside"), _bars([1.0], ["553,5 rb"])),
     "xaxis", 100, "end"),  # past values written inside their bars
    (_bars([1.0], ["<b>1</b>"]), "xaxis", 400, 0.0),  # inside the room the range leaves
    (_bars([1.0], ["553,5 rb"], position="inside"), "xaxis", 100, 0.0),
    (_bars([1.0], ["553,5 rb"], orientation="v"), "xaxis", 100, 0.0),
    (_bars([1.0], None), "xaxis", 100, 0.0),
    (_bars([1.0], ["553,5 rb"], axis="x2"), "xaxis", 100, 0.0),  # another column's bars
    (_bars([1.0], ["553,5 rb"]), "xaxis2", 100, 0.0),
    (_bars([1.0], ["553,5 rb"], value_range=None), "xaxis", 100, 0.0),  # no fixed range
    (_bars([1.0], ["553,5 rb"], value_range=(1, 1)), "xaxis", 100, 0.0),
    (_bars([1.5], ["553,5 rb"], value_range=(0.5, 1.5)), "xaxis", 100, "end"),  # from low
], ids=["top", "short-bar-long-value", "tick-size", "named-x", "second-column",
        "fewer-values", "after-another-column", "after-a-vertical-bar", "after-inside", "fits",
        "inside", "vertical", "no-text", "other-axis", "not-this-column", "no-range", "empty-range",
        "offset-range"])
def test_how_far_a_column_s_values_reach_past_its_edge(fig, axis, width, past):
    from dashboard.export.figures import _text_width, _values_past_edge

    got = _values_past_edge(fig, axis, width, 16)
    if past == "end":
        trace = fig.data[-1]
        low, high = fig.layout[axis].range
        size = trace.textfont.size or 16
        past = max((v - low) / (high - low) * width + 3 + _text_width(text, size) - width
                   for v, text in zip(trace.x, trace.text, strict=False))
        assert past > 0
    assert got == pytest.approx(past)


@pytest.mark.parametrize("size", ["social", "a4"])
def test_a_column_s_values_stop_short_of_the_next_column_s_names(size, monkeypatch):
    """Two provinces in two columns: the first one's value and the second one's name are
    apart by the gap's 1.2 em at least (they ran together: '553,5 rb2. Jawa Tengah'). Two
    provinces are one column in the product (RANKED_COLUMN_ROWS_AT_LEAST); the layout under
    test here is the columns', so the rule is set to let them be two."""
    from dashboard.charts import reach
    from dashboard.export.figures import _text_width

    monkeypatch.setattr(reach, "RANKED_COLUMN_ROWS_AT_LEAST", 1)
    frame = __import__("pandas").DataFrame({"province_code": [32, 33],
                                            "impressions": [553_500.0, 435_100.0]})
    out = press_figure(province_ranking(frame, "impressions", "id", columns=2), "Judul",
                       size=size)
    plot_w = out.layout.width - out.layout.margin.l - out.layout.margin.r
    first, second = out.layout.xaxis.domain, out.layout.xaxis2.domain
    tick, value = out.layout.yaxis.tickfont.size, out.data[0]
    value_end = (first[0] + (first[1] - first[0]) * value.x[0] / out.layout.xaxis.range[1]
                 ) * plot_w + 3 + _text_width(value.text[0], value.textfont.size)
    name_start = second[0] * plot_w - _text_width(out.data[1].y[0] + " ", tick)
    assert name_start - value_end >= 0.3 * tick, (value_end, name_start)


# (metric, lang, columns, the ranked list's title: the status-bar tile map's own)
@pytest.mark.parametrize(("metric", "lang", "columns", "title"), [
    ("impressions", "id", 2, "Status bar: tayangan per provinsi"),
    ("impressions", "en", 2, "Status bar: impressions by province"),
    ("unique_devices", "id", 1, "Status bar: perangkat unik per provinsi"),
    ("click_rate", "en", 1, "Status bar: click rate by province"),
])
def test_the_status_bar_ranking_is_titled_as_its_map(metric, lang, columns, title):
    import pandas as pd

    from dashboard.charts.channels import status_bar_ranking, status_bar_tile_map

    frame = pd.DataFrame({"province_code": [32, 33, 35], metric: [0.3, 0.2, 0.1]})
    ranked = status_bar_ranking(frame, metric, lang, in_filter=[32, 33, 35, 11],
                                selected=[33], columns=columns)
    assert ranked.layout.title.text == title
    assert status_bar_tile_map(frame, metric, lang).layout.title.text == title
    # the options reach the list: the filter (a note in the press form), the selection
    assert [len(trace.y) for trace in ranked.data] == [3]  # ten or fewer: one column
    outlined = [code for trace in ranked.data
                for code, width in zip(trace.customdata, trace.marker.line.width, strict=True)
                if width]
    assert outlined == [33]
    assert ("Outside the filter" in annotations_read(ranked)
            or "Di luar filter" in annotations_read(ranked)) is (columns == 2)
