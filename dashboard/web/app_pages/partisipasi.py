"""Partisipasi: do provinces that received more messages show higher turnout and fewer
invalid ballots? Province-level tests with plain-language caveats, and the survey panel.
Exposures: the SMS blasts and, when loaded for the filters, the operators' status bar; the
WhatsApp Channel is national only, so it has no province to test (the page says so)."""

import pandas as pd
import streamlit as st

from dashboard.analysis.participation import (
    STATUS_BAR_EXPOSURES,
    STATUS_BAR_NOT_LOADED,
    STATUS_BAR_PRESENT,
    adjusted_family,
    available_exposures,
    fitted_line,
    interpret_participation,
    interpret_survey,
    outcome_values,
)
from dashboard.charts.participation import exposure_scatter, survey_shares
from dashboard.charts.style import exposure_label
from dashboard.i18n import format_number, t
from dashboard.reference import provinces as reference_provinces
from dashboard.reports.display import column_labels, display_frame
from dashboard.web import ui

OUTCOMES = ("turnout_2024", "turnout_change", "invalid_rate_2024", "invalid_rate_change")
# the data behind the scatter, for its source line (the SMS exposures: receipts, election)
EXPOSURE_DATA = {"status_bar_per_voter": ("status_bar", "election"),
                 "contacts_per_voter": ("receipts", "status_bar", "election")}

language = ui.page("page.participation", "ui.participation_caption")
filters = ui.sidebar_filters()

provinces = ui.participation_provinces(filters)
if provinces.empty and "units" not in provinces.attrs:  # no election results loaded
    st.info(t("empty.no_participation", language))
    st.stop()


def coverage_notes(provinces: pd.DataFrame) -> None:
    """Which 2019 units the tests and the chart cover when provinces are chosen (or scoped),
    and which unit is left out because only part of it is chosen (whole_2019_units)."""
    names = dict(zip(reference_provinces()["province_code"], reference_provinces()["name"],
                     strict=True))
    if (units := provinces.attrs.get("units")) is not None and len(units):
        st.caption(t("ui.participation_units", language,
                     n=format_number(len(units), 0, language),
                     names=", ".join(names.get(u, str(u)) for u in units)))
    if partial := provinces.attrs.get("partial_units"):
        st.caption(t("ui.participation_partial_units", language,
                     units=", ".join(names.get(u, str(u)) for u in partial)))


def province_panel(provinces: pd.DataFrame) -> None:
    """The scatter and the province-level tests over the chosen units."""
    status_bar = provinces.attrs.get("status_bar", STATUS_BAR_NOT_LOADED)
    left, middle, right = st.columns([1, 1, 1])
    exposure = left.selectbox(t("ui.exposure", language), available_exposures(provinces),
                              key="paparan",
                              format_func=lambda e: exposure_label(e, language),
                              bind="query-params")
    outcome = middle.selectbox(t("ui.outcome", language), OUTCOMES, key="hasil",
                               format_func=lambda o: t(f"outcome.{o}", language),
                               bind="query-params")
    exclude_noken = right.toggle(t("ui.exclude_noken", language), key="tanpa_noken",
                                 help=t("ui.exclude_noken_help", language), bind="query-params")

    shown = provinces[~provinces["noken"]] if exclude_noken else provinces
    points = shown.assign(y=outcome_values(shown, outcome))
    # the axis names the unit its ticks are in, as the picker (style.exposure_label)
    x_label = exposure_label(exposure, language)
    y_label = t(f"outcome.{outcome}", language)
    data = EXPOSURE_DATA.get(exposure, ("receipts", "election"))
    ui.chart(exposure_scatter(points, exposure, "y", language,
                              fit=fitted_line(points[exposure], points["y"]),
                              x_label=x_label, y_label=y_label), key="participation_scatter",
             data=data, unique_reach=exposure == "reach_per_voter",
             estimated=exposure == "reach_per_voter" and ui.approximate(provinces))
    ui.source_line(data)  # the scatter and the tests below: where their numbers come from
    st.caption(t("note.per_voter", language))
    if exposure == "reach_per_voter":
        ui.reach_note(provinces, filters=filters)  # estimated on a large campaign; left out
    if exposure in STATUS_BAR_EXPOSURES:
        st.caption(t("ui.status_bar_exposure_note", language))
    if no_ballots := provinces.attrs.get("no_ballots"):  # turnout 0: kept, so said beside it
        named = dict(zip(provinces["province_code"], provinces["name"], strict=True))
        st.warning(t("ui.no_ballots", language, units=", ".join(
            f"{named.get(code, code)} {year}" for code, year in no_ballots)))
    if unplaced := provinces.attrs.get("status_bar_unplaced", 0):
        st.caption(t("ui.status_bar_unplaced", language, n=format_number(unplaced, 0, language)))
    if status_bar != STATUS_BAR_PRESENT:  # not run, so not in the adjusted family either
        st.info(t(f"ui.status_bar_{status_bar}", language))
    st.caption(t("ui.whatsapp_not_tested", language))
    ui.download(points, "participation_provinces")

    results = ui.participation_tests(filters, exclude_noken)
    if results.empty:
        st.warning(t("ui.not_enough", language, reason=results.attrs.get("reason", "–")))
    else:
        chosen = results[(results["exposure"] == exposure) & (results["outcome"] == outcome)]
        st.subheader(t("ui.interpretation", language))
        for sentence in interpret_participation(chosen, language, noken_excluded=exclude_noken):
            st.markdown(f"- {sentence}")
        with st.expander(t("ui.results_table", language)):
            ui.show_table(results)
        ui.download(results, "participation_tests")
        # the family the Benjamini-Hochberg adjustment runs over: it grows with every exposure
        family = adjusted_family(results)
        st.subheader(t("ui.bh_family", language))
        st.caption(t("ui.bh_family_caption", language,
                     m=format_number(int(family["n_tests"].sum()), 0, language)))
        # a static table: 16 short rows whose text wraps at 390 px instead of scrolling away;
        # folded, as the results table is: wrapped method names took two phone screens
        listing = display_frame(family[["exposure", "outcome", "n_tests", "methods"]].assign(
            n_tests=[format_number(n, 0, language) for n in family["n_tests"]],
            methods=[" · ".join(t(f"method.{m}", language) for m in methods)
                     for methods in family["methods"]]), language)
        with st.expander(t("ui.bh_family_table", language)):
            ui.static_table(listing.rename(columns=column_labels(listing.columns, language)))

coverage_notes(provinces)
if provinces.empty:  # no unit chosen whole: the tests' refusal says why
    st.warning(t("ui.not_enough", language, reason=ui.participation_tests(
        filters, False).attrs.get("reason", "–")))
else:
    province_panel(provinces)

election = ui.in_scope(ui.query("marts/election_results"))
if election["source"].fillna("").str.contains("synthetic").any():
    st.caption(t("ui.synthetic_election", language))
warnings = ui.in_scope(ui.query("marts/election_warnings"))
if not warnings.empty:
    with st.expander(f"{t('ui.election_warnings', language)} ({len(warnings)})"):
        ui.show_table(warnings)

st.header(t("ui.survey_panel", language))
survey = ui.survey_tests(filters)
if survey.empty:
    st.info(t("empty.no_survey", language))
else:
    ui.chart(survey_shares(survey, language), key="survey_shares", data=("survey",))
    for sentence in interpret_survey(survey, language):
        st.markdown(f"- {sentence}")
    st.caption(t("ui.survey_table", language))
    if unweighted := survey.attrs.get("unweighted_respondents", 0):  # weight 1: say so
        total = survey.attrs.get("respondents", unweighted)
        st.caption(t("ui.survey_unweighted", language, n=format_number(unweighted, 0, language))
                   if unweighted == total else
                   t("ui.survey_partly_unweighted", language,
                     n=format_number(unweighted, 0, language),
                     total=format_number(total, 0, language)))
    ui.show_table(survey)
    ui.download(survey, "survey_tests")
    ui.source_line(("survey",))
