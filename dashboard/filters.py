"""The dashboard's shared filters (period, waves, operators, provinces), as bound parameters."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    waves: tuple[str, ...] = field(default_factory=tuple)
    operators: tuple[str, ...] = field(default_factory=tuple)
    provinces: tuple[int, ...] = field(default_factory=tuple)
    # A signed-in user's province scope (row-level access): the provinces this user may see.
    # Empty = the whole country. Never widened by the chosen provinces.
    scope: tuple[int, ...] = field(default_factory=tuple)

    @property
    def effective_provinces(self) -> tuple[int, ...] | None:
        """The provinces the query may read: the choice within the scope; None = all. A
        choice wholly outside the scope gives () (nothing), never the whole country."""
        chosen = tuple(int(p) for p in self.provinces)
        if not self.scope:
            return chosen or None
        scope = tuple(int(p) for p in self.scope)
        return tuple(p for p in chosen if p in scope) if chosen else scope

    def params(self) -> dict[str, object]:
        """Values for the $date_from, $date_to, $waves, $operators, $provinces parameters;
        an empty selection means no filter (NULL)."""
        provinces = self.effective_provinces
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "waves": list(self.waves) or None,
            "operators": list(self.operators) or None,
            "provinces": None if provinces is None else list(provinces),
        }

    def within(self, scope: tuple[int, ...]) -> Filters:
        """These filters limited to a user's province scope (empty scope: unchanged)."""
        return replace(self, scope=tuple(int(p) for p in scope)) if scope else self

    @property
    def active(self) -> bool:
        return any((self.date_from, self.date_to, self.waves, self.operators, self.provinces))


def default_period(first: date, last: date, campaign_first: date | None,
                   campaign_last: date | None) -> tuple[date, date]:
    """The period the sidebar starts with: the data's days (`first` to `last`, every
    channel) within the campaign (`campaign_first` to `campaign_last`: the waves catalogue's
    campaign, ingest.channels.Catalogue, whose days outside it the load flags
    `outside_campaign`), so one stray row dated a year early does not set its start. The
    data's days when the catalogue is empty or no day of data falls in the campaign."""
    start = max(first, campaign_first) if campaign_first is not None else first
    end = min(last, campaign_last) if campaign_last is not None else last
    return (start, end) if start <= end else (first, last)
