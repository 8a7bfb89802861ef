"""An arrival as the payload its channel accepts (`intake.channels`), exactly as a client sends it.

Nothing of the truth travels: no true category unless the reporter chose one (inspectors
always, app users when they picked one), no duplicate mark. Identifiers (`client_id`,
`order_no`, `alarm_id`, `reading_id`) carry a run tag so that two runs on one database are
never mistaken for retries of each other.
"""

from __future__ import annotations

from typing import Any

from cityloop.sim.scenario.model import Arrival

#: 12345 request types of the problems people call about (DOMAIN.md §5): the pipeline takes all three.
REQUEST_TYPES = ("投诉", "求助", "举报")


def payload_of(arrival: Arrival, tag: str) -> dict[str, Any]:
    """The JSON payload of `arrival` for its channel (see the module docstring)."""
    ident = f"sim-{tag}-{arrival.index}"
    at = arrival.at.isoformat()
    if arrival.channel == "inspector":
        return {
            "category_code": arrival.code,
            "lon": arrival.lon,
            "lat": arrival.lat,
            "description": f"巡查发现：{arrival.place}附近" if arrival.place else "巡查发现",
            "urgency": "urgent" if arrival.urgent else "normal",
            "self_handled": arrival.self_handled,
            "client_id": ident,
        }
    if arrival.channel == "citizen":
        body: dict[str, Any] = {
            "description": arrival.text,
            "lon": arrival.lon,
            "lat": arrival.lat,
            "phone": arrival.reporter,
            "client_id": ident,
        }
        if arrival.chosen:
            body["category_code"] = arrival.code
        return body
    if arrival.channel == "hotline":
        order: dict[str, Any] = {
            "order_no": ident,
            "request_type": REQUEST_TYPES[arrival.index % len(REQUEST_TYPES)],
            "content": arrival.text,
            "caller_phone": arrival.reporter,
            "address": arrival.place,
            "urgent": arrival.urgent,
            "received_at": at,
        }
        if arrival.with_point or not arrival.place:
            order.update(lon=arrival.lon, lat=arrival.lat)
        return order
    if arrival.channel == "camera":
        return {
            "device_id": arrival.device_id,
            "algorithm_class": arrival.device_class,
            "confidence": arrival.value,
            "detected_at": at,
            "alarm_id": ident,
        }
    if arrival.channel == "sensor":
        return {
            "device_id": arrival.device_id,
            "metric": arrival.device_class,
            "value": arrival.value,
            "unit": arrival.unit,
            "measured_at": at,
            "reading_id": ident,
        }
    raise ValueError(f"the simulator has no payload for channel {arrival.channel!r}")
