"""Strata of an experiment's plan: what a unit's stratum is, what a reader calls it, and the
order tables and PDF pages list them in. One definition for the plan, the page and the CLI."""

from __future__ import annotations

from dashboard import reference
from dashboard.i18n import TRANSLATIONS, t

OVERALL = "overall"  # the row of a result over every stratum


def stratum_of(unit: str, province_code: object) -> str:
    """A unit's stratum: its province code for a regency, its island group for a province."""
    return (str(int(province_code)) if unit == "regency"
            else reference.island_group(province_code))


def stratum_name(stratum: object, unit: str, lang: str = "id") -> str:
    """A stratum for the reader: the province's name, the island group's, or an operator's."""
    text = str(stratum)
    if unit == "regency" and text.isdigit():
        return reference.province_names().get(int(text), text)
    if unit == "province" and f"region.{text}" in TRANSLATIONS:
        return t(f"region.{text}", lang)
    if text == OVERALL:
        return t("exp.overall", lang)
    names = dict(zip(reference.operators()["operator"], reference.operators()["name"],
                     strict=True))
    return names.get(text, text)


def stratum_key(stratum: str) -> tuple[int, int, str]:
    """Province codes in number order, then a province design's island groups west to east,
    other strata last."""
    if stratum.isdigit():
        return (0, int(stratum), stratum)
    groups = list(dict.fromkeys(reference.ISLAND_GROUPS.values()))
    return (1, groups.index(stratum), stratum) if stratum in groups else (2, 0, stratum)
