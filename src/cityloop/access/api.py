"""HTTP routes of the access package (mounted under /api/v1): sign in for a bearer token, sign out.

`POST /auth/token` takes JSON or an HTML form (city, username, password). A wrong password
and an unknown user get the same 401 access.invalid_credentials, so the answer reveals nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from cityloop.access.actions import do_issue_token, do_revoke_token
from cityloop.access.errors import InvalidToken
from cityloop.core.clock import get_clock
from cityloop.core.principal import AuthenticationRequired, Principal
from cityloop.db.deps import SESSION, current_principal

router = APIRouter(prefix="/auth", tags=["access"])


class TokenIn(BaseModel):
    city: str = Field(pattern=r"^\d{6}$", description="Division code of the city.")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


async def _token_in(request: Request) -> TokenIn:
    """The sign-in fields from a JSON body or an urlencoded form."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        if content_type == "application/x-www-form-urlencoded":
            form = {
                k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()
            }
            return TokenIn.model_validate(form)
        return TokenIn.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        errors = [{**err, "loc": ("body", *err["loc"])} for err in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc


_TOKEN_SCHEMA = TokenIn.model_json_schema()
_TOKEN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _TOKEN_SCHEMA},
            "application/x-www-form-urlencoded": {"schema": _TOKEN_SCHEMA},
        },
    }
}


@router.post(
    "/token",
    response_model=TokenOut,
    openapi_extra=_TOKEN_BODY,
    responses={401: {"description": "access.invalid_credentials"}},
)
def issue_token(body: TokenIn = Depends(_token_in), session: Session = SESSION) -> TokenOut:
    """Sign a staff member in; send the token back as `Authorization: Bearer <token>`."""
    row, secret = do_issue_token(
        session, city_code=body.city, username=body.username, password=body.password, now=get_clock().now()
    )
    return TokenOut(token=secret, expires_at=row.expires_at)


@router.post("/logout", status_code=204, response_class=Response)
def logout(
    request: Request,
    principal: Principal = Depends(current_principal),
    session: Session = SESSION,
) -> Response:
    """Sign out: the bearer token of this request stops working at once."""
    if not principal.authenticated:
        raise AuthenticationRequired("sign out needs the bearer token to revoke")
    if principal.kind != "staff":
        raise InvalidToken(
            "sign out revokes a staff bearer token; revoke an API key with `cityloop apikey revoke`"
        )
    secret = request.headers.get("authorization", "").strip().partition(" ")[2].strip()
    do_revoke_token(session, city_code=principal.city_code or "", secret=secret, now=get_clock().now())
    return Response(status_code=204)
