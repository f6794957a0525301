"""Press figures: layout at each preset, and PNG/SVG/PDF/HTML rendered headless."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard import clock
from dashboard.export import figures
from dashboard.export.figures import (
    FONT_FAMILY,
    INSTALL_COMMAND,
    PNG_SCALE,
    SIZES,
    ChromiumMissing,
    chromium_available,
    export_figures,
    figure_html_bytes,
    find_chromium,
    press_figure,
    render_figures,
)

requires_chromium = pytest.mark.skipif(
    not chromium_available(), reason=f"no Chromium for Kaleido; CI runs `{INSTALL_COMMAND}`"
)

OPERATORS = ["Telkomsel", "Indosat", "XL Axiata", "Smartfren"]
LONG_TITLE = (
    "Pesan terkirim per operator selama gelombang SMS01 sampai SMS10 kampanye Pemilu Damai "
    "2024 di 38 provinsi"
)
LONG_SOURCE = (
    "Sumber: laporan pengiriman Telkomsel, Indosat Ooredoo Hutchison, XL Axiata dan "
    "Smartfren; DPT 2024 dari KPU; diolah tim Pemilu Damai 2024"
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def bar_chart() -> go.Figure:
    fig = go.Figure(go.Bar(x=OPERATORS, y=[152_345_678, 98_765_432, 57_123_456, 21_987_654]))
    fig.update_layout(title="judul layar", xaxis_title="Operator", yaxis_title="Pesan terkirim")
    return fig


def grouped_chart() -> go.Figure:
    return go.Figure(
        [go.Bar(x=["SMS01", "SMS02"], y=[0.95 - k / 10, 0.9 - k / 10], name=op)
         for k, op in enumerate(OPERATORS)]
    )


def logo_file(tmp_path: Path) -> Path:
    # a 30 x 10 PNG; only the header matters to the layout, the browser draws the rest
    from PIL import Image

    path = tmp_path / "logo.png"
    Image.new("RGB", (30, 10), (200, 30, 30)).save(path)
    return path


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always follows the signature."""
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def annotation(fig: go.Figure, name: str):
    matches = [a for a in fig.layout.annotations if a.name == name]
    assert len(matches) == 1, name
    return matches[0]


# --- layout (no browser) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"), [("slide", (1920, 1080)), ("social", (1080, 1080)), ("a4", (794, 1123))]
)
def test_presets(size: str, expected: tuple[int, int]) -> None:
    assert SIZES[size] == expected
    fig = press_figure(bar_chart(), "Judul", size=size)  # type: ignore[arg-type]
    assert (fig.layout.width, fig.layout.height) == expected


def test_press_figure_returns_a_copy() -> None:
    original = bar_chart()
    before = original.to_json()
    press_figure(original, "Judul", subtitle="Sub", date_text="14 Feb 2024")
    assert original.to_json() == before


def test_press_figure_carries_title_subtitle_source_and_date() -> None:
    fig = press_figure(bar_chart(), "Jangkauan per operator", subtitle="SMS01-SMS10",
                       source="Sumber: uji", date_text="14 Feb 2024")
    assert "Jangkauan per operator" in annotation(fig, "press_title").text
    assert annotation(fig, "press_subtitle").text == "SMS01-SMS10"
    assert annotation(fig, "press_source").text == "Sumber: uji"
    assert annotation(fig, "press_date").text == "14 Feb 2024"
    assert not fig.layout.title.text  # the screen title gives way to the press title
    assert fig.layout.font.family == FONT_FAMILY


@pytest.mark.parametrize(("date_text", "shown"), [("", False), ("1 Mar 2024", True)])
def test_date_can_be_left_out(date_text: str, shown: bool) -> None:
    fig = press_figure(bar_chart(), "Judul", date_text=date_text)
    assert any(a.name == "press_date" for a in fig.layout.annotations) is shown


def test_date_defaults_to_today_in_indonesian(monkeypatch) -> None:
    import datetime as dt

    # 00:00 WIB on 17 August is still the 16th in UTC: the date is the WIB day
    monkeypatch.setattr(clock, "now_utc", lambda: dt.datetime(2024, 8, 16, 17, 0, tzinfo=dt.UTC))
    assert annotation(press_figure(bar_chart(), "Judul"), "press_date").text == "17 Agu 2024"


@pytest.mark.parametrize(("lang", "expected"), [("id", "17 Agu 2024"), ("en", "17 Aug 2024")])
def test_the_date_is_in_the_figure_language(monkeypatch, lang: str, expected: str) -> None:
    import datetime as dt

    monkeypatch.setattr(clock, "now_utc", lambda: dt.datetime(2024, 8, 17, 3, 0, tzinfo=dt.UTC))
    fig = press_figure(bar_chart(), "Judul", lang=lang)
    assert annotation(fig, "press_date").text == expected


def test_logo_is_embedded_as_a_data_uri(tmp_path: Path) -> None:
    fig = press_figure(bar_chart(), "Judul", logo_path=logo_file(tmp_path))
    logos = [image for image in fig.layout.images if image.name == "press_logo"]
    assert len(logos) == 1
    assert logos[0].source.startswith("data:image/png;base64,iVBORw0KGgo")
    assert (logos[0].xanchor, logos[0].yanchor) == ("right", "top")


def test_logo_of_unknown_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "logo.bmp"
    path.write_bytes(b"BM")
    with pytest.raises(ValueError, match="logo"):
        press_figure(bar_chart(), "Judul", logo_path=path)


@pytest.mark.parametrize("size", list(SIZES))
def test_long_title_is_wrapped_to_the_canvas(size: str) -> None:
    fig = press_figure(bar_chart(), LONG_TITLE, source=LONG_SOURCE, size=size)  # type: ignore[arg-type]
    width = SIZES[size][0]
    title = annotation(fig, "press_title").text.removeprefix("<b>").removesuffix("</b>")
    lines = title.split("<br>")
    assert len(lines) >= 2
    assert " ".join(lines) == LONG_TITLE
    bold_font = fig.layout.annotations[0].font.size
    for line in lines:
        assert figures._text_width(line, bold_font, bold=True) <= width


@pytest.mark.parametrize(
    ("subtitle", "shrunk"), [(None, False), ("Sub", False), (LONG_TITLE * 2, True)]
)
def test_a_long_header_gets_smaller_type_not_a_smaller_chart(subtitle, shrunk: bool) -> None:
    fig = press_figure(grouped_chart(), LONG_TITLE, subtitle=subtitle, size="social")
    assert (annotation(fig, "press_title").font.size < 46) is shrunk
    plot_height = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_height >= 0.4 * fig.layout.height


def test_a_header_that_cannot_fit_is_refused() -> None:
    with pytest.raises(ValueError, match="too little room"):
        press_figure(bar_chart(), LONG_TITLE * 12, subtitle=LONG_TITLE * 12, size="a4")


@pytest.mark.parametrize("size", list(SIZES))
def test_fonts_and_margins_follow_the_preset(size: str) -> None:
    fig = press_figure(bar_chart(), "Judul", size=size)  # type: ignore[arg-type]
    width, height = SIZES[size]
    unit = min(width, height) / 1080
    # no text below 12 px where the preset is seen: a social card is seen at 540 px
    smallest = {"slide": 12, "social": 24, "a4": 12}[size]
    assert figures.min_font_px(size) == smallest
    assert fig.layout.font.size == max(round(22 * unit), smallest)
    assert annotation(fig, "press_title").font.size == round(46 * unit)
    assert annotation(fig, "press_source").font.size == max(round(18 * unit), smallest)
    margin = fig.layout.margin
    assert margin.l + margin.r < width / 2 and margin.t + margin.b < height * 0.6
    assert fig.layout.xaxis.tickfont.size == max(round(20 * unit), smallest)


@pytest.mark.parametrize(("fig", "rows"), [(bar_chart(), 0), (grouped_chart(), 1)])
def test_legend_sits_in_its_own_band(fig: go.Figure, rows: int) -> None:
    pressed = press_figure(fig, "Judul", subtitle="Sub")
    if rows:
        assert pressed.layout.legend.orientation == "h"
        assert pressed.layout.legend.yref == "container"
        legend_top_px = (1 - pressed.layout.legend.y) * pressed.layout.height
        assert legend_top_px < pressed.layout.margin.t
    else:
        assert pressed.layout.legend.orientation is None


def test_html_is_self_contained() -> None:
    html = figure_html_bytes(press_figure(bar_chart(), "Judul HTML")).decode()
    assert html.startswith("<!doctype html>")
    assert "Judul HTML" in html
    assert len(html) > 1_000_000  # plotly.js is inlined
    assert not re.search(r"<script[^>]+src=\"https?://", html)


# --- the browser -----------------------------------------------------------------------


def test_browser_path_override_is_honoured(monkeypatch, tmp_path: Path) -> None:
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert find_chromium() == str(fake)
    assert chromium_available()


def test_missing_browser_is_a_clear_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    assert not chromium_available()
    with pytest.raises(ChromiumMissing, match=re.escape(INSTALL_COMMAND)):
        render_figures([(bar_chart(), "png")])
    # HTML needs no browser, in a batch or alone
    [html] = export_figures([(bar_chart(), tmp_path / "f.html", "html")])
    assert html.read_bytes().startswith(b"<!doctype html>")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="png, svg, pdf or html"):
        render_figures([(bar_chart(), "eps")])


@requires_chromium
@pytest.mark.parametrize("size", list(SIZES))
def test_png_size_per_preset(tmp_path: Path, size: str) -> None:
    fig = press_figure(grouped_chart(), LONG_TITLE, subtitle="Sub", size=size)  # type: ignore[arg-type]
    [path] = export_figures([(fig, tmp_path / f"{size}.png", "png")])
    width, height = SIZES[size]
    assert png_size(path.read_bytes()) == (width * PNG_SCALE, height * PNG_SCALE)


@requires_chromium
@pytest.mark.parametrize("size", list(SIZES))
def test_nothing_touches_the_edge(tmp_path: Path, size: str) -> None:
    """Long title, long source, legend and logo: the outer band of the image stays blank."""
    from PIL import Image

    fig = press_figure(grouped_chart(), LONG_TITLE, subtitle=LONG_TITLE, source=LONG_SOURCE,
                       date_text="14 Feb 2024", logo_path=logo_file(tmp_path), size=size)  # type: ignore[arg-type]
    [data] = render_figures([(fig, "png")], scale=1)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    width, height = image.size
    band = 20
    strips = [(0, 0, width, band), (0, height - band, width, height),
              (0, 0, band, height), (width - band, 0, width, height)]
    for box in strips:
        assert image.crop(box).getcolors() == [(
            (box[2] - box[0]) * (box[3] - box[1]), (255, 255, 255))], box


@requires_chromium
def test_svg_parses(tmp_path: Path) -> None:
    fig = press_figure(bar_chart(), "Judul SVG", size="social")
    [path] = export_figures([(fig, tmp_path / "f.svg", "svg")])
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("1080", "1080")
    assert "Judul SVG" in "".join(root.itertext())


def pdf_page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@requires_chromium
@pytest.mark.parametrize(("size", "points"), [("a4", (595.3, 841.9)), ("slide", (1440, 810))])
def test_pdf_is_one_page_of_the_preset_size(tmp_path: Path, size: str, points) -> None:
    fig = press_figure(bar_chart(), "Jangkauan SMS per operator", size=size)  # type: ignore[arg-type]
    [path] = export_figures([(fig, tmp_path / "f.pdf", "pdf")])
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_page_count(data) == 1
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
        found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert found
        assert float(found[1]) == pytest.approx(points[0], abs=2)
        assert float(found[2]) == pytest.approx(points[1], abs=2)


@requires_chromium
def test_pdf_text_contains_the_title(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed; PDF text not checked")
    fig = press_figure(bar_chart(), "Jangkauan SMS per operator", size="a4")
    [path] = export_figures([(fig, tmp_path / "f.pdf", "pdf")])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Jangkauan SMS per operator" in text


@requires_chromium
def test_a_batch_uses_one_browser_session(tmp_path: Path, monkeypatch) -> None:
    import kaleido

    sessions = []

    class CountingKaleido(kaleido.Kaleido):
        def __init__(self, *args, **kwargs):
            sessions.append(kwargs.get("path"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(kaleido, "Kaleido", CountingKaleido)
    fig = press_figure(bar_chart(), "Judul", size="social")
    items = [(fig, tmp_path / f"f{i}.{fmt}", fmt)
             for i, fmt in enumerate(["png", "svg", "pdf", "html", "png"])]
    written = export_figures(items)
    assert sessions == [find_chromium()]
    magic = {"png": PNG_MAGIC, "svg": b"<svg", "pdf": b"%PDF", "html": b"<!doctype html>"}
    for path, (_, _, fmt) in zip(written, items, strict=True):
        assert path.read_bytes().startswith(magic[fmt]), path


# (size, watermark): sample data's mark is drawn inside the plot area, where a crop that keeps
# the chart keeps it too (review item 2); real data (no watermark) gets none
WATERMARK_CASES = [
    ("slide", "DATA CONTOH / SAMPLE DATA"),
    ("social", "SAMPLE DATA / DATA CONTOH"),
    ("a4", "DATA CONTOH / SAMPLE DATA"),
    ("slide", ""),
]


@pytest.mark.parametrize(("size", "watermark"), WATERMARK_CASES)
def test_sample_data_is_marked_inside_the_plot_area(size, watermark):
    press = press_figure(bar_chart(), "Judul", source="Sumber: x", size=size, date_text="",
                         watermark=watermark)
    marks = [a for a in press.layout.annotations if a.name == "press_watermark"]
    if not watermark:
        assert marks == []
        return
    (mark,) = marks
    assert watermark in mark.text
    assert (mark.xref, mark.yref, mark.x, mark.y) == ("paper", "paper", 0.5, 0.5)  # the plot
    assert mark.textangle and mark.font.size >= figures.min_font_px(size)
    width, height = figures.SIZES[size]
    plot_w = width - press.layout.margin.l - press.layout.margin.r
    slant = abs(figures.math.cos(figures.math.radians(mark.textangle)))
    assert figures._text_width(watermark, mark.font.size, bold=True) * slant <= plot_w  # fits
