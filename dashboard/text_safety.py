"""Text from files (wave ids, themes, message texts, hoax titles and categories, platforms,
file names, province names as written) shown as text, never as markup.

Two renderers interpret what they are given:
- Streamlit's Markdown (st.markdown, st.caption, st.info and the other alerts, st.table cells,
  metric labels, progress text): CommonMark and GFM (links, images, HTML, bare URLs and e-mail
  addresses turned into links), Streamlit's directives (`:red[...]`, `:blue-badge[...]`),
  emoji and icon short codes (`:smile:`, `:material/verified:`) and LaTeX (`$...$`);
- plotly's text (tick labels, hover, legend names, titles, annotations): a subset of HTML
  (`<a href>`, `<b>`, `<br>`, `<span style>`) and entities.

`markdown_text` and `plotly_text` make a string plain for one of them. Apply them where a
file's text meets the renderer, not where it is read: the brief escapes the same strings as
HTML, downloads keep them as they are. No streamlit here, so this is tested on its own.
"""

from __future__ import annotations

import html
import re

import pandas as pd

# CommonMark lets a backslash escape any ASCII punctuation character, and an escaped one
# opens or closes nothing: no link, image, emphasis, HTML, entity, directive, math or code.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
# GFM also turns bare URLs (http, https), www. names and e-mail addresses into links, and
# remark-emoji turns :name: into an emoji, on the text after escapes are resolved; a word
# joiner (invisible, no line break) inside the pattern keeps the text as it reads but stops
# the match. Only there: elsewhere (10:17, "pekan ini:") the text stays as it was.
WORD_JOINER = "\u2060"
_SCHEME = re.compile(r"(?i)(?:(?<=http)|(?<=https))(?=\\:)")  # https:// -> https⁠://
_WWW = re.compile(r"(?i)(?<=www)(?=\\\.)")  # www.x -> www⁠.x
_AT = re.compile(r"(?=\\@)")  # a@b.id -> a⁠@b.id
_CODE_WORD = r"(?:\w|\\[+_-])+"  # a short code's name, its _ + - escaped by now
_SHORT_CODE = re.compile(  # :ok_hand: and :material/verified: -> :⁠ok_hand:
    rf"(?<=\\:)(?={_CODE_WORD}(?:\\/{_CODE_WORD})?\\:)")


def markdown_text(value: object) -> str:
    """`value` as Streamlit Markdown that shows exactly its text: every ASCII punctuation
    character escaped, autolinks and short codes broken by a word joiner, line breaks made
    spaces (a value is one line in a sentence or a table cell). None and NA give ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _PUNCTUATION.sub(r"\\\1", text)
    for pattern in (_SCHEME, _WWW, _AT, _SHORT_CODE):
        text = pattern.sub(WORD_JOINER, text)
    return text


def markdown_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table for st.table, whose cells, index and headers Streamlit renders as
    Markdown: every value (as text) and label through markdown_text."""
    shown = frame.map(markdown_text)
    shown.columns = [markdown_text(c) for c in frame.columns]
    shown.index = pd.Index([markdown_text(v) for v in frame.index], name=(
        None if frame.index.name is None else markdown_text(frame.index.name)))
    return shown


# plotly's pseudo-HTML: &, < and > as entities show as themselves; '%{' would start a
# template variable in hover and text templates, so its brace becomes an entity too.
def plotly_text(value: object) -> str:
    """`value` as plotly text (labels, hover, legend, titles) that shows exactly its text."""
    return html.escape(str(value), quote=False).replace("%{", "%&#123;")
