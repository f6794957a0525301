"""`python -m dashboard brief` and `python -m dashboard figure`: files that open, the
preset's pixel size, and a one-line reason with the install command without Chromium."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest

from dashboard import cli, config
from dashboard.export.figures import INSTALL_COMMAND, PNG_SCALE, SIZES, chromium_available
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import figures_registry
from dashboard.store import db
from tests.test_weekly import build_db

requires_chromium = pytest.mark.skipif(
    not chromium_available(), reason=f"no Chromium; CI runs `{INSTALL_COMMAND}`")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = build_db(tmp_path_factory.mktemp("cli_brief") / "cli.duckdb")
    with db.connect(path) as conn:  # the Kanal figures draw the other channels' samples
        for name in sorted(config.SAMPLE_DIR.glob("*")):
            if name.name.startswith(("status_bar_", "wa_")):
                assert ingest_file(conn, name).ok, name
        # experiment_effect draws the sample's simulated experiment (issue 18)
        from dashboard.sample.experiment import freeze_sample_plan

        freeze_sample_plan(conn)
        for name in ("election_results_regency_synthetic.csv",
                     "receipts_zz_experiment_regency_sms08-09.csv.gz"):
            assert ingest_file(conn, config.SAMPLE_DIR / name).ok, name
    return path


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@requires_chromium
@pytest.mark.parametrize(("fmt", "suffix", "magic"), [
    ("pdf", "pdf", b"%PDF"),
    ("html", "html", b"<!DOCTYPE html>"),
    (None, "html", b"<!DOCTYPE html>"),  # the format follows the suffix
])
def test_brief_command_writes_the_file(sample_db, tmp_path, capsys, fmt, suffix, magic):
    out = tmp_path / f"brief.{suffix}"
    argv = ["brief", "--db", str(sample_db), "--week", "2024-W07", "--out", str(out)]
    argv += ["--format", fmt] if fmt else []
    assert cli.main(argv) == 0
    assert out.read_bytes().startswith(magic)
    assert "2024-W07" in capsys.readouterr().out


def test_brief_command_defaults_to_the_latest_week(sample_db, tmp_path, capsys):
    out = tmp_path / "brief.html"
    assert cli.main(["brief", "--db", str(sample_db), "--out", str(out), "--lang", "en"]) == 0
    assert "2024-W07" in capsys.readouterr().out
    assert b"Weekly Summary" in out.read_bytes()


@pytest.mark.parametrize(("argv", "message"), [
    (["--week", "2024-W54"], "2024 has no ISO week 54"),
    (["--week", "last week"], "not an ISO week"),
])
def test_brief_command_refuses_a_bad_week_in_one_line(sample_db, tmp_path, capsys, argv,
                                                      message):
    code = cli.main(["brief", "--db", str(sample_db), "--out", str(tmp_path / "b.html"),
                     *argv, "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1 and message in err and err.count("\n") == 1


@requires_chromium
@pytest.mark.parametrize("size", ["slide", "social", "a4"])
def test_figure_png_has_the_presets_pixel_size(sample_db, tmp_path, size):
    out = tmp_path / f"operators_{size}.png"
    assert cli.main(["figure", "operator_delivered", "--db", str(sample_db), "--format", "png",
                     "--size", size, "--out", str(out)]) == 0
    width, height = SIZES[size]
    assert png_size(out.read_bytes()) == (width * PNG_SCALE, height * PNG_SCALE)


@requires_chromium
@pytest.mark.parametrize(("name", "size"), [("tile_map", "social"), ("hoax_weekly", "slide"),
                                            ("weekly_trend", "a4")])
def test_figure_svg_parses_at_the_presets_size(sample_db, tmp_path, name, size):
    out = tmp_path / f"{name}.svg"
    assert cli.main(["figure", name, "--db", str(sample_db), "--format", "svg", "--size", size,
                     "--out", str(out), "--from", "2024-01-01", "--to", "2024-02-18"]) == 0
    root = ET.fromstring(out.read_bytes())
    assert root.tag.endswith("svg")
    assert (float(root.get("width")), float(root.get("height"))) == SIZES[size]
    assert "Sumber" in out.read_text(encoding="utf-8")


@requires_chromium
def test_figure_pdf_is_a_pdf(sample_db, tmp_path):
    out = tmp_path / "latency.pdf"
    assert cli.main(["figure", "latency", "--db", str(sample_db), "--format", "pdf",
                     "--size", "a4", "--out", str(out), "--lang", "en"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("argv", [
    ["brief", "--week", "2024-W07", "--format", "pdf"],
    ["figure", "wave_trend", "--format", "png"],
    ["figure", "wave_trend", "--format", "svg", "--size", "a4"],
    ["figure", "tile_map", "--format", "pdf"],
])
def test_without_chromium_the_error_names_the_install_command(sample_db, tmp_path, capsys,
                                                               monkeypatch, argv):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing-chromium"))
    out = tmp_path / "out.bin"
    code = cli.main([*argv, "--db", str(sample_db), "--out", str(out)])
    err = capsys.readouterr().err
    assert code != 0
    assert INSTALL_COMMAND in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("argv", [
    ["brief", "--week", "2024-W07", "--format", "html"],
    ["figure", "wave_trend", "--format", "html"],
    ["export", "reach_operator", "--format", "csv"],
    ["export", "reach_operator", "--format", "xlsx"],
])
def test_without_chromium_html_csv_and_xlsx_still_work(sample_db, tmp_path, monkeypatch, argv):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing-chromium"))
    out = tmp_path / "out.file"
    assert cli.main([*argv, "--db", str(sample_db), "--out", str(out)]) == 0
    assert out.stat().st_size > 0


def test_unknown_figure_lists_the_names(sample_db, tmp_path, capsys):
    code = cli.main(["figure", "pie_chart", "--db", str(sample_db), "--out",
                     str(tmp_path / "x.png")])
    err = capsys.readouterr().err
    assert code == 1 and "tile_map" in err and "hoax_weekly" in err


@pytest.mark.parametrize("name", sorted(figures_registry.FIGURES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_registered_chart_builds_with_a_title(sample_db, name, lang):
    with db.connect(sample_db, read_only=True) as conn:
        fig = figures_registry.figure(conn, name, Filters(), lang)
    assert isinstance(fig, go.Figure)
    assert figures_registry.chart_title(fig)
    assert not any(a.name == "no_data" for a in fig.layout.annotations), name


def test_brief_command_takes_a_title_and_a_logo(sample_db, tmp_path, capsys):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
                    encoding="utf-8")
    out = tmp_path / "brief.html"
    assert cli.main(["brief", "--db", str(sample_db), "--week", "2024-W07", "--out", str(out),
                     "--title", "Laporan Pekanan Kominfo", "--logo", str(logo)]) == 0
    page = out.read_bytes()
    assert b"<h1>Laporan Pekanan Kominfo</h1>" in page
    assert b'src="data:image/svg+xml;base64,' in page


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot read the logo"),
    (b"GIF89a", "must be a PNG, JPEG or SVG image"),
])
def test_brief_command_refuses_an_unusable_logo_in_one_line(sample_db, tmp_path, capsys,
                                                            content, message):
    logo = tmp_path / "logo.gif"
    if content is not None:
        logo.write_bytes(content)
    out = tmp_path / "brief.html"
    code = cli.main(["brief", "--db", str(sample_db), "--out", str(out), "--logo", str(logo),
                     "--lang", "en"])
    err = capsys.readouterr().err
    assert code != 0 and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_brief_command_for_an_empty_week(sample_db, tmp_path, capsys):
    out = tmp_path / "brief.html"
    assert cli.main(["brief", "--db", str(sample_db), "--week", "2024-W10", "--out",
                     str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Tidak ada pengiriman pada pekan 2024-W10" in page and "<table" not in page
