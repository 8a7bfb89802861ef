from __future__ import annotations

import pytest

from cityloop.access import ANONYMOUS, Principal, check_city, check_role
from cityloop.access.errors import AuthenticationRequired, ForbiddenCity, ForbiddenRole
from cityloop.core.errors import PermissionDenied

OPERATOR = Principal(
    kind="staff", city_code="330100", staff_id=1, username="op", roles=frozenset({"operator"})
)
CAMERA = Principal(kind="system", city_code="110100", roles=frozenset({"inspector"}), api_key_id=3)


def test_check_role_passes_with_any_listed_role() -> None:
    check_role(OPERATOR, "operator")
    check_role(OPERATOR, "admin", "operator")
    check_role(CAMERA, "inspector")


def test_check_role_refuses_other_roles() -> None:
    with pytest.raises(ForbiddenRole) as err:
        check_role(OPERATOR, "admin", "leader")
    assert isinstance(err.value, PermissionDenied)
    assert (err.value.code, err.value.status) == ("access.forbidden_role", 403)
    assert err.value.message == "this needs one of the roles admin, leader; you have operator"
    assert err.value.details == {"required": ["admin", "leader"], "held": ["operator"]}


def test_anonymous_is_asked_to_sign_in() -> None:
    with pytest.raises(AuthenticationRequired) as err:
        check_role(ANONYMOUS, "operator")
    assert (err.value.code, err.value.status) == ("access.authentication_required", 401)
    with pytest.raises(AuthenticationRequired):
        check_city(ANONYMOUS, "330100")


def test_check_city() -> None:
    check_city(OPERATOR, "330100")
    check_city(CAMERA, "110100")
    with pytest.raises(ForbiddenCity) as err:
        check_city(OPERATOR, "110100")
    assert (err.value.code, err.value.status) == ("access.forbidden_city", 403)
    assert err.value.message == "your credential belongs to city 330100, not to city 110100"
    with pytest.raises(ForbiddenCity):
        check_city(CAMERA, "330100")
