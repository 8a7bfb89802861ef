"""Who is asking: a staff member, a system (API key) or an anonymous visitor, and the checks on it.

A value type in the kernel so that every package's HTTP routes can check roles and cities
without importing the package that authenticates (access). Every principal that signed in
belongs to exactly one city; `check_city` makes sure a credential of one city never reads or
writes another city's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cityloop.core.errors import PermissionDenied, Unauthenticated


class AuthenticationRequired(Unauthenticated):
    default_code = "access.authentication_required"


class ForbiddenRole(PermissionDenied):
    default_code = "access.forbidden_role"


class ForbiddenCity(PermissionDenied):
    default_code = "access.forbidden_city"


PrincipalKind = Literal["staff", "system", "anonymous"]


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    city_code: str | None = None
    staff_id: int | None = None
    username: str | None = None
    roles: frozenset[str] = frozenset()
    department_code: str | None = None
    #: The API key a system principal used (for the timeline's "who").
    api_key_id: int | None = None

    @property
    def authenticated(self) -> bool:
        return self.kind != "anonymous"


ANONYMOUS = Principal(kind="anonymous")


def check_role(principal: Principal, *roles: str) -> None:
    """Require one of `roles`; anonymous callers are asked to sign in (401), others refused (403)."""
    if not principal.authenticated:
        raise AuthenticationRequired(f"sign in required: this needs one of the roles {', '.join(roles)}")
    if not principal.roles & set(roles):
        held = ", ".join(sorted(principal.roles)) or "none"
        raise ForbiddenRole(
            f"this needs one of the roles {', '.join(roles)}; you have {held}",
            details={"required": list(roles), "held": sorted(principal.roles)},
        )


def check_city(principal: Principal, city_code: str) -> None:
    """Require a principal of city `city_code`; a credential of another city is refused (403)."""
    if not principal.authenticated:
        raise AuthenticationRequired(f"sign in required to act in city {city_code}")
    if principal.city_code != city_code:
        raise ForbiddenCity(
            f"your credential belongs to city {principal.city_code}, not to city {city_code}",
            details={"yours": principal.city_code, "requested": city_code},
        )
