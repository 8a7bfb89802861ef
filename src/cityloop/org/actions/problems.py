"""Collect every problem of an import before refusing it, each naming file, item, field and rule."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cityloop.org.errors import OrgImportFailed

_SCALARS = (str, int, float, bool, type(None))


def field_path(loc: tuple[int | str, ...]) -> str:
    """("worker", "shifts", 0, "start") → "worker.shifts[0].start"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


class Problems:
    """The problems found in one file; `raise_if_any` refuses the import with all of them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[dict[str, Any]] = []

    def add(self, index: int, key: str | None, field: str, rule: str) -> None:
        self.items.append({"file": self.source, "index": index, "key": key, "field": field, "rule": rule})

    def add_validation(self, index: int, key: str | None, exc: ValidationError) -> None:
        for error in exc.errors():
            loc = tuple(error["loc"])
            kind = error["type"]
            if kind == "extra_forbidden":
                rule = "unknown key"
            elif kind == "missing":
                rule = "required key missing"
            else:
                rule = str(error["msg"]).removeprefix("Value error, ")
                value = error.get("input")
                if kind not in ("value_error", "assertion_error") and isinstance(value, _SCALARS):
                    rule += f" (got {value!r})"
            self.add(index, key, field_path(loc) or "(item)", rule)

    def key_of(self, index: int, raw: Any, name: str, seen: dict[str, int]) -> str | None:
        """The item's `name` value (code, username), noting a duplicate of an earlier item."""
        key = item_key(raw, name)
        if key is not None:
            if key in seen:
                self.add(index, key, name, f"duplicate {name}, already used by item {seen[key]}")
            else:
                seen[key] = index
        return key

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        who = f" ({first['key']})" if first["key"] else ""
        raise OrgImportFailed(
            f"{self.source}: {len(self.items)} problem(s), nothing imported; first: "
            f"item {first['index']}{who}, {first['field']}: {first['rule']}",
            details=self.items,
        )


def item_key(item: Any, name: str) -> str | None:
    """The item's identifying value (code or username) when it has a usable one."""
    if isinstance(item, dict):
        value = item.get(name)
        if isinstance(value, str) and value:
            return value
    return None
