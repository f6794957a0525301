"""Text from files shown as text (issue 13, finding 4): the escaping for Streamlit Markdown and
for plotly labels, case by case and for any text. The pages and charts that use them are
tested in test_input_safety.py, whose Markdown model (live_markup) these tests share."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dashboard.text_safety import WORD_JOINER, markdown_frame, markdown_text, plotly_text
from tests.test_input_safety import _markdown_view, live_markup

# text a file may hold, and what Streamlit's Markdown would make of it unescaped
MARKDOWN_CASES = [
    ("link", "[Klik verifikasi DPT](https://evil.example/phish)"),
    ("image", "![px](https://evil.example/pixel.png)"),
    ("colour directive", ":red[**PALSU: pemilu ditunda**]"),
    ("badge directive", ":blue-badge[RESMI]"),
    ("html link", '<a href="https://evil.example/x">SMSX</a>'),
    ("autolink in angles", "<https://evil.example>"),
    ("bare url", "lihat https://evil.example/x sekarang"),
    ("www name", "buka www.evil.example"),
    ("e-mail address", "lapor@evil.example"),
    ("emoji short code", "resmi :white_check_mark:"),
    ("material icon", ":material/verified: KPU"),
    ("math", "$x^2$ dan $$y$$"),
    ("emphasis", "**tebal** _miring_ ~~coret~~"),
    ("code", "`kode`"),
    ("heading after a line break", "SMS01\n\n# PEMILU DITUNDA"),
    ("list item", "- satu\n1. dua"),
    ("entity", "&lt;b&gt; &#60;"),
    ("table pipe", "a | b"),
    ("backslash", "C:\\data\\[x]"),
    ("plain wave id", "SMS01"),
    ("time", "10:17 WIB"),
]


def _shown(source: str) -> str:
    """What the reader sees, without the invisible word joiners."""
    return _markdown_view(source)[1].replace(WORD_JOINER, "")


@pytest.mark.parametrize(("case", "text"), MARKDOWN_CASES, ids=[c[0] for c in MARKDOWN_CASES])
def test_markdown_text_shows_the_text_and_nothing_live(case, text):
    escaped = markdown_text(text)
    assert live_markup(escaped) == []
    assert "\n" not in escaped  # no new block (heading, list) from a line break
    assert _shown(escaped) == re.sub(r"\n+", " ", text)


@pytest.mark.parametrize(("value", "expected"), [(None, ""), (pd.NA, ""), (float("nan"), ""),
                                                 (32, "32"), (0.5, "0\\.5")])
def test_markdown_text_of_values(value, expected):
    assert markdown_text(value) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from(
    ["\n", "\t", "é", WORD_JOINER])))
@example("[a](https://x.id)\n\n:red[b] www.x.id a@x.id :ok:")
def test_markdown_text_of_any_printable_text_is_never_live(text):
    escaped = markdown_text(text)
    assert live_markup(escaped) == []
    assert _shown(escaped) == re.sub(r"\n+", " ", text).replace(WORD_JOINER, "")


def test_markdown_frame_escapes_cells_labels_and_index():
    frame = pd.DataFrame({"Gelombang [x](y)": ["[a](b)", ":red[c]"], "Tanggal": ["1 Des", None]},
                         index=pd.Index(["<i>1</i>", "2"], name="**n**"))
    shown = markdown_frame(frame)
    strings = [*shown.columns, *shown.index, shown.index.name, *shown.to_numpy().ravel()]
    assert [s for s in strings if live_markup(s)] == []
    assert _shown(shown.iloc[0, 0]) == "[a](b)" and shown.iloc[1, 1] == ""
    assert frame.iloc[0, 0] == "[a](b)"  # the frame itself is left alone


PLOTLY_CASES = [
    ("anchor", '<a href="https://evil.example/x">SMSX</a>',
     '&lt;a href="https://evil.example/x"&gt;SMSX&lt;/a&gt;'),
    ("line break and bold", "<br><b>x</b>", "&lt;br&gt;&lt;b&gt;x&lt;/b&gt;"),
    ("entity", "&lt;", "&amp;lt;"),
    ("template variable", "%{customdata}", "%&#123;customdata}"),
    ("plain", "SMS01 · Jawa Barat", "SMS01 · Jawa Barat"),
    ("number", 32, "32"),
]


@pytest.mark.parametrize(("case", "text", "expected"), PLOTLY_CASES,
                         ids=[c[0] for c in PLOTLY_CASES])
def test_plotly_text(case, text, expected):
    assert plotly_text(text) == expected
