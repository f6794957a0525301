"""The sidebar's default period (review item 9): the data's days within the campaign of the
waves catalogue, so one stray row dated a year early does not set its start."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import default_period

D = date


# (first and last day of data, the catalogue's campaign, the default period)
@pytest.mark.parametrize(("first", "last", "campaign", "expected"), [
    # the sample: a status-bar row of 7 Feb 2023 before a campaign from 1 Dec 2023
    (D(2023, 2, 7), D(2024, 2, 29), (D(2023, 12, 1), D(2024, 3, 1)),
     (D(2023, 12, 1), D(2024, 2, 29))),
    # a day after the campaign's tail is left out the same way
    (D(2023, 12, 1), D(2024, 6, 1), (D(2023, 12, 1), D(2024, 3, 1)),
     (D(2023, 12, 1), D(2024, 3, 1))),
    # data inside the campaign: its own days, not the campaign's
    (D(2023, 12, 4), D(2024, 2, 16), (D(2023, 12, 1), D(2024, 3, 1)),
     (D(2023, 12, 4), D(2024, 2, 16))),
    # the edges belong to the campaign
    (D(2023, 12, 1), D(2024, 3, 1), (D(2023, 12, 1), D(2024, 3, 1)),
     (D(2023, 12, 1), D(2024, 3, 1))),
    # a campaign of one day that the data covers
    (D(2023, 1, 1), D(2024, 1, 1), (D(2023, 6, 1), D(2023, 6, 1)),
     (D(2023, 6, 1), D(2023, 6, 1))),
    # no catalogue yet: the data's days
    (D(2023, 2, 7), D(2024, 2, 29), (None, None), (D(2023, 2, 7), D(2024, 2, 29))),
    # no day of data in the campaign (all before it, all after it): the data's days, never
    # an empty or reversed period
    (D(2022, 1, 1), D(2022, 3, 1), (D(2023, 12, 1), D(2024, 3, 1)),
     (D(2022, 1, 1), D(2022, 3, 1))),
    (D(2024, 5, 1), D(2024, 6, 1), (D(2023, 12, 1), D(2024, 3, 1)),
     (D(2024, 5, 1), D(2024, 6, 1))),
    # data ending on the campaign's first day: that one day
    (D(2023, 1, 1), D(2023, 12, 1), (D(2023, 12, 1), D(2024, 3, 1)),
     (D(2023, 12, 1), D(2023, 12, 1))),
], ids=["stray-before", "stray-after", "inside", "edges", "one-day", "no-catalogue",
        "all-before", "all-after", "touching"])
def test_default_period(first, last, campaign, expected) -> None:
    assert default_period(first, last, *campaign) == expected
