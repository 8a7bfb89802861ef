"""Open311 GeoReport v2 clients: a service request as POSTed to `/open311/v2/requests`.

The interface layer (`api/open311`) turns the form fields into this payload: the
`service_code` is one of the city's `open311_services` (a matter code, or `C` and a component
code), the location a lat/long pair, an address string or an address id, and the
`attribute[code]` fields become `attributes`. The reporter's email or phone only becomes an
opaque reporter reference; the contact is kept for staff who need it, never shown back.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cityloop.intake.channels.base import ChannelContext, NormalizedReport
from cityloop.intake.channels.common import reporter_ref, set_point
from cityloop.intake.errors import InvalidReport

ServiceCode = Annotated[str, StringConstraints(pattern=r"^C?\d{5}$")]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class Open311Attributes(BaseModel):
    """The attributes every Open311 service definition offers (see `api/open311/services.py`)."""

    model_config = ConfigDict(extra="forbid")

    urgency: Literal["normal", "urgent"] = "normal"
    landmark: str | None = Field(default=None, max_length=200)


class Open311Report(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_code: ServiceCode
    lat: float | None = None
    long: float | None = None
    address_string: str | None = Field(default=None, max_length=300)
    address_id: Short | None = None
    attributes: Open311Attributes = Open311Attributes()
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30)
    first_name: Short | None = None
    last_name: Short | None = None
    device_id: Short | None = None
    account_id: Short | None = None
    #: GeoReport v2 allows up to 4,000 characters.
    description: str = Field(default="", max_length=4000)
    media_url: str | None = Field(default=None, max_length=1000)


def category_of(service_code: str) -> tuple[str, str]:
    """(kind, code) of a service code: `09001` is a matter, `C01001` a component."""
    if service_code.startswith("C"):
        return "component", service_code[1:]
    return "matter", service_code


class Open311Channel:
    name: ClassVar[str] = "open311"
    schema: ClassVar[type[BaseModel]] = Open311Report

    def normalise(self, payload: BaseModel, context: ChannelContext) -> NormalizedReport:
        assert isinstance(payload, Open311Report)
        offered = context.parameters.get("open311_services")
        if offered is not None and payload.service_code not in offered:
            raise InvalidReport(
                f"open311 report: service_code {payload.service_code!r} is not one of the city's services",
                code="intake.unknown_service",
                details=[{"field": "service_code", "message": "not in the city's open311_services"}],
            )
        kind, code = category_of(payload.service_code)
        address = payload.address_string
        if payload.attributes.landmark:
            address = f"{address} ({payload.attributes.landmark})" if address else payload.attributes.landmark
        report = NormalizedReport(
            source="open311",
            description=payload.description.strip(),
            category_code=code,
            category_kind=kind,
            address=address,
            urgency=payload.attributes.urgency,
            reporter_ref=reporter_ref(payload.email, payload.phone),
        )
        report.contact = {
            key: value
            for key, value in (
                ("name", " ".join(p for p in (payload.first_name, payload.last_name) if p)),
                ("email", payload.email),
                ("phone", payload.phone),
            )
            if value
        }
        report.extra = {
            key: value
            for key, value in (
                ("media_url", payload.media_url),
                ("device_id", payload.device_id),
                ("account_id", payload.account_id),
                ("address_id", payload.address_id),
            )
            if value
        }
        set_point(report, payload.long, payload.lat)
        if (
            report.lon is None
            and not address
            and payload.address_id
            and "location_problem" not in report.extra
        ):
            report.extra["location_problem"] = f"address_id {payload.address_id!r} is not known to CityLoop"
        return report
