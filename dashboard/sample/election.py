"""Sample KPU presidential election results per province: 2019 (34 provinces) and 2024 (38).

Real KPU figures come from the project's reference table (shared/reference/
election_province_kpu.csv): DPT and valid votes for every province, ballots cast and invalid
votes where the reference has them (19 provinces in 2024, 3 in 2019). The missing invalid
votes are synthetic: the national invalid total (reference national_totals: 4,194,536 in
2024, 3,754,905 in 2019, scaled to the domestic share of valid votes) minus the real
provincial figures, shared out in proportion to valid votes with a deterministic
province-level spread; ballots cast = valid + invalid. Rows with any synthetic figure have
source `KPU+synthetic`; fully real rows have source `KPU`.

Run ``python -m dashboard.sample.election --out sample_data`` to regenerate the file.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import config, reference
from dashboard.sample.manifest import write_section

DEFAULT_SEED = 2024
FILE_NAME = "election_results.csv"
# A copy of shared/reference/election_province_kpu.csv ships with the package, so the sample
# regenerates (and its tests run) from a clone alone.
DEFAULT_REFERENCE = Path(__file__).resolve().parents[1] / "reference" / \
    "election_province_kpu.csv"
HEADER = ("year", "province", "dpt", "ballots_cast", "valid_votes", "invalid_votes", "source")
# National totals including voters abroad (reference/national_totals.csv, KPU).
NATIONAL = {2019: {"valid": 154_257_601, "invalid": 3_754_905},
            2024: {"valid": 164_227_475, "invalid": 4_194_536}}
# Noken areas record few invalid ballots (Papua Pegunungan 2024: 0.6%); Papua before the
# split held the highlands, so its synthetic 2019 rate is pulled down the same way.
LOW_INVALID_2019 = {91: 0.35}


def _synthetic_invalid(known: pd.DataFrame, year: int, rng: np.random.Generator) -> pd.Series:
    """Invalid votes per province: real where known, otherwise the national remainder shared
    out in proportion to valid votes times a lognormal spread (sd 0.25)."""
    valid, invalid = known[f"valid_{year}"], known[f"invalid_{year}"]
    domestic_share = valid.sum() / NATIONAL[year]["valid"]
    remainder = NATIONAL[year]["invalid"] * domestic_share - invalid.sum()
    gaps = invalid.isna()
    spread = np.exp(rng.normal(0.0, 0.25, size=len(known)))
    if year == 2019:
        spread *= known["code"].map(LOW_INVALID_2019).fillna(1.0).to_numpy()
    share = (valid * spread).where(gaps, 0.0)
    filled = (share / share.sum() * remainder).round()
    return invalid.fillna(filled).astype("int64")


def election_results(reference_csv: Path = DEFAULT_REFERENCE,
                     seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The sample rows: 2019 (province names in KPU's upper case) then 2024 (title case)."""
    kpu = pd.read_csv(reference_csv, dtype="Int64")
    names = reference.provinces().set_index("province_code")["name"]
    rng = np.random.default_rng(seed)
    frames = []
    for year in (2019, 2024):
        rows = kpu[kpu[f"dpt_{year}"].notna()].reset_index(drop=True)
        invalid = _synthetic_invalid(rows, year, rng)
        real = rows[f"ballots_{year}"].notna() & rows[f"invalid_{year}"].notna()
        valid = rows[f"valid_{year}"].astype("int64")
        ballots = rows[f"ballots_{year}"].fillna(valid + invalid).astype("int64")
        province = rows["code"].map(names)
        frames.append(pd.DataFrame({
            "year": year,
            "province": province.str.upper() if year == 2019 else province,
            "dpt": rows[f"dpt_{year}"].astype("int64"), "ballots_cast": ballots,
            "valid_votes": valid, "invalid_votes": invalid,
            "source": np.where(real, "KPU", "KPU+synthetic"),
        }))
    return pd.concat(frames, ignore_index=True)[list(HEADER)]


# Odd but valid (issue 14): KPU's own tables group thousands with dots ("3.742.037"), English
# spreadsheets with commas; a few rows of 2024 are written so. Same numbers, no warning.
GROUPED_ROWS = {".": (0, 5, 11, 20, 33), ",": (2, 17)}
COUNT_COLUMNS = ("dpt", "ballots_cast", "valid_votes", "invalid_votes")


def spelled(results: pd.DataFrame) -> pd.DataFrame:
    """The rows as text, with a few counts of 2024 grouped in thousands."""
    text = results.astype(str)
    rows_2024 = results.index[results["year"] == 2024]
    for mark, positions in GROUPED_ROWS.items():
        for row in rows_2024[list(positions)]:
            for column in COUNT_COLUMNS:
                text.loc[row, column] = f"{int(results.loc[row, column]):,}".replace(",", mark)
    return text


def manifest_section(results: pd.DataFrame, seed: int) -> dict[str, object]:
    """The file's entry in MANIFEST.json: its odd-but-valid spellings and the warnings KPU's
    own figures must raise (turnout above 100 %: ballots cast over DPT, as KPU counts DPTb and
    DPK voters too)."""
    above = int((results["ballots_cast"] > results["dpt"]).sum())
    return {
        "file": FILE_NAME, "format": "election", "seed": seed,
        "regenerate": ".venv/bin/python -m dashboard.sample.election --out sample_data",
        "rows": len(results),
        "variants": {f"thousands_grouped_with_{'dot' if mark == '.' else 'comma'}": len(rows)
                     for mark, rows in GROUPED_ROWS.items()},
        "expected": {"rows_read": len(results), "loaded": len(results), "rejected": 0},
        "warnings": {"turnout_above_100": above} if above else {},
    }


def generate_election_results(out_dir: Path, reference_csv: Path = DEFAULT_REFERENCE,
                              seed: int = DEFAULT_SEED) -> Path:
    """Write election_results.csv into out_dir and its section "election" into the
    MANIFEST.json there; the same inputs give the same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE_NAME
    results = election_results(reference_csv, seed)
    spelled(results).to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    write_section(out_dir, "election", manifest_section(results, seed))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=config.SAMPLE_DIR)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    print(generate_election_results(args.out, args.reference, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
