"""Independent readers of the spec's formats: the standard library's XML parser and json."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import httpx


def xml_of(resp: httpx.Response) -> ET.Element:
    assert resp.headers["content-type"] == "text/xml; charset=utf-8"
    assert resp.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(resp.content)


def json_of(resp: httpx.Response) -> Any:
    assert resp.headers["content-type"] == "application/json; charset=utf-8"
    return json.loads(resp.content.decode("utf-8"))


def xml_errors(resp: httpx.Response) -> list[tuple[str, str]]:
    root = xml_of(resp)
    assert root.tag == "errors" and [e.tag for e in root] == ["error"] * len(root)
    return [(e.findtext("code") or "", e.findtext("description") or "") for e in root]


def json_errors(resp: httpx.Response) -> list[tuple[int, str]]:
    body = json_of(resp)
    assert isinstance(body, list) and all(set(e) == {"code", "description"} for e in body)
    return [(e["code"], e["description"]) for e in body]


def children(element: ET.Element) -> dict[str, str | None]:
    """The text of each child element (leaves only), in document order."""
    return {child.tag: child.text for child in element if len(child) == 0}
