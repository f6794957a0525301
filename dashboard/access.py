"""Who may see what: roles and province scopes from an access file, for signed-in users.

Without $PEMILU_ACCESS the app runs in local single-user mode (every page, the whole country)
and says so. With it, users sign in through the OIDC provider of Streamlit's `st.login`
(`[auth]` in .streamlit/secrets.toml) and the access file decides, by e-mail address:

    [[users]]
    email = "analis@example.go.id"
    roles = ["analyst"]          # admin | analyst | leadership (one or more)
    provinces = [31, 32]         # optional: only these provinces (row-level); absent = all

Roles: admin loads data and sees data quality; analyst sees every analysis and export;
leadership sees the summary pages and their exports. A signed-in address that is not in the
file gets no page at all. This module has no Streamlit in it, so it is tested directly.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.config import ConfigError

ACCESS_ENV = "PEMILU_ACCESS"

ROLE_PAGES: dict[str, frozenset[str]] = {
    "admin": frozenset({"kualitas_data"}),
    "analyst": frozenset({"ringkasan", "ringkasan_mingguan", "jangkauan", "kanal",
                          "partisipasi", "hoaks", "rancang_uji"}),
    "leadership": frozenset({"ringkasan", "ringkasan_mingguan", "kanal"}),
}
PAGE_ORDER = ("ringkasan", "ringkasan_mingguan", "jangkauan", "kanal", "partisipasi", "hoaks",
              "rancang_uji", "kualitas_data")


@dataclass(frozen=True)
class Access:
    """What one session may do."""

    email: str
    roles: frozenset[str]
    provinces: tuple[int, ...] = ()  # empty: the whole country
    local: bool = False  # local single-user mode (no sign-in configured)

    @property
    def pages(self) -> tuple[str, ...]:
        allowed = frozenset().union(*(ROLE_PAGES[r] for r in self.roles))
        return tuple(p for p in PAGE_ORDER if p in allowed)

    def may_load_data(self) -> bool:
        return "admin" in self.roles


LOCAL = Access(email="", roles=frozenset(ROLE_PAGES), local=True)


def access_file() -> Path | None:
    """The access file named by $PEMILU_ACCESS; None = local single-user mode."""
    value = os.environ.get(ACCESS_ENV, "").strip()
    return Path(value) if value else None


def load_rules(path: Path, known_provinces: set[int]) -> dict[str, Access]:
    """The access file as e-mail (lower-case) -> Access; a wrong file is a ConfigError that
    names the entry, never a silent default."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{ACCESS_ENV}={path}: the access file does not exist") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    users = data.get("users")
    if not isinstance(users, list) or not users:
        raise ConfigError(f"{path}: no [[users]] entries")
    rules: dict[str, Access] = {}
    for number, entry in enumerate(users, start=1):
        where = f"{path}: [[users]] entry {number}"
        email = str(entry.get("email", "")).strip().lower() if isinstance(entry, dict) else ""
        if "@" not in email:
            raise ConfigError(f"{where}: needs an e-mail address")
        roles = entry.get("roles")
        if (not isinstance(roles, list) or not roles
                or any(r not in ROLE_PAGES for r in roles)):
            raise ConfigError(f"{where} ({email}): roles must be a list of "
                              f"{', '.join(ROLE_PAGES)}")
        provinces = entry.get("provinces", [])
        if (not isinstance(provinces, list)
                or any(not isinstance(p, int) or p not in known_provinces for p in provinces)):
            raise ConfigError(f"{where} ({email}): provinces must be a list of province codes")
        if provinces and "admin" in roles:
            # data loading and the file log are per file, not per province
            raise ConfigError(f"{where} ({email}): an admin cannot have a province scope")
        if email in rules:
            raise ConfigError(f"{where}: {email} is listed twice")
        rules[email] = Access(email=email, roles=frozenset(roles),
                              provinces=tuple(sorted(set(provinces))))
    return rules


def access_for(user: Mapping[str, object], rules: Mapping[str, Access]) -> Access | None:
    """The signed-in user's access, None when not signed in, not verified or not in the file.
    The e-mail address decides the access, so the provider must say it verified it."""
    if not user.get("is_logged_in"):
        return None
    email = str(user.get("email") or "").strip().lower()
    if not email or not email_verified(user.get("email_verified")):
        return None
    return rules.get(email)


def email_verified(claim: object) -> bool:
    """Whether an `email_verified` claim says yes: boolean true, or the string "true" in any
    case (AWS Cognito and some older providers send the claim as a string). Anything else, a
    missing claim included, is no: a string "false" is truthy, and a provider that does not
    vouch for the address lets anyone register someone else's."""
    if isinstance(claim, bool):
        return claim
    return isinstance(claim, str) and claim.strip().lower() == "true"
