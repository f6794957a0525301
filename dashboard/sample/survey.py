"""A synthetic post-election survey of the SMS blast: about 5,000 respondents, all invented.

Design (documented in sample_data/README.md): interviews 15-29 Feb 2024, after election day,
so every respondent is asked whether they voted. Provinces are sampled in proportion to DPT
2024 with at least 40 respondents each (small provinces are over-represented) and young
people answer less often, so the weights undo both: province weight x age-group weight x a
small random adjustment, scaled to mean 1. Answers are drawn from logistic models:
recipients of the SMS recall its themes, and receiving it goes with a modest rise in voting
and in knowing how to cast a valid ballot (recipients are also more urban, so part of the raw
difference is confounding). A few respondents' answers are spelled ya/tidak/tidak_tahu or 1/0.

Odd-but-valid variants, as real vendors' files have them (issue 14), each a warning or none:
a second field team (2% of respondents) writes age bands its own way ("17-24 tahun" ...:
warnings `unfamiliar_category`, kept as written), gender as P/L and urban/rural as kota/desa
(known spellings, no warning); some of the operator "other" respondents name it (Net1:
`unfamiliar_operator`); some "dont_know" answers to knows_valid_ballot are written "ragu-ragu"
(`unknown_answer`: left out of that question only, as dont_know is); 1% of weights have a
decimal comma (quoted; no warning). The section "survey" of sample_data/MANIFEST.json lists the
warnings ingest must give, computed here from what was injected.

Run ``python -m dashboard.sample.survey --out sample_data`` to regenerate the file and the
manifest's survey section (after dashboard.sample.receipts, which rewrites the manifest).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import config, reference
from dashboard.sample.manifest import write_section

DEFAULT_SEED = 2024
RESPONDENTS = 5_000
MIN_PER_PROVINCE = 40
FILE_NAME = "survey_responses.csv"
REGENERATE = ".venv/bin/python -m dashboard.sample.survey --out sample_data"
# the second field team's spellings (one to one, so the analysis' groups stay the same)
TEAM_B_SHARE = 0.02
TEAM_B_AGE = {"17-24": "17-24 tahun", "25-34": "25-34 tahun", "35-44": "35-44 tahun",
              "45-54": "45-54 tahun", "55+": "55 tahun ke atas"}
TEAM_B_GENDER = {"female": "P", "male": "L"}
TEAM_B_URBAN = {"urban": "kota", "rural": "desa"}
NAMED_OTHER_OPERATOR, NAMED_OTHER_SHARE = "Net1", 0.25
UNSURE, UNSURE_SHARE = "ragu-ragu", 0.1  # of knows_valid_ballot's dont_know answers
DECIMAL_COMMA_SHARE = 0.01
HEADER = ("respondent_id", "interview_date", "province", "age_group", "gender", "urban_rural",
          "operator", "received_sms", "recalled_theme", "voted", "knows_valid_ballot",
          "saw_hoax", "believed_hoax", "weight")
FIRST_DAY, DAYS = dt.date(2024, 2, 15), 15  # 15-29 Feb 2024
AGE_GROUPS = ("17-24", "25-34", "35-44", "45-54", "55+")
AGE_POPULATION = np.array([0.17, 0.21, 0.21, 0.18, 0.23])
AGE_SAMPLED = np.array([0.11, 0.19, 0.23, 0.22, 0.25])  # the young answer less often
# Effects on the log-odds scale per age group (young people vote a little less).
AGE_VOTED = np.array([-0.5, -0.2, 0.0, 0.2, 0.3])
AGE_KNOWS = np.array([-0.1, 0.1, 0.1, 0.0, -0.3])
AGE_RECEIVED = np.array([0.2, 0.2, 0.1, 0.0, -0.2])
AGE_SAW_HOAX = np.array([0.3, 0.2, 0.0, -0.1, -0.3])
OPERATORS = ("telkomsel", "indosat", "xl", "smartfren", "other")
OPERATOR_SHARE_JAVA = np.array([0.42, 0.29, 0.19, 0.08, 0.02])
OPERATOR_SHARE_ELSEWHERE = np.array([0.62, 0.18, 0.12, 0.06, 0.02])
OPERATOR_RECEIVED = np.array([0.1, 0.0, 0.0, -0.4, -1.0])
THEMES = ("participation", "anti_hoax", "anti_sara", "anti_polarisation", "right_to_vote")
THEME_SHARE = np.array([0.35, 0.25, 0.15, 0.15, 0.10])
JAVA_BALI = frozenset({31, 32, 33, 34, 35, 36, 51})
URBAN_SHARE = {31: 1.0, 32: 0.75, 36: 0.7, 21: 0.8, 34: 0.7, 33: 0.55, 35: 0.6, 51: 0.65}
URBAN_DEFAULT, URBAN_EAST = 0.45, 0.3
EAST = frozenset({53, 81, 82, 91, 92, 93, 94, 95, 96})  # Nusa Tenggara Timur, Maluku, Papua


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _answers(rng: np.random.Generator, p_yes: np.ndarray, dont_know: float) -> np.ndarray:
    """'yes' / 'no' with probability p_yes, and 'dont_know' with probability dont_know."""
    out = np.where(rng.random(p_yes.size) < p_yes, "yes", "no").astype(object)
    out[rng.random(p_yes.size) < dont_know] = "dont_know"
    return out


def _allocation(dpt: pd.Series, n: int) -> pd.Series:
    """Respondents per province: proportional to DPT, at least MIN_PER_PROVINCE (or an equal
    share when n is too small for that)."""
    minimum = min(MIN_PER_PROVINCE, n // len(dpt))
    fixed = pd.Series(False, index=dpt.index)
    while True:  # provinces below the minimum get it; the rest share what is left
        rest = n - minimum * fixed.sum()
        quota = rest * dpt[~fixed] / dpt[~fixed].sum()
        below = quota < minimum
        if not below.any():
            break
        fixed[below[below].index] = True
    alloc = np.floor(quota).astype(int)
    remainders = (quota - alloc).sort_values(ascending=False, kind="stable")
    alloc[remainders.index[: rest - alloc.sum()]] += 1  # largest remainders get the rest
    return pd.concat([alloc, pd.Series(minimum, index=fixed[fixed].index)]
                     ).reindex(dpt.index).astype(int)


def survey_responses(n: int = RESPONDENTS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    provinces = reference.provinces().set_index("province_code")
    dpt = reference.dpt_2024().set_index("province_code")["dpt_2024"].reindex(provinces.index)
    alloc = _allocation(dpt, n)
    code = np.repeat(alloc.index.to_numpy(), alloc.to_numpy())
    province_weight = (dpt / dpt.sum() / (alloc / n)).reindex(code).to_numpy()

    age = rng.choice(len(AGE_GROUPS), size=n, p=AGE_SAMPLED)
    age_weight = (AGE_POPULATION / AGE_SAMPLED)[age]
    weight = province_weight * age_weight * np.exp(rng.normal(0, 0.15, n))
    weight = weight / weight.mean()

    urban_share = np.array([URBAN_SHARE.get(c, URBAN_EAST if c in EAST else URBAN_DEFAULT)
                            for c in code])
    urban = rng.random(n) < urban_share
    java = np.isin(code, list(JAVA_BALI))
    cumulative = np.where(java[:, None], OPERATOR_SHARE_JAVA.cumsum(),
                          OPERATOR_SHARE_ELSEWHERE.cumsum())
    operator = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(max=len(OPERATORS) - 1)

    received = _answers(rng, _logistic(0.35 + 0.45 * urban + AGE_RECEIVED[age]
                                       + OPERATOR_RECEIVED[operator]), 0.07)
    got = received == "yes"
    theme = np.array(THEMES, dtype=object)[rng.choice(len(THEMES), size=n, p=THEME_SHARE)]
    recalls = np.where(got, rng.random(n) < 0.7, rng.random(n) < 0.06)
    recalled = np.where(recalls, theme, "")

    province_effect = rng.normal(0, 0.2, len(provinces))
    effect = pd.Series(province_effect, index=provinces.index).reindex(code).to_numpy()
    voted = _answers(rng, _logistic(1.7 + AGE_VOTED[age] - 0.15 * urban + 0.25 * got + effect),
                     0.015)
    knows = _answers(rng, _logistic(0.9 + AGE_KNOWS[age] + 0.2 * urban + 0.3 * got), 0.05)
    saw = _answers(rng, _logistic(-0.6 + 0.3 * urban + AGE_SAW_HOAX[age]), 0.04)
    believed = _answers(rng, _logistic(-1.3 + 0.3 * (age == 4) - 0.2 * got), 0.06)
    believed[saw != "yes"] = ""  # asked only of those who saw a hoax

    frame = pd.DataFrame({
        "respondent_id": [f"S24-{i:05d}" for i in range(1, n + 1)],
        "interview_date": [(FIRST_DAY + dt.timedelta(days=int(d))).isoformat()
                           for d in rng.integers(0, DAYS, n)],
        "province": provinces["name"].reindex(code).to_numpy(),
        "age_group": np.array(AGE_GROUPS, dtype=object)[age],
        "gender": np.where(rng.random(n) < 0.5, "female", "male"),
        "urban_rural": np.where(urban, "urban", "rural"),
        "operator": np.array(OPERATORS, dtype=object)[operator],
        "received_sms": received, "recalled_theme": recalled, "voted": voted,
        "knows_valid_ballot": knows, "saw_hoax": saw, "believed_hoax": believed,
        "weight": np.round(weight, 4),
    })
    frame = frame.sample(frac=1, random_state=seed).reset_index(drop=True)  # interview order
    frame["respondent_id"] = [f"S24-{i:05d}" for i in range(1, n + 1)]
    return _vendor_variants(_respell(frame, rng), rng)


def _respell(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """3% of respondents' answers in Indonesian words, 2% as 1/0 (dont_know stays a word)."""
    style = rng.random(len(frame))
    indonesian, digits = style < 0.03, (style >= 0.03) & (style < 0.05)
    words = {"yes": "ya", "no": "tidak", "dont_know": "tidak_tahu"}
    numbers = {"yes": "1", "no": "0"}
    out = frame.copy()
    for column in ("received_sms", "voted", "knows_valid_ballot", "saw_hoax", "believed_hoax"):
        values = out[column].astype(object)
        values[indonesian] = values[indonesian].map(lambda v: words.get(v, v))
        values[digits] = values[digits].map(lambda v: numbers.get(v, v))
        out[column] = values
    return out


def _vendor_variants(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The odd-but-valid spellings of the module docstring (drawn after every other draw, so
    the rest of the sample is unchanged). weight becomes text ('%.4f', some with a comma)."""
    out = frame.copy()
    team_b = rng.random(len(out)) < TEAM_B_SHARE
    for column, spellings in (("age_group", TEAM_B_AGE), ("gender", TEAM_B_GENDER),
                              ("urban_rural", TEAM_B_URBAN)):
        out.loc[team_b, column] = out.loc[team_b, column].map(spellings)
    named = (out["operator"] == "other").to_numpy() & (rng.random(len(out)) < NAMED_OTHER_SHARE)
    out.loc[named, "operator"] = NAMED_OTHER_OPERATOR
    unsure = ((out["knows_valid_ballot"] == "dont_know").to_numpy()
              & (rng.random(len(out)) < UNSURE_SHARE))
    out.loc[unsure, "knows_valid_ballot"] = UNSURE
    comma = rng.random(len(out)) < DECIMAL_COMMA_SHARE
    weight = out["weight"].map(lambda w: f"{w:.4f}")
    out["weight"] = weight.mask(comma, weight.str.replace(".", ",", regex=False))
    return out


def expected_warnings(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The warnings ingest must give for the frame written by generate_survey, from what
    _vendor_variants injected: kind, field, value, count and first line (header = line 1)."""
    found = []
    injected = [("unfamiliar_category", "age_group", set(TEAM_B_AGE.values())),
                ("unfamiliar_operator", "operator", {NAMED_OTHER_OPERATOR}),
                ("unknown_answer", "knows_valid_ballot", {UNSURE})]
    for kind, field, values in injected:
        for value in sorted(values):
            rows = np.flatnonzero((frame[field] == value).to_numpy())
            if rows.size:
                found.append({"line": int(rows[0]) + 2, "kind": kind, "field": field,
                              "value": value, "count": int(rows.size)})
    return sorted(found, key=lambda w: (w["line"], w["kind"], w["field"], w["value"]))


def manifest_section(frame: pd.DataFrame, seed: int) -> dict[str, object]:
    """The survey's entry in MANIFEST.json."""
    team_b = frame["age_group"].isin(TEAM_B_AGE.values())
    return {
        "file": FILE_NAME, "format": "survey", "regenerate": REGENERATE, "seed": seed,
        "rows": len(frame),
        "variants": {
            "age_group_team_b_spelling": int(team_b.sum()),
            "gender_p_l": int(frame["gender"].isin(TEAM_B_GENDER.values()).sum()),
            "urban_rural_kota_desa": int(frame["urban_rural"].isin(TEAM_B_URBAN.values()).sum()),
            "operator_named_other": int((frame["operator"] == NAMED_OTHER_OPERATOR).sum()),
            "knows_valid_ballot_unknown_answer": int((frame["knows_valid_ballot"]
                                                      == UNSURE).sum()),
            "weight_decimal_comma": int(frame["weight"].str.contains(",").sum()),
        },
        "expected": {"rows_read": len(frame), "loaded": len(frame), "rejected": 0},
        "warnings": expected_warnings(frame),
    }


def generate_survey(out_dir: Path, n: int = RESPONDENTS, seed: int = DEFAULT_SEED) -> Path:
    """Write survey_responses.csv into out_dir and its section "survey" into the MANIFEST.json
    there (other sections kept); the same seed gives the same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE_NAME
    frame = survey_responses(n, seed)[list(HEADER)]
    frame.to_csv(path, index=False, lineterminator="\n")
    write_section(out_dir, "survey", manifest_section(frame, seed))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=config.SAMPLE_DIR)
    parser.add_argument("--n", type=int, default=RESPONDENTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    print(generate_survey(args.out, args.n, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
