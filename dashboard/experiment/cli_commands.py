"""`python -m dashboard experiment ...`: the randomised experiment from the command line.

    experiment salt                        a fresh salt for an individual hold-out
    experiment plan --design ... --out F   build a plan (assignment, thresholds, power): a draft
    experiment freeze PLAN                 freeze it in the database before the first wave
    experiment pdf PLAN --out F            the plan for the record (its hash when frozen)
    experiment verify PLAN                 is this file the frozen plan?
    experiment reference --plan PLAN       the operators' hold-out rule (Python, DuckDB, PostgreSQL)

dashboard/cli.py registers the parser (add_parser) and calls run(); failures are its CliError.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard.clock import today_wib
from dashboard.experiment import holdout
from dashboard.experiment import plan as plans
from dashboard.i18n import error_text, format_number, t

REFERENCES = {"python": holdout.reference_python, "duckdb": holdout.reference_duckdb_sql,
              "postgres": holdout.reference_postgres_sql}
DEFAULT_SIMS = 500  # re-draws for the simulated MDE: about 2 % Monte Carlo error on power


def add_parser(commands: argparse._SubParsersAction,
               db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `experiment` command and its subcommands."""
    experiment = commands.add_parser(
        "experiment", help="plan the next blast as a randomised experiment: salt, plan, "
        "freeze, pdf, verify, reference")
    sub = experiment.add_subparsers(dest="experiment_command", required=True)

    sub.add_parser("salt", help="print a fresh salt (32 random bytes, hex) for an "
                   "individual hold-out")

    build = sub.add_parser("plan", help="build a plan file (a draft until frozen): the "
                           "assignment or the thresholds, and the power before the blast")
    db_option(build)
    build.add_argument("--design", choices=plans.DESIGNS, required=True)
    build.add_argument("--unit", choices=("regency", "province", "number"),
                       help="cluster: regency (default) or province; individual: number")
    build.add_argument("--waves", required=True, help="the experiment's wave ids, W1,W2")
    build.add_argument("--outcomes", help="cluster: turnout,invalid_rate (default both); "
                       "individual: voted,knows_valid_ballot (default both)")
    build.add_argument("--share", type=float, default=0.1,
                       help="hold-out share, above 0 and at most 0.5 (default 0.1)")
    build.add_argument("--seed", type=int,
                       help="random seed of the assignment (default: drawn, and recorded)")
    build.add_argument("--signed-off-by-name", required=True,
                       help="who approved withholding the message (required)")
    build.add_argument("--signed-off-by-role", required=True, help="their role")
    build.add_argument("--signed-off-on", type=dt.date.fromisoformat,
                       help="date of the approval, YYYY-MM-DD (default today)")
    build.add_argument("--id", dest="experiment_id",
                       help="experiment id (default: exp-<first wave>)")
    build.add_argument("--title", help="the plan's title")
    build.add_argument("--baseline-year", type=int, default=2024,
                       help="the election before the blast (default 2024)")
    build.add_argument("--outcome-year", type=int, default=2029,
                       help="the election the blast precedes (default 2029)")
    build.add_argument("--salt", help="individual: the salt (default: a fresh one)")
    build.add_argument("--respondents", type=int,
                       help="individual: survey respondents expected (default: as loaded)")
    build.add_argument("--deff", type=float, default=1.5,
                       help="individual: the survey's design effect (default 1.5)")
    build.add_argument("--compliance", type=float, default=0.9,
                       help="individual: expected share of blast numbers reached, for the "
                       "MDE of the message on those reached (default 0.9)")
    build.add_argument("--sims", type=int, default=DEFAULT_SIMS,
                       help=f"re-draws for the simulated MDE (default {DEFAULT_SIMS}; 0: none)")
    build.add_argument("--synthetic", action="store_true",
                       help="a practice plan on synthetic data: marked SYNTHETIC")
    build.add_argument("--out", type=Path, required=True, help="the plan file (JSON)")

    freeze = sub.add_parser("freeze", help="freeze a plan in the database (before its first "
                            "wave): its SHA-256 is stored and its waves belong to it")
    db_option(freeze)
    freeze.add_argument("plan", type=Path)

    pdf = sub.add_parser("pdf", help="the plan for the record as PDF; with its SHA-256 when "
                         "the database holds it frozen, else marked DRAFT")
    db_option(pdf)
    pdf.add_argument("plan", type=Path)
    pdf.add_argument("--out", type=Path, required=True)
    pdf.add_argument("--lang", choices=("id", "en"), default="id")

    verify = sub.add_parser("verify", help="check that a plan file is the frozen plan")
    db_option(verify)
    verify.add_argument("plan", type=Path)

    reference = sub.add_parser("reference", help="print the hold-out rule an operator runs "
                               "on its list (individual plans)")
    reference.add_argument("--plan", type=Path, required=True)
    reference.add_argument("--lang", choices=tuple(REFERENCES), required=True)
    reference.add_argument("--operator", help="only this operator's strata (its list then "
                           "needs no operator column)")


def run(args: argparse.Namespace) -> None:
    {"salt": _salt, "plan": _plan, "freeze": _freeze, "pdf": _pdf, "verify": _verify,
     "reference": _reference}[args.experiment_command](args)


def _cli():  # dashboard.cli imports this module: import it back only when running
    from dashboard import cli

    return cli


def _read(path: Path) -> dict:
    cli = _cli()
    try:
        return plans.read_plan(path)
    except OSError as exc:
        raise cli.CliError(t("cli.exp.plan_unreadable", cli._lang(), path=path,
                             reason=exc.strerror or exc)) from exc
    except plans.PlanError as exc:
        raise cli.CliError(f"{path}: {exc.message(cli._lang())}") from exc


def _salt(args: argparse.Namespace) -> None:
    print(holdout.new_salt())


def _freeze(args: argparse.Namespace) -> None:
    cli = _cli()
    plan = _read(args.plan)
    with cli._database(args.db) as conn:
        try:
            sha = plans.freeze(conn, plan)
        except plans.PlanError as exc:
            raise cli.CliError(exc.message(cli._lang())) from exc
        loaded = plans.waves_with_receipts(conn, plan)
    print(t("cli.exp.frozen", cli._lang(), experiment=plan["experiment_id"], sha=sha))
    if loaded:
        print(t("cli.exp.frozen_late", cli._lang(), waves=", ".join(loaded)))


def _frozen_sha(db_option: str | None, plan: dict, required: bool) -> str | None:
    """The plan's hash when the database holds it frozen; None when the database or the
    frozen plan is absent (unless required); a different frozen plan is an error."""
    from dashboard import config

    cli = _cli()
    path = config.db_path(db_option)
    if not path.exists():
        if required:
            raise cli.CliError(t("cli.no_database", cli._lang(), path=path))
        return None
    with cli._database(path, read_only=True) as conn:
        try:
            return plans.verify_plan(conn, plan)
        except plans.PlanMismatch as exc:
            if exc.key == "exp.plan.error.not_frozen" and not required:
                return None
            raise cli.CliError(exc.message(cli._lang())) from exc


def _verify(args: argparse.Namespace) -> None:
    plan = _read(args.plan)
    sha = _frozen_sha(args.db, plan, required=True)
    print(t("cli.exp.verified", _cli()._lang(), path=args.plan,
            experiment=plan["experiment_id"], sha=sha))


def _pdf(args: argparse.Namespace) -> None:
    from dashboard.export.figures import ChromiumMissing, chromium_available

    cli = _cli()
    plan = _read(args.plan)
    if not chromium_available():
        raise ChromiumMissing()
    sha = _frozen_sha(args.db, plan, required=False)
    try:
        plans.plan_pdf(plan, args.out, args.lang, sha)
    except OSError as exc:
        raise cli.CliError(cli._output_reason("plan_pdf", args.out, exc)) from exc
    lang = cli._lang()
    state = t("cli.exp.pdf_frozen", lang, sha=sha) if sha else t("cli.exp.pdf_draft", lang)
    print(t("cli.exp.pdf_written", lang, experiment=plan["experiment_id"], state=state,
            out=args.out))


def _reference(args: argparse.Namespace) -> None:
    cli = _cli()
    plan = _read(args.plan)
    if plan["design"] != "individual":
        raise cli.CliError(t("cli.exp.no_rule", cli._lang()))
    try:
        text = REFERENCES[args.lang](plan["salt"], plans.thresholds_of(plan),
                                     operator=args.operator)
    except ValueError as exc:
        raise cli.CliError(error_text(exc, cli._lang())) from exc
    print(text, end="")


# --- building a plan ------------------------------------------------------------------------


def _plan(args: argparse.Namespace) -> None:
    from dashboard.export.files import write_atomically

    cli = _cli()
    waves = [w.strip() for w in args.waves.split(",") if w.strip()]
    unit = args.unit or ("regency" if args.design == "cluster" else "number")
    outcomes = ([o.strip() for o in args.outcomes.split(",") if o.strip()] if args.outcomes
                else list(plans.OUTCOMES[args.design]))
    seed = args.seed if args.seed is not None else secrets.randbelow(2 ** 31)
    experiment_id = args.experiment_id or f"exp-{waves[0] if waves else ''}"
    try:  # what needs no database first: a wrong argument fails before any work
        plans.validate(_skeleton(args, experiment_id, unit, waves, outcomes, seed))
        if args.salt is not None:
            holdout.pads(args.salt)
    except plans.PlanError as exc:
        raise cli.CliError(exc.message(cli._lang())) from exc
    except ValueError as exc:
        raise cli.CliError(f"--salt: {error_text(exc, cli._lang())}") from exc
    with cli._database(cli._existing_db(args.db), read_only=True) as conn:
        if taken := plans.taken_waves(conn, waves):  # freeze would refuse it: say it now
            wave, other = next(iter(taken.items()))
            raise cli.CliError(plans.PlanError("wave_taken", wave=wave, other=other)
                               .message(cli._lang()))
        if args.design == "cluster":
            extra = _cluster_parts(conn, unit, args.share, seed, args.baseline_year, outcomes,
                                   args.sims)
        else:
            extra = _individual_parts(conn, args.share, args.salt, args.respondents, outcomes,
                                      args.deff, args.compliance)
    try:
        plan = plans.build_plan(
            experiment_id=experiment_id,
            title=args.title or f"Uji acak {', '.join(waves)}",
            design=args.design, unit=unit, waves=waves, outcomes=outcomes,
            holdout_share=args.share, seed=seed, baseline_year=args.baseline_year,
            outcome_year=args.outcome_year, signed_off_by=_sign_off(args),
            synthetic=args.synthetic, **extra)
    except plans.PlanError as exc:
        raise cli.CliError(exc.message(cli._lang())) from exc
    text = json.dumps(plan, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        write_atomically(args.out, text.encode("utf-8"))
    except OSError as exc:
        raise cli.CliError(cli._output_reason("plan", args.out, exc)) from exc
    print(_summary(plan, args.out, cli._lang()))


def _sign_off(args: argparse.Namespace) -> dict[str, str]:
    day = args.signed_off_on or today_wib()
    return {"name": args.signed_off_by_name.strip(), "role": args.signed_off_by_role.strip(),
            "date": day.isoformat()}


def _skeleton(args: argparse.Namespace, experiment_id: str, unit: str, waves: list[str],
              outcomes: list[str], seed: int) -> dict:
    """The plan's fields the arguments give, with a placeholder assignment, to validate the
    arguments before reading the database."""
    design = args.design
    return {
        "plan_version": plans.PLAN_VERSION, "experiment_id": experiment_id,
        "title": args.title or "-", "design": design, "unit": unit, "waves": waves,
        "outcomes": outcomes, "estimator": plans.ESTIMATORS[design],
        "holdout_share": args.share, "seed": seed, "baseline_year": args.baseline_year,
        "outcome_year": args.outcome_year, "signed_off_by": _sign_off(args),
        "assignment": ([{"unit_code": 1, "stratum": "-", "arm": "holdout"},
                        {"unit_code": 2, "stratum": "-", "arm": "blast"}]
                       if design == "cluster" else None),
        "strata": (None if design == "cluster" else
                   [{"operator": "x", "province_code": 1, "threshold": 0}]),
        "salt": None if design == "cluster" else (args.salt or "0" * 64).lower(),
        "power": None, "synthetic": args.synthetic,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _cluster_parts(conn, unit: str, share: float, seed: int, baseline_year: int,
                   outcomes: list[str], sims: int) -> dict:
    """As the Rancang uji page does it (reports/experiment.py, one rule for both): every
    regency (stratum: its province) or province (stratum: its island group), assigned by
    assignment.assign_clusters; the MDE of each outcome from the latest past pair of
    elections loaded at that level, the later one no later than the plan's baseline year
    (none loaded: no power, said so in the plan)."""
    from dashboard.reports import experiment as report

    loaded = [y for y in report.election_years(conn)[unit] if y <= baseline_year]
    pair = (loaded[-2], loaded[-1]) if len(loaded) >= 2 else None
    years = pair or (baseline_year - 1, baseline_year)
    frame = report.candidates(conn, unit, *years)
    if frame.empty:
        cli = _cli()
        raise cli.CliError(t(f"cli.exp.no_units.{unit}", cli._lang()))
    drawn, _ = report.cluster_assignment(frame, share, seed)
    values: dict[str, object] = {}
    for outcome in outcomes if pair else []:
        units = report.power_frame(frame, outcome)
        if len(units) - units["stratum"].nunique() >= 3:
            values[outcome] = (report.cluster_power(units, share, sims=sims, seed=seed)
                               if sims > 0 else _analytic_only(units, share))
    return {"assignment": drawn, "power": report.power_record(values, pair) or None}


def _analytic_only(units: pd.DataFrame, share: float):
    """--sims 0: the formula's MDE only."""
    from dashboard.experiment import power
    from dashboard.reports.experiment import ClusterPower

    sd, corr, n, k = power.within_stratum_moments(units)
    return ClusterPower(n, k, sd, corr, power.mde_cluster(sd, corr, n, share, n_strata=k),
                        float("nan"))


def _individual_parts(conn, share: float, salt: str | None, respondents: int | None,
                      outcomes: list[str], deff: float, compliance: float) -> dict:
    """The same threshold in every operator x province stratum (reports/experiment.py, as on
    the page), the salt, and the MDE of each outcome: the hold-out arm's rate is the loaded
    survey's weighted yes share (no survey: no power, not a guess)."""
    from dashboard.experiment import power
    from dashboard.reports import experiment as report

    values: dict[str, object] = {}
    for outcome in outcomes:
        rate, loaded = report.survey_rate(conn, outcome)
        n = respondents or loaded
        if rate is not None and 0 < rate < 1 and n >= 2:
            values[outcome] = power.mde_individual(rate, n, share, deff=deff,
                                                   compliance=compliance)
    return {"thresholds": report.individual_thresholds(share),
            "salt": (salt or holdout.new_salt()).lower(),
            "power": report.power_record(values, None, basis="survey") or None}


def _summary(plan: dict, out: Path, lang: str) -> str:
    lines = [t("cli.exp.plan_written", lang, experiment=plan["experiment_id"],
               design=plan["design"], unit=plan["unit"], waves=", ".join(plan["waves"]),
               share=plan["holdout_share"], seed=plan["seed"], out=out)]
    if plan["design"] == "cluster":
        held = sum(r["arm"] == "holdout" for r in plan["assignment"])
        lines.append(t("cli.exp.plan_held_out", lang, held=held,
                       units=len(plan["assignment"])))
    else:
        lines.append(t("cli.exp.plan_strata", lang, strata=len(plan["strata"]),
                       salt=plan["salt"]))
    for outcome, values in (plan["power"] or {}).items():
        simulated = values.get("mde_simulated")
        points = {"formula": format_number(values["mde_analytic"] * 100, 2, lang)}
        lines.append(t("cli.exp.plan_mde_simulated", lang, outcome=outcome, **points,
                       simulation=format_number(simulated * 100, 2, lang)) if simulated
                     else t("cli.exp.plan_mde", lang, outcome=outcome, **points))
    if not plan["power"]:
        lines.append(t("cli.exp.plan_no_power", lang))
    lines.append(t("cli.exp.plan_freeze", lang, out=out))
    return "\n".join(lines)
