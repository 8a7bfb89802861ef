"""The two response formats of GeoReport v2 ("Response formats"): JSON and XML, both UTF-8.

A resource is plain data (dicts, lists, strings, numbers, booleans, None). JSON writes it as
is; XML writes the spec's element tree: a list becomes a root element holding one element
per item (`<services><service>…`, `<service_requests><request>…`, `<errors><error>…`), a
nested list repeats its singular name (`<attributes><attribute>…`), None an empty element.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi.responses import Response

from cityloop.api.open311.errors import Open311Error

Format = Literal["json", "xml"]
FORMATS: tuple[Format, ...] = ("json", "xml")
MEDIA_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

#: The element name of one item of each list, as the spec names them.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "timeline": "event",
}

# Characters XML 1.0 cannot carry at all; text that holds them shows U+FFFD instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def check_format(value: str) -> Format:
    """The response format named by the path suffix; anything but json or xml is not a resource here."""
    if value == "json":
        return "json"
    if value == "xml":
        return "xml"
    raise Open311Error(404, f"unknown format {value!r}: use .json or .xml")


def iso(value: datetime | None, timezone: str) -> str | None:
    """ISO-8601 with the city's UTC offset, to the second (spec: "Date/time formats")."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(timezone)).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item), child)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """`value` as a UTF-8 XML document whose root element is `root`."""
    element = ET.Element(root)
    _fill(element, value)
    body: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def render(fmt: Format, root: str, value: Any, status: int = 200) -> Response:
    """One resource in the requested format; `root` names the XML root element."""
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content=body, status_code=status, media_type=MEDIA_TYPES[fmt])


def render_error(fmt: Format, error: Open311Error) -> Response:
    """The spec's error list ("Errors"): `[{"code": 400, "description": "…"}]` / `<errors><error>…`."""
    return render(fmt, "errors", [{"code": error.status, "description": error.description}], error.status)
