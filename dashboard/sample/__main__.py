"""Regenerate the whole sample in the order the manifest needs: receipts and waves first (they
write MANIFEST.json whole), then the files that add their own section (the simulated
experiment last: it builds on the receipts and election samples).
    python -m dashboard.sample [--out sample_data]"""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard import config
from dashboard.sample import channels, election, experiment, hoax, receipts, survey


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.sample", description=__doc__)
    parser.add_argument("--out", type=Path, default=config.SAMPLE_DIR)
    out = parser.parse_args(argv).out
    receipts.generate_sample_receipts(out)
    for written in (survey.generate_survey(out), election.generate_election_results(out),
                    hoax.generate_hoax_register(out), *channels.generate_channels(out),
                    *experiment.generate_experiment(out)):  # last: it builds on the others
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
