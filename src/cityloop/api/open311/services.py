"""Services ("GET Service List") and their definitions ("GET Service Definition").

A service is one category of the city's `open311_services` parameter over its taxonomy:
service_code is the category code (`C` and the code for a component), group the major's
name, keywords the words people use for it. Every service offers the same two attributes:
an `urgency` single-value list and a free-text `landmark`.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from cityloop.api.open311.errors import bad_request
from cityloop.cities import get_parameters
from cityloop.cities.models import City
from cityloop.core.i18n import normalise_locale
from cityloop.intake.channels.open311 import category_of
from cityloop.intake.keywords import EVERYDAY
from cityloop.taxonomy import find_category
from cityloop.taxonomy.models import Category


def service_code_of(kind: str, code: str) -> str:
    """The Open311 service_code of a category: the code for a matter, `C` + code for a component."""
    return f"C{code}" if kind == "component" else code


def _name(category: Category, locale: str) -> str:
    if normalise_locale(locale) == "en" and category.name_en:
        return category.name_en
    return category.name


def _group(category: Category, locale: str) -> str:
    if normalise_locale(locale) == "en" and category.major_name_en:
        return category.major_name_en
    return category.major_name


def _keywords(category: Category) -> str:
    bare = re.sub(r"[（(].*?[）)]", "", category.name)
    words = [category.name, bare, *re.split(r"[、，,]", bare)]
    words += [word for word, code in EVERYDAY.items() if code == category.code and category.kind == "matter"]
    if category.name_en:
        words.append(category.name_en)
    return ",".join(dict.fromkeys(w.replace(",", " ").strip() for w in words if len(w.strip()) >= 2))


def offered(session: Session, city: City) -> list[tuple[str, Category]]:
    """(service_code, category) of every service the city offers, in the parameter's order."""
    found = []
    for service_code in get_parameters(session, city.code).open311_services:
        kind, code = category_of(service_code)
        category = find_category(session, code=code, kind=kind, city_code=city.code)
        if category is not None:
            found.append((service_code, category))
    return found


def service_category(session: Session, city: City, service_code: str) -> Category:
    """The category behind one offered service; an unknown service_code is a 400 (spec: "Errors")."""
    for code, category in offered(session, city):
        if code == service_code:
            return category
    raise bad_request(f"service_code {service_code!r} is not a service of jurisdiction {city.code}")


def service_of(service_code: str, category: Category, locale: str) -> dict[str, Any]:
    """One entry of the service list, with the spec's fields in the spec's order."""
    name = _name(category, locale)
    other = category.name_en if name == category.name else category.name
    return {
        "service_code": service_code,
        "service_name": name,
        "description": f"{name} ({other})" if other and other != name else name,
        "metadata": True,
        "type": "realtime",
        "keywords": _keywords(category),
        "group": _group(category, locale),
    }


def definition_of(service_code: str) -> dict[str, Any]:
    """The service definition: the attributes a request may carry (`attribute[code]` on POST)."""
    return {
        "service_code": service_code,
        "attributes": [
            {
                "variable": True,
                "code": "urgency",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "normal or urgent",
                "order": 1,
                "description": "紧急程度 / How urgent is it?",
                "values": [
                    {"key": "normal", "name": "一般 / Normal"},
                    {"key": "urgent", "name": "紧急 / Urgent (a danger to people or traffic)"},
                ],
            },
            {
                "variable": True,
                "code": "landmark",
                "datatype": "string",
                "required": False,
                "datatype_description": "up to 200 characters",
                "order": 2,
                "description": "附近地标 / A landmark nearby",
                "values": [],
            },
        ],
    }


#: The attribute codes a POST may carry, with their allowed values (None: free text).
ATTRIBUTES: dict[str, tuple[str, ...] | None] = {"urgency": ("normal", "urgent"), "landmark": None}
