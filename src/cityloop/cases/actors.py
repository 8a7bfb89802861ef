"""Who acts on a case: a staff member, a system (with the rule and confidence that decided), or a citizen."""

from __future__ import annotations

from dataclasses import dataclass, field

from cityloop.core.principal import ForbiddenCity, Principal
from cityloop.org.models import Staff


@dataclass(frozen=True)
class Actor:
    kind: str  # staff | system | citizen
    city_code: str
    roles: frozenset[str] = field(default_factory=frozenset)
    staff_id: int | None = None
    name: str | None = None
    department_code: str | None = None
    #: For system actors: the rule that decided and its confidence (0–1).
    rule: str | None = None
    confidence: float | None = None
    #: The role in which the actor took the last action (set by the transition).
    role: str | None = None

    def check_city(self, city_code: str) -> None:
        """Refuse (403 `access.forbidden_city`) an actor of another city than `city_code`."""
        if self.city_code != city_code:
            raise ForbiddenCity(
                f"your credential belongs to city {self.city_code}, not to city {city_code}",
                details={"yours": self.city_code, "requested": city_code},
            )

    @classmethod
    def from_principal(
        cls, principal: Principal, *, rule: str | None = None, confidence: float | None = None
    ) -> Actor:
        """The actor behind an authenticated request (staff token or system API key)."""
        return cls(
            kind="staff" if principal.kind == "staff" else "system",
            city_code=principal.city_code or "",
            roles=principal.roles,
            staff_id=principal.staff_id,
            name=principal.username or (f"api-key:{principal.api_key_id}" if principal.api_key_id else None),
            department_code=principal.department_code,
            rule=rule,
            confidence=confidence,
        )

    @classmethod
    def from_staff(cls, staff: Staff) -> Actor:
        """A staff member acting in person (e.g. from a command or a simulation, without a token)."""
        return cls(
            kind="staff",
            city_code=staff.city_id,
            roles=frozenset(staff.roles),
            staff_id=staff.id,
            name=staff.username,
            department_code=staff.department.code if staff.department else None,
        )

    @classmethod
    def system(
        cls, city_code: str, *, rule: str, roles: frozenset[str], confidence: float | None = None
    ) -> Actor:
        """CityLoop itself, acting by `rule` (e.g. the deadline sweep, an automatic acceptance)."""
        return cls(
            kind="system", city_code=city_code, roles=roles, name="cityloop", rule=rule, confidence=confidence
        )

    @classmethod
    def citizen(cls, city_code: str, ref: str) -> Actor:
        return cls(kind="citizen", city_code=city_code, roles=frozenset({"citizen"}), name=ref)

    def acting_as(self, role: str) -> Actor:
        return Actor(
            self.kind, self.city_code, self.roles, self.staff_id, self.name, self.department_code,
            self.rule, self.confidence, role,
        )  # fmt: skip
