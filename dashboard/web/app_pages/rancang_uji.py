"""Rancang uji (issue 18): design the next blast as a randomised experiment (design, power,
assignment and balance, the regency baseline's coverage, the individual rule, sign-off, the
plan and the command that freezes it), then read each frozen experiment after the vote (ITT
with its interval, randomisation-inference p-value, compliance, complier effect, per stratum,
in plain words). Numbers and words: dashboard/reports/experiment.py; charts:
dashboard/charts/experiment.py."""

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import config
from dashboard.charts import experiment as charts
from dashboard.clock import today_wib
from dashboard.experiment import holdout
from dashboard.experiment import plan as plans
from dashboard.export.figures import chromium_available
from dashboard.export.provenance import data_of_figure
from dashboard.i18n import format_date, format_datetime, format_number, format_percent, t
from dashboard.reports import experiment as report
from dashboard.store import large_campaign
from dashboard.text_safety import markdown_text
from dashboard.web import ui

language = ui.page("page.experiment", "exp.caption")
if ui.scope():  # an experiment spans every province: no slice of it for a scoped user
    st.info(t("exp.scoped", language))
    st.stop()
st.caption(t("exp.filters_note", language))
# the choices of the share, the survey's design effect and the expected compliance
SHARE_STEPS_ALL = [round(0.05 * i, 2) for i in range(1, 21)]  # 5 % ... 100 %
SHARE_STEPS = SHARE_STEPS_ALL[:10]  # a hold-out share of 5 % ... 50 %
DEFF_STEPS = [round(1 + 0.1 * i, 1) for i in range(31)]  # 1,0 ... 4,0


@st.cache_data(show_spinner=False, max_entries=16)
def candidates(unit: str, first: int, last: int, version: str) -> pd.DataFrame:
    return report.candidates(ui.cursor(), unit, first, last)


@st.cache_data(show_spinner=False, max_entries=32)
def cluster_power(unit: str, first: int, last: int, outcome: str, share: float, seed: int,
                  version: str) -> report.ClusterPower:
    pair = report.power_frame(candidates(unit, first, last, version), outcome)
    return report.cluster_power(pair, share, sims=report.PAGE_SIMULATIONS, seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def mde_curve(unit: str, first: int, last: int, outcome: str, seed: int,
              version: str) -> pd.DataFrame:
    from dashboard.experiment import power

    pair = report.power_frame(candidates(unit, first, last, version), outcome)
    return power.mde_curve(pair, list(report.SHARES), sims=report.PAGE_SIMULATIONS, seed=seed)


@st.cache_data(show_spinner=False, max_entries=8)
def experiment_result(experiment_id: str, version: str) -> report.ExperimentResult:
    return report.read_experiment(ui.cursor(), experiment_id)


def parent_baselines(frame: pd.DataFrame, language: str) -> str:
    """Which provinces take their parent's baseline (Papua's 2022 parts), said; '' if none."""
    if "baseline_from_parent" not in frame.columns:
        return ""
    names = frame.loc[frame["baseline_from_parent"].fillna(False).astype(bool), "unit_name"]
    if names.empty:
        return ""
    return t("exp.parent_baseline", language,
             provinces=markdown_text(", ".join(str(n) for n in names)))


def chart(fig: object, key: str, data: tuple[str, ...]) -> None:
    """A chart with its press export and, under it, its source line: on the page too, not
    only in the exported figure."""
    ui.chart(fig, key=key, data=data)
    ui.source_line(data)


def signed_off(plan_text: dict, stored: object, language: str) -> str:
    """'Name (role), 25 Jan 2024': the plan's sign-off with its date in the page's language
    (the stored column keeps the ISO date); the stored text if the plan lacks the fields."""
    person = plan_text.get("signed_off_by")
    if not isinstance(person, dict) or not person.get("name"):
        return str(stored)
    return (f"{person['name']} ({person.get('role', '')}), "
            f"{format_date(person.get('date'), language)}")


version = ui.data_version()
design_part, results_part = st.tabs([t("exp.part_design", language),
                                     t("exp.part_results", language)])

# === A. the design ============================================================================
with design_part:
    choice = st.radio(t("exp.design", language), tuple(report.DESIGNS), horizontal=True,
                      format_func=lambda c: t(f"exp.design.{c}", language), key="exp_design",
                      help=t("exp.design_help", language))
    design, unit = report.DESIGNS[choice]
    waves = report.sms_waves(ui.cursor())
    free = waves[waves["experiment_id"].isna()]["wave_id"].tolist()
    left, right = st.columns(2)
    with left:
        chosen_waves = st.multiselect(t("exp.waves", language), free, key="exp_waves",
                                      help=t("exp.waves_help", language),
                                      placeholder=t("exp.waves_placeholder", language))
        if taken := waves[waves["experiment_id"].notna()]["wave_id"].tolist():
            st.caption(t("exp.waves_taken", language, waves=markdown_text(", ".join(taken))))
        if not free:
            st.info(t("exp.no_waves", language))
        outcomes = list(report.OUTCOMES[design])
        outcome = st.selectbox(t("exp.outcome", language), outcomes, key=f"exp_outcome_{design}",
                               format_func=lambda o: t(f"exp.outcome.{o}", language))
    with right:
        # a select_slider, so the share reads "20%" in the page's language (a slider's
        # format prints "0.20" whatever the language)
        share = st.select_slider(t("exp.share", language), options=SHARE_STEPS, value=0.2,
                                 key="exp_share",
                                 format_func=lambda s: format_percent(s, 0, language))
        seed = int(st.number_input(t("exp.seed", language), min_value=0, max_value=2**31 - 1,
                                   value=int(st.session_state.setdefault(
                                       "exp_seed_default", int(dt.date.today().strftime(
                                           "%Y%m%d")))),
                                   step=1, key="exp_seed", help=t("exp.seed_help", language)))
    years = report.election_years(ui.cursor())
    level_years = years["regency" if unit == "regency" else "province"]
    pair: tuple[int, int] | None = None
    if len(level_years) >= 2:
        first_col, last_col, outcome_col = st.columns(3)
        first = first_col.selectbox(t("exp.pair_first", language), level_years[:-1],
                                    index=len(level_years) - 2, key=f"exp_first_{unit}",
                                    help=t("exp.pair_help", language))
        later = [y for y in level_years if y > first]
        last = last_col.selectbox(t("exp.pair_last", language), later, index=len(later) - 1,
                                  key=f"exp_last_{unit}")
        pair = (int(first), int(last))
        outcome_year = int(outcome_col.number_input(t("exp.outcome_year", language),
                                                    min_value=pair[1] + 1, value=pair[1] + 5,
                                                    step=1, key="exp_outcome_year"))
    else:
        outcome_year = int(st.number_input(t("exp.outcome_year", language), min_value=2000,
                                           value=2029, step=1, key="exp_outcome_year_alone"))
    baseline_year = pair[1] if pair else outcome_year - 5

    # --- power ----------------------------------------------------------------------------
    st.subheader(t("exp.power_header", language))
    power_values: dict[str, object] = {}
    drawn = None
    if design == "cluster":
        if unit == "province":
            st.warning(t("exp.province_power", language), icon=":material/warning:")
        if pair is None:
            st.info(t("exp.no_years", language))
        else:
            frame = candidates(unit, *pair, version)
            try:
                found = cluster_power(unit, *pair, outcome, share, seed, version)
            except ValueError as problem:
                st.info(t("exp.power_error", language, reason=markdown_text(str(problem))))
                found = None
            if found is not None:
                # the plan records the power of every outcome it names, the page shows one
                for other in outcomes:
                    try:
                        power_values[other] = cluster_power(unit, *pair, other, share, seed,
                                                            version)
                    except ValueError:  # said for the chosen outcome; none for this one
                        pass
                tiles = st.columns(2)
                tiles[0].metric(t("exp.mde_analytic", language),
                                report.points(found.mde_analytic, language, 2, signed=False,
                                              short=True),
                                help=t("exp.mde_help", language), border=True)
                tiles[1].metric(t("exp.mde_simulated", language),
                                report.points(found.mde_simulated, language, 2, signed=False,
                                              short=True),
                                help=t("exp.mde_help", language), border=True)
                st.caption(t("exp.power_note", language, n=format_number(found.units,
                                                                         lang=language),
                             strata=found.strata,
                             sd=report.points(found.outcome_sd, language, 2, signed=False),
                             corr=format_number(found.baseline_corr, 2, language),
                             sims=format_number(report.PAGE_SIMULATIONS, lang=language)))
                if (missing := len(frame) - found.units) > 0:
                    st.caption(t("exp.power_left_out", language,
                                 n=format_number(missing, lang=language)))
                if borrowed := parent_baselines(frame, language):
                    st.caption(borrowed)
                curve = mde_curve(unit, *pair, outcome, seed, version)
                chart(charts.mde_curve_chart(curve, language, chosen=share),
                      key="exp_mde_curve", data=data_of_figure("experiment_mde_curve", unit))
    else:
        rate, respondents = report.survey_rate(ui.cursor(), outcome)
        cols = st.columns(3)
        n = int(cols[0].number_input(t("exp.respondents", language), min_value=10,
                                     value=max(respondents, 1200), step=100,
                                     key="exp_respondents"))
        # select_sliders: a number_input writes "1.50" and "0.90" on the Indonesian page too
        deff = float(cols[1].select_slider(t("exp.deff", language), options=DEFF_STEPS,
                                           value=1.5, key="exp_deff",
                                           format_func=lambda d: format_number(d, 1, language)))
        compliance = float(cols[2].select_slider(
            t("exp.compliance_expected", language), options=SHARE_STEPS_ALL, value=0.9,
            key="exp_compliance", format_func=lambda c: format_percent(c, 0, language)))
        p_control = rate if rate is not None and 0 < rate < 1 else 0.8
        source = (t("exp.p_control_survey", language, n=format_number(respondents,
                                                                      lang=language))
                  if rate is not None else t("exp.p_control_default", language))
        from dashboard.experiment import power

        mde = power.mde_individual(p_control, n, share, deff=deff, compliance=compliance)
        # the plan records what rests on the survey loaded; an assumed rate is not recorded
        for other in outcomes:
            other_rate, _ = report.survey_rate(ui.cursor(), other)
            if other_rate is not None and 0 < other_rate < 1:
                power_values[other] = power.mde_individual(other_rate, n, share, deff=deff,
                                                           compliance=compliance)
        st.metric(t("exp.mde_analytic", language),
                  report.points(mde, language, 2, signed=False, short=True),
                  help=t("exp.mde_help", language), border=True)
        st.caption(t("exp.p_control", language, rate=format_percent(p_control, 1, language),
                     source=source))
        st.caption(t("exp.individual_power_note", language))

    # --- the regency baseline's coverage --------------------------------------------------
    if unit == "regency":
        st.subheader(t("exp.coverage_header", language))
        check_years = pair or (baseline_year, outcome_year)
        coverage = report.regency_coverage(ui.cursor(), *check_years)
        if coverage.empty:
            st.info(t("exp.no_regencies", language))
        else:
            for column, year in (("has_baseline", check_years[0]),
                                 ("has_outcome", check_years[1])):
                loaded = int(coverage[column].sum())
                st.write(t("exp.coverage", language, loaded=format_number(loaded, lang=language),
                           total=format_number(len(coverage), lang=language), year=year))
                missing = report.missing_regencies(coverage, column)
                if len(missing):
                    with st.expander(t("exp.coverage_missing", language, year=year,
                                       n=format_number(len(missing), lang=language))):
                        st.dataframe(report.screen_missing(missing, language), hide_index=True)
            st.caption(t("exp.coverage_gap", language))

    # --- assignment and balance (cluster) or the rule (individual) ------------------------
    salt = None
    if design == "cluster":
        st.subheader(t("exp.assignment_header", language))
        units = candidates(unit, *pair, version) if pair else None
        if units is None or units.empty:
            st.info(t("exp.no_years", language))
        else:
            drawn, balance = report.cluster_assignment(units, share, seed)
            st.write(t("exp.assigned", language,
                       holdout=format_number((drawn["arm"] == "holdout").sum(), lang=language),
                       blast=format_number((drawn["arm"] == "blast").sum(), lang=language),
                       strata=drawn["stratum"].nunique(), seed=seed))
            st.caption(t(f"exp.strata_note.{unit}", language))
            chart(charts.balance_chart(balance, language), key="exp_balance",
                  data=data_of_figure("experiment_balance", unit))
            st.dataframe(report.screen_balance(balance, language), hide_index=True)
            st.caption(t("exp.balance_note", language))
            with st.expander(t("exp.assignment_table", language)):
                st.dataframe(report.screen_assignment(drawn, units, unit, language),
                             hide_index=True)
    else:
        st.subheader(t("exp.individual_header", language))
        st.caption(t("exp.individual_rule", language))
        if "exp_salt" not in st.session_state:
            st.session_state["exp_salt"] = holdout.new_salt()
        salt_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
        salt = salt_col.text_input(t("exp.salt", language), key="exp_salt",
                                   help=t("exp.salt_help", language)).strip().lower()
        button_col.button(t("exp.new_salt", language), key="exp_new_salt",
                          on_click=lambda: st.session_state.update(
                              exp_salt=holdout.new_salt()))
        try:
            holdout.pads(salt)
            valid_salt = len(salt) == 64
        except ValueError:
            valid_salt = False
        if not valid_salt:
            st.error(t("exp.bad_salt", language))
        thresholds = report.individual_thresholds(share)
        with st.expander(t("exp.thresholds", language, n=len(thresholds),
                           threshold=format_number(holdout.threshold_for_share(share),
                                                   lang=language))):
            st.dataframe(report.screen_thresholds(thresholds, language), hide_index=True)
        if valid_salt:
            st.write("**" + t("exp.reference", language) + "**")
            for name, make, language_name, file_name in (
                    ("python", holdout.reference_python, "python", "holdout.py"),
                    ("duckdb", holdout.reference_duckdb_sql, "sql", "holdout_duckdb.sql"),
                    ("postgres", holdout.reference_postgres_sql, "sql",
                     "holdout_postgres.sql")):
                code = make(salt, thresholds)
                with st.expander(t(f"exp.reference.{name}", language)):
                    st.code(code, language=language_name)
                st.download_button(t("exp.download_reference", language, name=file_name),
                                   code.encode("utf-8"), file_name=file_name,
                                   mime="text/plain", key=f"exp_download_{name}",
                                   icon=":material/download:")

    # --- sign-off, the plan, freezing -----------------------------------------------------
    st.subheader(t("exp.signoff_header", language))
    st.caption(t("exp.signoff_note", language))
    name_col, role_col = st.columns(2)
    signer = name_col.text_input(t("exp.signoff_name", language), key="exp_signer").strip()
    role = role_col.text_input(t("exp.signoff_role", language), key="exp_signer_role").strip()
    st.subheader(t("exp.plan_header", language))
    id_col, title_col = st.columns([1, 2])
    # empty fields take a default that follows the waves chosen (a widget's own value would
    # keep the first one)
    default_id = f"EXP-{outcome_year}-{'-'.join(chosen_waves) or 'X'}"[:64]
    default_title = t("exp.title_default", language, waves=", ".join(chosen_waves))
    experiment_id = id_col.text_input(t("exp.experiment_id", language), key="exp_id",
                                      placeholder=default_id).strip() or default_id
    title = title_col.text_input(t("exp.title", language), key="exp_title",
                                 placeholder=default_title).strip() or default_title
    plan = None
    if not chosen_waves:
        st.info(t("exp.choose_waves", language))
    elif not (signer and role):
        st.info(t("exp.signoff_missing", language))
    elif design == "cluster" and drawn is None:
        st.info(t("exp.no_years", language))
    else:
        try:
            plan = report.make_plan(
                experiment_id=experiment_id, title=title, choice=choice,
                waves=chosen_waves, outcomes=outcomes, share=share, seed=seed,
                baseline_year=baseline_year, outcome_year=outcome_year,
                signed_off_by={"name": signer, "role": role,
                               "date": today_wib().isoformat()},
                drawn=drawn, salt=salt,
                power=report.power_record(power_values, pair, basis="survey"),
                # one time per session's draft: the JSON downloaded and the plan frozen on a
                # later run must hash alike (a fresh time on every run would change the hash)
                created_at=st.session_state.setdefault(
                    "exp_created_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
        except plans.PlanError as problem:
            st.error(t("exp.plan_error", language,
                       reason=markdown_text(problem.message(language))))
    if plan is not None:
        sha = plans.plan_sha256(plan)
        st.markdown(t("exp.plan_hash", language, sha=sha))
        file_name = f"{plan['experiment_id']}.json"
        with st.container(horizontal=True, gap="small", key="exp_plan_downloads"):
            st.download_button(t("exp.download_json", language), plans.canonical_json(plan),
                               file_name=file_name, mime="application/json",
                               key="exp_download_json", icon=":material/download:")
            if chromium_available():
                def plan_pdf_bytes(plan: dict = plan) -> bytes:  # built on click
                    with tempfile.TemporaryDirectory() as folder:
                        path = plans.plan_pdf(plan, Path(folder) / "plan.pdf", language)
                        return path.read_bytes()

                st.download_button(t("exp.download_pdf", language), plan_pdf_bytes,
                                   file_name=f"{plan['experiment_id']}.pdf",
                                   mime="application/pdf", key="exp_download_pdf",
                                   on_click="ignore", icon=":material/picture_as_pdf:")
            else:
                st.caption(t("exp.no_pdf", language))
        st.write(t("exp.freeze_command", language))
        st.code(report.freeze_command(file_name, config.db_path()), language="bash")
        found = ui.current_access()
        if found is not None and found.may_load_data():
            if st.button(t("exp.freeze_button", language), key="exp_freeze", type="primary"):
                try:
                    # the database file itself, as an upload on Kualitas data writes it
                    from dashboard.store import db

                    with db.connect(config.db_path()) as writer:
                        frozen_sha = plans.freeze(writer, plan)
                    ui.read_newest()  # the results below show the plan just frozen
                    st.success(t("exp.frozen_ok", language, experiment=markdown_text(
                        plan["experiment_id"]), sha=frozen_sha))
                except plans.PlanError as problem:
                    st.error(t("exp.plan_error", language,
                               reason=markdown_text(problem.message(language))))
        else:
            st.caption(t("exp.freeze_admin_only", language))

# === B. the results ===========================================================================
with results_part:
    frozen = report.frozen(ui.cursor())
    if frozen.empty:
        st.info(t("exp.results_none", language))
    else:
        picked = st.selectbox(t("exp.experiment_pick", language),
                              frozen["experiment_id"].tolist(), key="exp_pick")
        result = experiment_result(picked, ui.data_version())  # after a freeze: newer
        row = frozen.set_index("experiment_id").loc[picked]
        plan_text = result.plan
        if result.synthetic:
            st.warning(t("exp.synthetic", language), icon=":material/science:")
        (st.success if result.verified else st.error)(
            t("exp.hash_ok" if result.verified else "exp.hash_bad", language,
              sha=result.plan_sha256))
        st.caption(t("exp.frozen_meta", language,
                     design=t(f"exp.design.{result.unit}", language),
                     waves=markdown_text(", ".join(plan_text.get("waves", []))),
                     outcome_year=plan_text.get("outcome_year"),
                     baseline_year=plan_text.get("baseline_year"),
                     share=format_percent(plan_text.get("holdout_share"), 0, language),
                     when=format_datetime(row["frozen_at"], language),
                     who=markdown_text(signed_off(plan_text, row["signed_off_by"],
                                                  language))))
        table = result.table
        overall = table[table["stratum"] == report.OVERALL]
        tiles = st.columns(max(1, len(overall)))
        for tile, (_, line) in zip(tiles, overall.iterrows(), strict=False):
            with tile:
                st.metric(t("exp.effect", language,
                            outcome=t(f"exp.outcome.{line['outcome']}", language)),
                          report.points(line["estimate"], language, 2, short=True),
                          border=True)
                st.caption(t("exp.ci", language, low=report.pts(line["ci_low"], language),
                             high=report.pts(line["ci_high"], language)))
                st.caption(t("exp.p", language, p=report.p_text(line["p_value"], language)))
        if result.design == "cluster" and (borrowed := parent_baselines(result.units,
                                                                        language)):
            st.caption(borrowed)
        for outcome_name, missing in result.left_out.items():
            if missing:
                key = "exp.left_out" if result.design == "cluster" else "exp.left_out_respondents"
                st.caption(f"{t(f'exp.outcome.{outcome_name}', language)}: "
                           + t(key, language, n=format_number(missing, lang=language)))
        st.subheader(t("exp.reading_header", language))
        for outcome_name in overall["outcome"]:
            st.write(markdown_text(report.reading(result, outcome_name, language)))
        names = {str(s): report.stratum_name(s, result.unit, language)
                 for s in table["stratum"].unique()}
        for outcome_name in overall["outcome"]:
            chart(charts.effect_chart(table, outcome_name, names, language),
                  key=f"exp_effect_{outcome_name}",
                  data=data_of_figure("experiment_effect", result.unit))
        st.caption(t("exp.effect_chart_note", language))
        st.subheader(t("exp.results_table", language))
        if result.design == "individual":
            st.caption(t("exp.per_operator_strata", language))
        st.dataframe(report.screen_results(table, result.unit, language), hide_index=True)
        ui.download(table, "experiment_results")
        st.subheader(t("exp.compliance_header", language))
        st.caption(t(f"exp.compliance_note.{result.design}", language))
        # large-campaign mode: a cluster design counts from the rollup of receipts per unit,
        # without distinct numbers; a design by numbers from the rollup per arm, distinct
        # numbers exact; rollups that do not hold the experiment's receipts (attached before
        # the rollup existed, a lake written before the plan was frozen: no rows) say so
        counted = len(result.compliance) > 0
        said_of = {"cluster": "ui.large_campaign.compliance_numbers",
                   "individual": "ui.large_campaign.compliance_arms"}
        if said := large_campaign.note(ui.cursor(), said_of[result.design] if counted
                                       else "ui.large_campaign.compliance", language):
            (st.info if counted else st.warning)(said)
        st.dataframe(report.screen_compliance(result.compliance, result.design, language),
                     hide_index=True)
