"""Unique reach per 2019 province unit (queries/marts/reach_unit_2019.sql) and the Partisipasi
page's reach_per_voter built on it: a number reached in two of Papua's 2022 provinces counts
once in the 2019 unit Papua, not once per province. Expected counts are the distinct numbers
of each case's rows, worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis import participation as pa
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import db
from tests.conftest import HEADER, receipt, write
from tests.test_participation_channels import ELECTION, insert_election

WAVES = ["wave_id,channel,sent_date,theme,message_text",
         "SMS01,sms,2023-12-05,turnout,a", "SMS02,sms,2023-12-12,turnout,b"]
DAY = {"SMS01": "2023-12-05", "SMS02": "2023-12-12"}
# DPT 2024 of the 2019 unit Papua in ELECTION: 91 + 93 + 94 + 95 = 100 + 200 + 300 + 400
PAPUA_DPT = 1000


def rows(*cells: tuple[str, str, str, str]) -> list[str]:
    """(number, province, wave, status) -> receipt lines."""
    return [receipt(f"M{i}", msisdn=number, province=province, wave=wave, status=status,
                    error="000" if status == "DELIVRD" else "027",
                    submitted=f"{DAY[wave]} 10:00:00", done=f"{DAY[wave]} 10:00:30")
            for i, (number, province, wave, status) in enumerate(cells)]


CASES = {  # receipts -> unique reach per 2019 unit (distinct numbers delivered in the unit)
    "one number in Papua and Papua Tengah": (
        rows(("081200000001", "91", "SMS01", "DELIVRD"),
             ("081200000001", "94", "SMS02", "DELIVRD")),
        {91: 1}),
    "one number in three parts of Papua, another only in Papua Selatan": (
        rows(("081200000001", "91", "SMS01", "DELIVRD"),
             ("081200000001", "93", "SMS01", "DELIVRD"),
             ("081200000001", "95", "SMS02", "DELIVRD"),
             ("081200000002", "93", "SMS02", "DELIVRD")),
        {91: 2}),
    "Papua Barat and Papua Barat Daya; a failed receipt reaches no one": (
        rows(("081200000003", "92", "SMS01", "DELIVRD"),
             ("081200000003", "96", "SMS02", "DELIVRD"),
             ("081200000004", "96", "SMS02", "UNDELIV")),
        {92: 1}),
    "a number in Papua Tengah and Jawa Barat counts in both units": (
        rows(("081200000005", "94", "SMS01", "DELIVRD"),
             ("081200000005", "32", "SMS02", "DELIVRD")),
        {32: 1, 91: 1}),
}


@pytest.fixture
def loaded(request, conn, tmp_path):
    lines, _ = CASES[request.param]
    insert_election(conn)
    assert ingest_file(conn, write(tmp_path, "waves.csv", WAVES)).ok
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, *lines])).ok
    return conn


@pytest.mark.parametrize("approximate", [False, True])
@pytest.mark.parametrize("loaded", list(CASES), indirect=True)
def test_unit_reach_counts_a_number_once_per_unit(loaded, request, approximate):
    _, expected = CASES[request.node.callspec.params["loaded"]]
    mart = db.run(loaded, "marts/reach_unit_2019", approximate=approximate,
                  **Filters().params())
    assert dict(zip(mart["province_code"], mart["unique_reach"], strict=True)) == expected
    assert mart["unique_reach_approximate"].eq(approximate).all()


@pytest.mark.parametrize("loaded", list(CASES), indirect=True)
def test_reach_per_voter_of_papua_counts_a_number_once(loaded, request):
    _, expected = CASES[request.node.callspec.params["loaded"]]
    frame = tables.participation_provinces(loaded, Filters(), approximate=False)
    papua = frame.set_index("province_code").loc[91]
    assert papua["dpt_2024"] == PAPUA_DPT
    assert papua["reach_per_voter"] == pytest.approx(expected.get(91, 0) / PAPUA_DPT)


def test_province_frame_refuses_to_sum_unique_reach_over_papua():
    exposure = pd.DataFrame({"province_code": [91, 94], "delivered": [2, 2],
                             "unique_reach": [1, 1]})
    election = pd.DataFrame(ELECTION, columns=["year", "province_code", "dpt", "ballots_cast",
                                               "valid_votes", "invalid_votes"])
    with pytest.raises(ValueError, match="split off since 2019"):
        pa.province_frame(election, exposure)
    unit = pd.DataFrame({"province_code": [91], "unique_reach": [1]})
    frame = pa.province_frame(election, exposure, unit_reach=unit).set_index("province_code")
    assert frame.loc[91, "reach_per_voter"] == pytest.approx(1 / PAPUA_DPT)
    assert frame.loc[91, "delivered_per_voter"] == pytest.approx(4 / PAPUA_DPT)
