"""The shared link's parameters (issue 15, point 9), read the way people write them.

The sidebar's widgets are bound to the URL under the keys `lang`, `gelombang`, `operator`
and `provinsi`, and Streamlit reads a bound value only as the widget's label ("English",
"Telkomsel", "Jawa Barat"): `?lang=en`, `?operator=tsel` or `?provinsi=32` were dropped
without a word. `parse` accepts, besides the labels, the language codes, operator ids, names,
brands and common short forms, province codes and every spelling the province alias table
knows, wave ids in any case, and the English keys `province`, `wave`, `operators`,
`language`; it returns each widget's value and the values it did not recognise, so the page
can name them. No streamlit here: the app's glue is in ui.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from dashboard import reference
from dashboard.ingest.privacy import mask_phone_numbers

LANG = "lang"
WAVES = "gelombang"
OPERATORS = "operator"
PROVINCES = "provinsi"
FILTER_KEYS = (WAVES, OPERATORS, PROVINCES)
KEYS = (LANG, *FILTER_KEYS)
# other names a link may use for a key (the README and the CLI speak English)
KEY_ALIASES = {
    "language": LANG, "bahasa": LANG,
    "wave": WAVES, "waves": WAVES,
    "operators": OPERATORS,
    "province": PROVINCES, "provinces": PROVINCES,
}
# the language switch's labels, which its URL parameter carries
LANG_LABELS = {"id": "Indonesia", "en": "English"}
LANG_SPELLINGS = {
    "id": "id", "ind": "id", "indonesia": "id", "indonesian": "id", "bahasa": "id",
    "bahasaindonesia": "id",
    "en": "en", "eng": "en", "english": "en", "inggris": "en", "bahasainggris": "en",
}
# short forms people write for an operator group, beyond its id, name and brands
OPERATOR_SHORT_FORMS = {
    "tsel": "telkomsel", "simpati": "telkomsel", "kartuas": "telkomsel", "byu": "telkomsel",
    "isat": "indosat", "ioh": "indosat", "im3": "indosat", "tri": "indosat", "three": "indosat",
    "3": "indosat", "indosatooredoo": "indosat",
    "xlaxiata": "xl", "axis": "xl",
    "fren": "smartfren",
}
MAX_SHOWN = 80  # characters of one unrecognised value in the notice (a link can hold anything)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _key(text: str) -> str:
    return _NON_ALNUM.sub("", text.strip().lower())


@cache
def _operator_spellings() -> dict[str, str]:
    spellings = dict(OPERATOR_SHORT_FORMS)
    for operator, name in reference.operators().itertuples(index=False):
        spellings[_key(operator)] = operator
        spellings[_key(name)] = operator
    for operator, brand in reference.operator_prefixes()[["operator", "brand"]].drop_duplicates(
            ).itertuples(index=False):
        spellings[_key(brand)] = operator  # "Tri (3)" -> tri3
    return spellings


@cache
def operator_labels() -> dict[str, str]:
    """operator id -> the label the sidebar shows (and the URL carries)."""
    ops = reference.operators()
    return dict(zip(ops["operator"], ops["name"], strict=True))


@cache
def province_labels() -> dict[int, str]:
    """province code -> the label the sidebar shows (and the URL carries)."""
    prov = reference.provinces()
    return dict(zip(prov["province_code"].astype(int), prov["name"], strict=True))


def operator_id(text: str) -> str | None:
    """The operator group for an id, name, brand or short form (any case); None if unknown."""
    return _operator_spellings().get(_key(text))


def province_code(text: str) -> int | None:
    """The province for a code or any spelling of the alias table; None if unknown."""
    code = reference.province_code(text)
    return None if code is None else int(code)


def language(text: str) -> str | None:
    return LANG_SPELLINGS.get(_key(text))


@dataclass(frozen=True)
class Choices:
    """What a link asks for. `values`: widget key -> its value in the widget's own terms
    ("en"; ["telkomsel"]; [32]; ["SMS01"]), for each key the link names. `unknown`: (key as
    written, value) for every value not recognised. `to_set`: the keys whose widget would not
    read the link right by itself (a value not written as its label, an alias key, an unknown
    value), so the app must set them."""

    values: dict[str, object] = field(default_factory=dict)
    unknown: tuple[tuple[str, str], ...] = ()
    to_set: frozenset[str] = frozenset()
    aliases_used: tuple[str, ...] = ()


def labels(key: str, value: object) -> list[str]:
    """How the widget bound to `key` writes `value` in the URL."""
    if key == LANG:
        return [LANG_LABELS[str(value)]]
    if key == OPERATORS:
        return [operator_labels()[v] for v in value]  # type: ignore[union-attr]
    if key == PROVINCES:
        return [province_labels()[int(v)] for v in value]  # type: ignore[union-attr]
    return [str(v) for v in value]  # type: ignore[union-attr]


def _values(raw: Sequence[str]) -> list[str]:
    """The values of one parameter: repeated (?operator=a&operator=b, as Streamlit writes a
    multiselect) or comma-separated (?operator=tsel,xl, as people write it); blanks dropped."""
    return [part.strip() for value in raw for part in str(value).split(",") if part.strip()]


def parse(raw: Mapping[str, Sequence[str]], keys: Iterable[str] = KEYS, *,
          waves: Iterable[str] | None = None,
          provinces: Iterable[int] | None = None) -> Choices:
    """Read the link's parameters for `keys` (and their aliases).

    `raw`: parameter -> its values as the URL has them (st.query_params.get_all). `waves`:
    the wave ids the filter offers (None: take any, as written). `provinces`: the provinces the
    filter offers (a user's scope; None: all 38): others are not recognised, never widened to.
    """
    wanted = tuple(keys)
    allowed = None if provinces is None else {int(p) for p in provinces}
    wave_ids = None if waves is None else {str(w).lower(): str(w) for w in waves}
    values: dict[str, object] = {}
    unknown: list[tuple[str, str]] = []
    to_set: set[str] = set()
    aliases_used: list[str] = []
    for key in wanted:
        names = [key, *(alias for alias, target in KEY_ALIASES.items() if target == key)]
        given = [(name, value) for name in names for value in _values(raw.get(name) or [])]
        if not any(raw.get(name) for name in names):
            continue
        aliases_used += [name for name in names[1:] if raw.get(name)]
        found: list[object] = []
        for name, value in given:
            match = _recognise(key, value, wave_ids, allowed)
            if match is None:
                # a link can carry a phone number: masked whole, then cut
                unknown.append((name, mask_phone_numbers(value)[:MAX_SHOWN]))
            elif match not in found:
                found.append(match)
        if key == LANG:
            if not found:
                if given:  # only unknown values: the switch keeps its default
                    to_set.add(key)
                continue
            values[key] = found[-1]  # one language: the last one written wins, as in Streamlit
        else:
            values[key] = found
        if list(raw.get(key) or []) != labels(key, values[key]) or any(
                raw.get(name) for name in names[1:]):
            to_set.add(key)
    return Choices(values, tuple(unknown), frozenset(to_set), tuple(aliases_used))


def _recognise(key: str, value: str, wave_ids: dict[str, str] | None,
               allowed: set[int] | None) -> object | None:
    if key == LANG:
        return language(value)
    if key == OPERATORS:
        return operator_id(value)
    if key == PROVINCES:
        code = province_code(value)
        return None if code is None or (allowed is not None and code not in allowed) else code
    if wave_ids is None:
        return value
    return wave_ids.get(value.lower())


def notice_values(unknown: Iterable[tuple[str, str]]) -> str:
    """The unrecognised values for the notice: `operator=Foo, provinsi=Atlantis`; a phone
    number in one masked (the notice shows what the link holds)."""
    return ", ".join(f"{key}={mask_phone_numbers(value)}" for key, value in unknown)
