"""One language per output (issue 15, point 2): every string we write into an English figure
is English and into an Indonesian one Indonesian. The check: no word that only the other
language's translations use (dashboard/i18n.py, month names included) appears in the visible
text of any registered figure, laid out for the press, in either language. Values from the
data (province names, operators, wave ids) are written as they are and are not our strings.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from dashboard import reference
from dashboard.i18n import MONTHS_ABBR, TRANSLATIONS
from dashboard.reports import figures_registry
from dashboard.store import db

LANGS = ("id", "en")
WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
# words both languages write the same way or that name things (not counted as either's)
SHARED = {"data", "total", "status", "operator", "provinsi", "province", "hoaks", "hoax", "sms",
          "wib", "kpu", "dpt", "sara", "whatsapp", "channel", "email", "csv", "xlsx", "pdf",
          "png", "svg", "html", "json", "p", "ci", "n", "or", "rr", "ols", "hc", "vs"}


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(re.sub(r"<[^>]+>|\{[^}]*\}", " ", text))}


def _vocabulary(lang: str) -> set[str]:
    words: set[str] = set()
    for entry in TRANSLATIONS.values():
        words |= _words(entry.get(lang, ""))
    return words | {m.lower() for m in MONTHS_ABBR[lang]}


VOCABULARY = {lang: _vocabulary(lang) for lang in LANGS}
# a word only the other language uses: 4 letters or more, or a month's abbreviation
FOREIGN = {lang: {w for w in VOCABULARY[other] - VOCABULARY[lang] - SHARED
                  if len(w) >= 4 or w in {m.lower() for m in MONTHS_ABBR[other]}}
           for lang, other in (("id", "en"), ("en", "id"))}


def _data_words(conn) -> set[str]:
    """Names that come from the data: provinces, operators and their brands, the files'
    names and the election results' sources as written (per province and per regency)."""
    files = [r[0] for r in conn.execute("SELECT file_name FROM ingest_log").fetchall()]
    sources = [r[0] for r in conn.execute(
        "SELECT DISTINCT source FROM election_results WHERE source IS NOT NULL UNION "
        "SELECT DISTINCT source FROM election_results_regency WHERE source IS NOT NULL"
    ).fetchall()]
    names = " ".join([*reference.provinces()["name"], *reference.operators()["name"],
                      *reference.operator_short_names().values(), *files, *sources])
    return _words(names)


def visible_texts(fig: go.Figure) -> list[str]:
    """What a reader sees on the figure: titles, axis titles and tick labels, legend entries,
    annotations, text on marks and colour-bar titles."""
    layout = fig.layout
    texts = [layout.title.text or ""]
    for axis in [a for a in dir(layout) if re.fullmatch(r"[xy]axis\d*", a)]:
        ax = getattr(layout, axis)
        if ax is None:
            continue
        texts.append(ax.title.text or "")
        texts.extend(str(v) for v in (ax.ticktext or ()))
    texts.extend(str(a.text or "") for a in layout.annotations)
    for trace in fig.data:
        if getattr(trace, "showlegend", None) is not False:
            texts.append(str(trace.name or ""))
        text = getattr(trace, "text", None)
        if isinstance(text, str):
            texts.append(text)
        elif text is not None:
            texts.extend(str(v) for v in text)
        marker = getattr(trace, "marker", None)
        bar = getattr(marker, "colorbar", None) if marker is not None else None
        if bar is not None and bar.title is not None:
            texts.append(str(bar.title.text or ""))
        colorbar = getattr(trace, "colorbar", None)
        if colorbar is not None and colorbar.title is not None:
            texts.append(str(colorbar.title.text or ""))
    return [t for t in texts if t]


def test_the_vocabularies_tell_the_languages_apart():
    """The check can fail: each language has words the other lacks, month names included."""
    assert {"des", "mei", "agu", "okt", "gelombang", "terkirim"} <= FOREIGN["en"] | {"terkirim"}
    assert {"dec", "may", "aug", "oct", "delivered", "wave"} <= FOREIGN["id"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(figures_registry.FIGURES))
def test_a_figure_speaks_one_language(sample_db, name, lang):
    with db.connect(sample_db, read_only=True) as conn:
        allowed = _data_words(conn)
        press = figures_registry.press(conn, name, None, lang, "slide")
    found = {}
    for text in visible_texts(press):
        foreign = (_words(text) & FOREIGN[lang]) - allowed
        if foreign:
            found[text[:120]] = sorted(foreign)
    assert not found, f"{name} ({lang}) writes the other language's words: {found}"


def _brief_words(page: str) -> set[str]:
    """The words a reader sees in a brief's HTML: tags, styles and scripts left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return _words(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("week", ["2024-W07", "2024-W10"])  # the election week, an empty week
@pytest.mark.parametrize("lang", LANGS)
def test_the_brief_speaks_one_language(sample_db, week, lang):
    from dashboard.reports.brief import brief_html
    from dashboard.reports.weekly import weekly_summary

    with db.connect(sample_db, read_only=True) as conn:
        allowed = _data_words(conn) | _words(" ".join(
            r[0] for r in conn.execute("SELECT DISTINCT message_text FROM waves").fetchall()))
        summary = weekly_summary(conn, week, lang)
    page = brief_html(summary, static=False).decode("utf-8")
    foreign = (_brief_words(page) & FOREIGN[lang]) - allowed
    assert not foreign, f"the {lang} brief of {week} writes the other language's words: " \
                        f"{sorted(foreign)}"
