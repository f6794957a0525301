"""The pre-registered plan of an experiment: built, hashed, frozen before its first wave.

A plan is a JSON object (design, unit, waves, outcomes, estimator, hold-out share, seed,
years, who signed off withholding the message, the assignment or the hold-out thresholds and
salt, the power analysis). Its SHA-256 is over its canonical JSON (keys sorted, no spaces,
UTF-8): reformatting the file leaves it unchanged, changing any value changes it. freeze()
stores the canonical JSON and its hash once, before the first wave; the analysis reads a plan
file only when its hash is the frozen one (verify_plan). A wave belongs to one plan only.

Errors are PlanError with an i18n key ("exp.plan.error.<kind>") and its parameters, so the
CLI and the page say them in the reader's language; str() is the English text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import math
import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from dashboard import reference
from dashboard.experiment.holdout import BUCKETS
from dashboard.experiment.strata import stratum_key, stratum_name
from dashboard.i18n import (
    Translatable,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    t,
)
from dashboard.ingest.identifiers import usable_identifier, usable_wave_id
from dashboard.ingest.privacy import contains_phone_number, mask_phone_numbers
from dashboard.store import db

log = logging.getLogger(__name__)

PLAN_VERSION = 1
ARMS = ("holdout", "blast")
DESIGNS = ("cluster", "individual")
UNITS = {"cluster": ("regency", "province"), "individual": ("number",)}
# cluster outcomes are KPU rates per unit; individual ones are survey answers (yes = 1)
OUTCOMES = {"cluster": ("turnout", "invalid_rate"),
            "individual": ("voted", "knows_valid_ballot")}
PERMUTATIONS = 2000
_COMPLIER = "complier effect = ITT / compliance difference (Wald)"
ESTIMATORS = {
    "cluster": ("ANCOVA: outcome ~ blast + baseline + stratum fixed effects, HC2 interval; "
                f"effect = blast - holdout (ITT); randomisation-inference p-value "
                f"({PERMUTATIONS} permutations within strata, by the assignment rule); "
                + _COMPLIER),
    "individual": ("weighted difference in proportions (survey weights), linearised "
                   "interval; effect = blast - holdout (ITT); " + _COMPLIER),
}
FIELDS = ("plan_version", "experiment_id", "title", "design", "unit", "waves", "outcomes",
          "estimator", "holdout_share", "seed", "baseline_year", "outcome_year",
          "signed_off_by", "assignment", "strata", "salt", "power", "synthetic", "created_at")
MAX_SHARE = 0.5  # withholding more than half is no longer a hold-out
EXPERIMENT_ID_SHAPE = r"[A-Za-z0-9_-]{1,64}"  # and, as a wave id, not shaped like a number
_OPERATOR_SHAPE = re.compile(r"[a-z0-9_]{1,32}")


class PlanError(Translatable, ValueError):
    """A plan that cannot be read, frozen or used; `key` and `params` say it through i18n."""

    def __init__(self, kind: str, **params: object) -> None:
        # a value quoted from the plan (a field's name, a wave id) may be a phone number
        super().__init__(f"exp.plan.error.{kind}",
                         **{k: mask_phone_numbers(str(v)) if contains_phone_number(str(v))
                            else v for k, v in params.items()})


class PlanMismatch(PlanError):
    """The plan file is not the frozen one (or nothing is frozen under its id)."""


# --- building and hashing ----------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars as Python numbers, NaN as null, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def build_plan(*, experiment_id: str, title: str, design: str, unit: str, waves: list[str],
               outcomes: list[str], holdout_share: float, seed: int, baseline_year: int,
               outcome_year: int, signed_off_by: dict[str, str],
               assignment: pd.DataFrame | None = None,
               thresholds: dict[tuple[str, int], int] | None = None, salt: str | None = None,
               power: dict | None = None, synthetic: bool = False,
               created_at: str | None = None) -> dict:
    """The plan as a dict, validated (PlanError otherwise). assignment (cluster): unit_code,
    stratum, arm; thresholds and salt (individual): (operator, province_code) -> threshold."""
    units = None
    if assignment is not None:
        units = [{"unit_code": int(u), "stratum": str(s), "arm": str(a)}
                 for u, s, a in assignment[["unit_code", "stratum", "arm"]].itertuples(
                     index=False)]
        units.sort(key=lambda row: row["unit_code"])
    strata = None
    if thresholds is not None:
        strata = [{"operator": str(op), "province_code": int(p), "threshold": int(limit)}
                  for (op, p), limit in sorted(thresholds.items())]
    plan = _plain({
        "plan_version": PLAN_VERSION,
        "experiment_id": experiment_id,
        "title": title,
        "design": design,
        "unit": unit,
        "waves": list(waves),
        "outcomes": list(outcomes),
        "estimator": ESTIMATORS.get(design, ""),
        "holdout_share": float(holdout_share),
        "seed": int(seed),
        "baseline_year": int(baseline_year),
        "outcome_year": int(outcome_year),
        "signed_off_by": dict(signed_off_by),
        "assignment": units,
        "strata": strata,
        "salt": salt,
        "power": power,
        "synthetic": bool(synthetic),
        "created_at": created_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    })
    return validate(plan)


def canonical_json(plan: dict) -> bytes:
    """The bytes the hash is taken over: keys sorted, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps(plan, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def plan_sha256(plan: dict) -> str:
    return hashlib.sha256(canonical_json(plan)).hexdigest()


# --- reading and validating --------------------------------------------------------------


def read_plan(source: str | Path | bytes) -> dict:
    """A plan from a file (path) or its bytes, validated: PlanError says what is wrong."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        plan = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanError("not_json", detail=str(exc)) from exc
    return validate(plan)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(plan: dict, field: str) -> str:
    value = plan[field]
    if not isinstance(value, str) or not value.strip():
        raise PlanError("text", field=field)
    return value


def _choice(plan: dict, field: str, allowed: tuple[str, ...]) -> str:
    if plan[field] not in allowed:
        raise PlanError("choice", field=field, allowed=", ".join(allowed))
    return plan[field]


def _list(plan: dict, field: str) -> list:
    value = plan[field]
    if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
        raise PlanError("list", field=field)
    return value


def _date(value: object, field: str) -> None:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise PlanError("date", field=field) from exc


def validate(plan: object) -> dict:
    """The plan itself when every field is there and valid; PlanError naming the first fault."""
    if not isinstance(plan, dict):
        raise PlanError("not_object")
    if "plan_version" in plan and plan["plan_version"] != PLAN_VERSION:
        raise PlanError("version", found=plan["plan_version"], expected=PLAN_VERSION)
    for field in FIELDS:
        if field not in plan:
            raise PlanError("missing", field=field)
    for field in plan:
        if field not in FIELDS:
            raise PlanError("unknown", field=field)
    for wave in _list(plan, "waves"):  # before the id, which a wave may have named
        if not isinstance(wave, str) or not usable_wave_id(wave):
            raise PlanError("wave_id", wave=str(wave)[:40])
    if not isinstance(plan["experiment_id"], str) or not usable_identifier(
            plan["experiment_id"], EXPERIMENT_ID_SHAPE):
        raise PlanError("identifier", field="experiment_id")
    _text(plan, "title")
    _text(plan, "estimator")
    design = _choice(plan, "design", DESIGNS)
    _choice(plan, "unit", UNITS[design])
    for outcome in _list(plan, "outcomes"):
        if outcome not in OUTCOMES[design]:
            raise PlanError("choice", field="outcomes", allowed=", ".join(OUTCOMES[design]))
    share = plan["holdout_share"]
    if (not isinstance(share, (int, float)) or isinstance(share, bool)
            or not 0 < share <= MAX_SHARE):
        raise PlanError("share", value=share)
    for field in ("seed", "baseline_year", "outcome_year"):
        if not _is_int(plan[field]) or plan[field] < 0:
            raise PlanError("integer", field=field)
    if not plan["baseline_year"] < plan["outcome_year"]:
        raise PlanError("years", baseline=plan["baseline_year"], outcome=plan["outcome_year"])
    _sign_off(plan["signed_off_by"])
    if not isinstance(plan["synthetic"], bool):
        raise PlanError("boolean", field="synthetic")
    _text(plan, "created_at")
    try:
        dt.datetime.fromisoformat(plan["created_at"])
    except ValueError as exc:
        raise PlanError("date", field="created_at") from exc
    if plan["power"] is not None and not isinstance(plan["power"], dict):
        raise PlanError("power")
    if design == "cluster":
        if plan["strata"] is not None or plan["salt"] is not None:
            raise PlanError("design_fields", design=design, needed="assignment",
                            unwanted="strata, salt")
        _units(plan["assignment"])
    else:
        if plan["assignment"] is not None:
            raise PlanError("design_fields", design=design, needed="strata, salt",
                            unwanted="assignment")
        _strata(plan["strata"])
        if not isinstance(plan["salt"], str) or not re.fullmatch(r"[0-9a-f]{64}",
                                                                  plan["salt"]):
            raise PlanError("salt")
    return _masked(plan)


# the plan's free text: a phone number in it (a contact in the title, beside a name) is
# masked here, where every plan passes (read, built or frozen), so the stored JSON, its hash,
# the sign-off column, the PDF and the command line's output all hold the masked text
def _masked(plan: dict) -> dict:
    person = plan["signed_off_by"]
    return {**plan, "title": mask_phone_numbers(plan["title"]),
            "signed_off_by": {**person, "name": mask_phone_numbers(person["name"]),
                              "role": mask_phone_numbers(person["role"])}}


def _sign_off(value: object) -> None:
    """Withholding a civic-information message needs a named person's approval."""
    if not isinstance(value, dict) or set(value) != {"name", "role", "date"} or not all(
            isinstance(value[k], str) and value[k].strip() for k in ("name", "role", "date")):
        raise PlanError("sign_off")
    _date(value["date"], "signed_off_by.date")


def _units(rows: object) -> None:
    ok = isinstance(rows, list) and rows and all(
        isinstance(r, dict) and set(r) == {"unit_code", "stratum", "arm"}
        and _is_int(r["unit_code"]) and isinstance(r["stratum"], str) and r["stratum"]
        and r["arm"] in ARMS for r in rows)
    if not ok or len({r["unit_code"] for r in rows}) != len(rows) or {
            r["arm"] for r in rows} != set(ARMS):
        raise PlanError("units")


def _strata(rows: object) -> None:
    ok = isinstance(rows, list) and rows and all(
        isinstance(r, dict) and set(r) == {"operator", "province_code", "threshold"}
        and isinstance(r["operator"], str) and _OPERATOR_SHAPE.fullmatch(r["operator"])
        and _is_int(r["province_code"]) and _is_int(r["threshold"])
        and 0 <= r["threshold"] <= BUCKETS for r in rows)
    if not ok or len({(r["operator"], r["province_code"]) for r in rows}) != len(rows):
        raise PlanError("strata")


def thresholds_of(plan: dict) -> dict[tuple[str, int], int]:
    """An individual plan's thresholds keyed by (operator, province_code)."""
    return {(r["operator"], r["province_code"]): r["threshold"] for r in plan["strata"] or []}


def signed_off_text(plan: dict) -> str:
    person = plan["signed_off_by"]
    return f"{person['name']} ({person['role']}), {person['date']}"


# --- freezing -------------------------------------------------------------------------------


def freeze(conn: duckdb.DuckDBPyConnection, plan: dict, *,
           frozen_at: dt.datetime | str | None = None) -> str:
    """Store the plan and its assignment in one transaction; return its SHA-256. The same plan
    again changes nothing; another plan under a frozen id, or a wave that another plan holds
    (experiment_waves' primary key), is refused with a PlanError and nothing is stored."""
    plan = validate(plan)
    sha = plan_sha256(plan)
    experiment_id = plan["experiment_id"]
    stored = _stored_sha(conn, experiment_id)
    if stored == sha:
        return sha
    if stored is not None:
        raise PlanError("refrozen", experiment=experiment_id, stored=stored[:12],
                        given=sha[:12])
    when = frozen_at or dt.datetime.now(dt.UTC)
    waves = pd.DataFrame({"wave_id": plan["waves"], "experiment_id": experiment_id})
    units = pd.DataFrame(plan["assignment"] or [], columns=["unit_code", "stratum", "arm"])
    strata = pd.DataFrame(plan["strata"] or [],
                          columns=["operator", "province_code", "threshold"])
    for name, frame in (("plan_waves", waves), ("plan_units", units),
                        ("plan_strata", strata)):
        conn.register(name, frame)
    try:
        with db.transaction(conn):
            conn.execute(
                "INSERT INTO experiments VALUES ($id, $design, $unit, $json, $sha, $signed, "
                "$frozen_at, $synthetic)",
                {"id": experiment_id, "design": plan["design"], "unit": plan["unit"],
                 "json": canonical_json(plan).decode("utf-8"), "sha": sha,
                 "signed": signed_off_text(plan), "frozen_at": when,
                 "synthetic": plan["synthetic"]})
            conn.execute("INSERT INTO experiment_waves SELECT wave_id, experiment_id "
                         "FROM plan_waves")
            conn.execute("INSERT INTO experiment_units SELECT $id, unit_code, stratum, arm "
                         "FROM plan_units", {"id": experiment_id})
            conn.execute("INSERT INTO experiment_strata SELECT $id, operator, province_code, "
                         "threshold FROM plan_strata", {"id": experiment_id})
    except duckdb.ConstraintException:
        taken = taken_waves(conn, plan["waves"])
        if not taken:
            raise
        wave, other = next(iter(taken.items()))
        raise PlanError("wave_taken", wave=wave, other=other) from None
    finally:
        for name in ("plan_waves", "plan_units", "plan_strata"):
            conn.unregister(name)
    if loaded := waves_with_receipts(conn, plan):
        log.warning("experiment %s frozen after receipts of its wave(s) %s were loaded: a "
                    "plan is meant to be frozen before its first wave", experiment_id,
                    ", ".join(loaded))
    return sha


def taken_waves(conn: duckdb.DuckDBPyConnection, waves: list[str]) -> dict[str, str]:
    """Those of `waves` that a frozen plan holds: wave -> its experiment, in wave order."""
    rows = conn.execute("SELECT wave_id, experiment_id FROM experiment_waves "
                        "WHERE list_contains($waves, wave_id) ORDER BY wave_id",
                        {"waves": list(waves)}).fetchall()
    return dict(rows)


def waves_with_receipts(conn: duckdb.DuckDBPyConnection, plan: dict) -> list[str]:
    """The plan's waves that already have receipts (freezing after them is allowed, for a
    past experiment loaded after the fact, but worth a warning)."""
    # the rollup too: a database attached from cluster rollups (large-campaign mode) has no
    # receipts
    rows = conn.execute("SELECT wave_id FROM receipts WHERE list_contains($waves, wave_id) "
                        "UNION SELECT wave_id FROM receipt_counts WHERE list_contains($waves, "
                        "wave_id) ORDER BY wave_id", {"waves": plan["waves"]}).fetchall()
    return [row[0] for row in rows]


def _stored_sha(conn: duckdb.DuckDBPyConnection, experiment_id: str) -> str | None:
    found = conn.execute("SELECT plan_sha256 FROM experiments WHERE experiment_id = $id",
                         {"id": experiment_id}).fetchall()
    return found[0][0] if found else None


def frozen_plans(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per frozen plan: experiment_id, design, unit, plan_sha256, signed_off_by,
    frozen_at, synthetic; the latest first."""
    return conn.execute(
        "SELECT experiment_id, design, unit, plan_sha256, signed_off_by, frozen_at, synthetic "
        "FROM experiments ORDER BY frozen_at DESC, experiment_id").df()


def load_frozen(conn: duckdb.DuckDBPyConnection, experiment_id: str) -> dict:
    """The frozen plan as stored; PlanMismatch when none is frozen under the id, or when the
    stored text no longer has its stored hash (the database was edited)."""
    found = conn.execute("SELECT plan_json, plan_sha256 FROM experiments "
                         "WHERE experiment_id = $id", {"id": experiment_id}).fetchall()
    if not found:
        raise PlanMismatch("not_frozen", experiment=experiment_id)
    text, stored = found[0]
    actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if actual != stored:
        raise PlanMismatch("mismatch", experiment=experiment_id, given=actual[:12],
                           stored=stored[:12])
    return json.loads(text)


def verify_plan(conn: duckdb.DuckDBPyConnection, plan: dict) -> str:
    """The plan's SHA-256 when it is the frozen plan of its experiment; PlanMismatch naming
    both hashes (first 12 characters) when it is not, or when nothing is frozen."""
    sha = plan_sha256(plan)
    experiment_id = str(plan.get("experiment_id", ""))
    stored = _stored_sha(conn, experiment_id)
    if stored is None:
        raise PlanMismatch("not_frozen", experiment=experiment_id)
    if stored != sha:
        raise PlanMismatch("mismatch", experiment=experiment_id, given=sha[:12],
                           stored=stored[:12])
    return sha


# --- the plan for the record: HTML and PDF ------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _unit_names(unit: str) -> dict[int, str]:
    if unit == "regency":
        frame = reference.regencies()
        short = frame["name"].str.title().str.replace("Kabupaten ", "Kab. ", regex=False)
        return dict(zip(frame["regency_code"].astype(int), short, strict=True))
    return reference.province_names()


def _stratum_label(stratum: str, unit: str, lang: str) -> str:
    """'32 Jawa Barat' for a regency's province; the page's name of other strata (an island
    group of provinces)."""
    if unit == "regency" and stratum.isdigit():
        return f"{stratum} {stratum_name(stratum, unit, lang)}"
    return stratum_name(stratum, unit, lang)


def strata_summary(plan: dict) -> pd.DataFrame:
    """Per stratum: cluster plans count units per arm (stratum, units, holdout, blast);
    individual plans give each stratum's threshold and share (operator, province_code,
    threshold, share)."""
    if plan["design"] == "cluster":
        frame = pd.DataFrame(plan["assignment"])
        counts = frame.pivot_table(index="stratum", columns="arm", values="unit_code",
                                   aggfunc="count", fill_value=0)
        counts = counts.reindex(columns=list(ARMS), fill_value=0).reset_index()
        counts["units"] = counts["holdout"] + counts["blast"]
        counts = counts.iloc[sorted(range(len(counts)),
                                    key=lambda i: stratum_key(counts["stratum"].iloc[i]))]
        return counts[["stratum", "units", "holdout", "blast"]].reset_index(drop=True)
    frame = pd.DataFrame(plan["strata"])
    frame["share"] = frame["threshold"] / BUCKETS
    return frame[["operator", "province_code", "threshold", "share"]]


def _rows(cells: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    return "".join("<tr>" + "".join(
        f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
        for i, c in enumerate(row)) + "</tr>" for row in cells)


def _head(labels: list[str], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    return "<thead><tr>" + "".join(
        f'<th class="num">{_e(x)}</th>' if i in numeric else f"<th>{_e(x)}</th>"
        for i, x in enumerate(labels)) + "</tr></thead>"


def _points(value: object, lang: str) -> str:
    """An effect on a proportion in percentage points: 0.0123 -> '1,23 poin'."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return format_number(None, 2, lang)
    return t("exp.plan.points", lang, value=format_number(value * 100, 2, lang))


def _labels(keys: list[str], lang: str) -> list[str]:
    return [t(f"exp.plan.{key}", lang) for key in keys]


def _power_rows(plan: dict, lang: str) -> list[list[str]]:
    """One row per outcome of the power analysis: MDE analytic and simulated (points), the
    units or respondents, the data it rests on."""
    rows = []
    power = plan["power"] or {}
    ordered = [o for o in plan["outcomes"] if o in power] + sorted(
        o for o in power if o not in plan["outcomes"])
    for outcome, values in ((o, power[o]) for o in ordered):
        if not isinstance(values, dict):
            continue
        n = values.get("n_units", values.get("n"))
        years = values.get("years")
        basis = (f"{years[0]}→{years[1]}" if isinstance(years, list) and len(years) == 2
                 else _e(values.get("basis", "")))
        rows.append([_e(t(f"exp.plan.outcome.{outcome}", lang)),
                     _points(values.get("mde_analytic"), lang),
                     _points(values.get("mde_simulated"), lang),
                     format_number(n, 0, lang), basis])
    return rows


def plan_html(plan: dict, lang: str, sha256: str | None = None) -> str:
    """The plan for the record, one self-contained A4 HTML page set in `lang`: design,
    outcomes, estimator, waves, share, seed, sign-off, the assignment per stratum, the power
    analysis, and an appendix with every unit's arm or every stratum's threshold. With
    `sha256` (frozen) the hash is printed in full; without, it is marked a draft."""
    from dashboard.reports.brief import CSS, page_number_css

    design, unit = plan["design"], plan["unit"]
    status = (f'<div class="status frozen"><b>{_e(t("exp.plan.frozen_mark", lang))}</b> '
              f'SHA-256: <code>{_e(sha256)}</code></div>' if sha256 else
              f'<div class="status draft"><b>{_e(t("exp.plan.draft_mark", lang))}</b> '
              f'{_e(t("exp.plan.draft_note", lang))}</div>')
    synthetic = (f'<div class="status synthetic"><b>{_e(t("exp.plan.synthetic_mark", lang))}'
                 f'</b> {_e(t("exp.plan.synthetic_note", lang))}</div>'
                 if plan["synthetic"] else "")
    person = plan["signed_off_by"]
    facts = [
        (t("exp.plan.experiment_id", lang), _e(plan["experiment_id"])),
        (t("exp.plan.design", lang), _e(t(f"exp.plan.design.{design}", lang))),
        (t("exp.plan.unit", lang), _e(t(f"exp.plan.unit.{unit}", lang))),
        (t("exp.plan.waves", lang), _e(", ".join(plan["waves"]))),
        (t("exp.plan.share", lang), format_percent(plan["holdout_share"], 1, lang)),
        (t("exp.plan.seed", lang), _e(plan["seed"])),
        (t("exp.plan.years", lang), _e(t("exp.plan.years_value", lang,
                                         baseline=plan["baseline_year"],
                                         outcome=plan["outcome_year"]))),
        (t("exp.plan.created", lang), _e(format_datetime(plan["created_at"], lang))),
    ]
    if plan["salt"]:
        facts.append((t("exp.plan.salt", lang), f'<code>{_e(plan["salt"])}</code>'))
    fact_rows = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in facts)
    outcomes = "".join(f"<li><b>{_e(t(f'exp.plan.outcome.{o}', lang))}</b>: "
                       f"{_e(t(f'exp.plan.outcome.{o}.def', lang))}</li>"
                       for o in plan["outcomes"])
    summary = strata_summary(plan)
    if design == "cluster":
        table = (_head([t("exp.plan.stratum", lang), t("exp.plan.units", lang),
                        t("exp.plan.arm.holdout", lang), t("exp.plan.arm.blast", lang)],
                       {1, 2, 3})
                 + _rows([[_e(_stratum_label(s, unit, lang)), format_number(u, 0, lang),
                           format_number(h, 0, lang), format_number(b, 0, lang)]
                          for s, u, h, b in summary.itertuples(index=False)]
                         + [[f"<b>{_e(t('exp.plan.total', lang))}</b>",
                             format_number(summary["units"].sum(), 0, lang),
                             format_number(summary["holdout"].sum(), 0, lang),
                             format_number(summary["blast"].sum(), 0, lang)]], {1, 2, 3}))
        names = _unit_names(unit)
        units = pd.DataFrame(plan["assignment"])

        def listed(frame: pd.DataFrame) -> str:
            return "; ".join(f"{code} {_e(names.get(code, '–'))}"
                             for code in sorted(frame["unit_code"]))

        listing = [[_e(_stratum_label(stratum, unit, lang)),
                    listed(group[group["arm"] == "holdout"]),
                    listed(group[group["arm"] == "blast"])]
                   for stratum, group in sorted(units.groupby("stratum"),
                                                key=lambda g: stratum_key(g[0]))]
        appendix = (f"<h2>{_e(t('exp.plan.appendix_units', lang))}</h2>"
                    '<table class="small long">'
                    + _head(_labels(["stratum", "arm.holdout", "arm.blast"], lang))
                    + f"{_rows(listing)}</table>")
    else:
        by_operator = summary.groupby("operator").agg(
            strata=("province_code", "count"), low=("threshold", "min"),
            high=("threshold", "max")).reset_index()
        table = (_head([t("exp.plan.operator", lang), t("exp.plan.strata_count", lang),
                        t("exp.plan.threshold", lang), t("exp.plan.share", lang)], {1, 2, 3})
                 + _rows([[_e(op), format_number(n, 0, lang),
                           format_number(lo, 0, lang) if lo == hi else
                           f"{format_number(lo, 0, lang)}–{format_number(hi, 0, lang)}",
                           format_percent(lo / BUCKETS, 2, lang) if lo == hi else
                           f"{format_percent(lo / BUCKETS, 2, lang)}–"
                           f"{format_percent(hi / BUCKETS, 2, lang)}"]
                          for op, n, lo, hi in by_operator.itertuples(index=False)],
                         {1, 2, 3}))
        pivot = summary.pivot_table(index="province_code", columns="operator",
                                    values="threshold", aggfunc="first")
        provinces = reference.province_names()
        listing = [[_e(code), _e(provinces.get(int(code), "–"))]
                   + [format_number(v, 0, lang) for v in row]
                   for code, row in zip(pivot.index, pivot.to_numpy(), strict=True)]
        numeric = set(range(2, 2 + len(pivot.columns)))
        appendix = (f"<h2>{_e(t('exp.plan.appendix_thresholds', lang))}</h2>"
                    f"<p>{_e(t('exp.plan.appendix_thresholds_note', lang))}</p>"
                    '<table class="small long">'
                    + _head(_labels(["code", "province"], lang) + list(pivot.columns), numeric)
                    + f"{_rows(listing, numeric)}</table>")
    power_rows = _power_rows(plan, lang)
    power_head = _head(_labels(["outcome", "mde_analytic", "mde_simulated", "n",
                                "power_basis"], lang), {1, 2, 3})
    power = (f"<table>{power_head}{_rows(power_rows, {1, 2, 3})}</table>"
             f"<p class='caveat'>{_e(t('exp.plan.power_note', lang))}</p>"
             if power_rows else f"<p class='empty'>{_e(t('exp.plan.no_power', lang))}</p>")
    waves = ", ".join(plan["waves"])
    share = format_percent(plan["holdout_share"], 1, lang)
    verify = (t("exp.plan.hash_note", lang, experiment=plan["experiment_id"]) if sha256
              else t("exp.plan.draft_hash_note", lang))
    body = f"""
<section class="page">
<div class="masthead"><div>
<div class="kicker">{_e(t("exp.plan.kicker", lang))}</div>
<h1>{_e(plan["title"])}</h1>
<div class="period">{_e(t(f"exp.plan.design.{design}", lang))} · {_e(waves)}</div>
</div></div>
{status}{synthetic}
<table class="facts">{fact_rows}</table>
<div class="box"><h3>{_e(t("exp.plan.signoff", lang))}</h3>
<p>{_e(t("exp.plan.signoff_text", lang, name=person["name"], role=person["role"],
         date=format_date(person["date"], lang)))}</p></div>
<h2>{_e(t("exp.plan.what", lang))}</h2>
<p>{_e(t(f"exp.plan.design.{design}.text", lang, share=share))}</p>
<h3>{_e(t("exp.plan.outcomes", lang))}</h3><ul>{outcomes}</ul>
<h3>{_e(t("exp.plan.estimator", lang))}</h3>
<p><code class="estimator">{_e(plan["estimator"])}</code></p>
<p>{_e(t("exp.plan.itt_text", lang))}</p>
<h3>{_e(t("exp.plan.assignment", lang))}</h3>
<p>{_e(t(f"exp.plan.assignment.{design}", lang, seed=plan["seed"]))}</p>
<table class="small long">{table}</table>
<h3>{_e(t("exp.plan.power", lang))}</h3>
{power}
<div class="box"><h3>{_e(t("exp.plan.hash", lang))}</h3><p>{_e(verify)}</p>
{f'<p><code class="sha">{_e(sha256)}</code></p>' if sha256 else ""}</div>
</section>
<section class="page appendix">{appendix}</section>"""
    watermark = (f'<div class="watermark">{_e(t("exp.plan.draft_mark", lang))}</div>'
                 if not sha256 else "")
    css = CSS + page_number_css(lang) + _PLAN_CSS
    if plan["synthetic"]:  # the mark on every printed page, not only the first
        mark = t("exp.plan.synthetic_mark", lang).replace('"', "")
        box = (f'@top-left {{ content: "{mark}"; font-family: "DejaVu Sans", Arial, '
               "sans-serif; font-size: 8pt; font-weight: bold; color: #8A6D00; }")
        css += f"@page {{ {box} }} @page wide {{ {box} }}"
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(plan['title'])}</title><style>{css}</style></head>"
            f"<body>{watermark}<main>{body}</main></body></html>")


_PLAN_CSS = """
@page { size: A4; margin: 14mm; }
.status { padding: 2mm 3mm; margin: 0 0 2mm; border-radius: 1.5mm; font-size: 9pt;
          overflow-wrap: anywhere; }
.status.frozen { background: #E8F4EE; border: 1px solid #00734F; }
.status.draft { background: #FDF3EC; border: 1px solid #D55E00; }
.status.synthetic { background: #FFF8D6; border: 1px solid #B38F00; }
table.facts th { width: 32%; background: none; border-bottom: 1px solid #e1e5ea; }
table.facts { margin-bottom: 3mm; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; overflow-wrap: anywhere; }
code.sha { font-size: 9pt; }
code.estimator { font-size: 8.5pt; display: block; white-space: normal; }
table.small { font-size: 7.5pt; }
table.small td, table.small th { padding: 0.6mm 1.5mm; }
table.long { break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center;
             transform: rotate(-30deg); font-size: 44pt; font-weight: bold;
             color: rgba(213, 94, 0, 0.12); z-index: 0; pointer-events: none; }
main { position: relative; z-index: 1; }
"""


def plan_pdf(plan: dict, path: str | Path, lang: str, sha256: str | None = None) -> Path:
    """The plan's HTML printed to an A4 PDF at `path` by headless Chromium."""
    from dashboard.reports.brief import html_to_pdf

    return html_to_pdf(plan_html(plan, lang, sha256).encode("utf-8"), path)
