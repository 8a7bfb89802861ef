"""The channel adapter protocol, and the normalised report every adapter produces.

An adapter owns its payload schema (pydantic) and turns a valid payload into a
`NormalizedReport`. Everything after that — locating, categorising, registering — is the
same for every channel (`flows.process_report`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel


@dataclass
class NormalizedReport:
    #: The case source of DOMAIN.md §2: inspector, citizen, hotline, camera, sensor, sms, open311.
    source: str
    description: str = ""
    external_id: str | None = None
    category_code: str | None = None
    category_kind: str = "matter"
    #: Free text to categorise when no category was chosen (usually the description).
    category_text: str | None = None
    category_confidence: float | None = None
    lon: float | None = None
    lat: float | None = None
    address: str | None = None
    urgency: str = "normal"
    #: An opaque reference to the reporter (never their contact details).
    reporter_ref: str | None = None
    contact: dict[str, Any] = field(default_factory=dict)
    media: list[str] = field(default_factory=list)
    component_id: str | None = None
    self_handled: bool = False
    #: Device alarms: fold repeats into the open case of (device, alarm class).
    device_id: str | None = None
    alarm_class: str | None = None
    #: Sensors: the reading crossed back below its threshold (records recovery, no new case).
    recovery: bool = False
    #: Close at intake without a case (e.g. a hotline consultation answered on the spot).
    close_reason: str | None = None
    #: Send to human verification even when the channel is trusted (e.g. low camera confidence).
    needs_verification: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    """A channel adapter: its name, its payload schema, and how a payload becomes a report."""

    name: ClassVar[str]
    schema: ClassVar[type[BaseModel]]

    def normalise(self, payload: Any, context: ChannelContext) -> NormalizedReport: ...


def _no_device(_device_id: str) -> dict[str, Any] | None:
    return None


@dataclass(frozen=True)
class ChannelContext:
    """What an adapter may consult: the city, its parameters, and its device registry."""

    city_code: str
    parameters: dict[str, Any] = field(default_factory=dict)
    #: Look up a registered device by id (None when unknown).
    device: Callable[[str], dict[str, Any] | None] = _no_device
