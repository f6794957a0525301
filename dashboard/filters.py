"""The dashboard's shared filters (period, waves, operators, provinces), as bound parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    waves: tuple[str, ...] = field(default_factory=tuple)
    operators: tuple[str, ...] = field(default_factory=tuple)
    provinces: tuple[int, ...] = field(default_factory=tuple)

    def params(self) -> dict[str, object]:
        """Values for the $date_from, $date_to, $waves, $operators, $provinces parameters;
        an empty selection means no filter (NULL)."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "waves": list(self.waves) or None,
            "operators": list(self.operators) or None,
            "provinces": [int(p) for p in self.provinces] or None,
        }

    @property
    def active(self) -> bool:
        return any((self.date_from, self.date_to, self.waves, self.operators, self.provinces))
