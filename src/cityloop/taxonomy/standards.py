"""The classification editions CityLoop ships, and checks of edition and kind names.

Two editions are packaged: the national GB/T 47678.5-2026 table (current since 2026-07-01) and
a "legacy" table of 4-digit codes in the CJ/T 214-2007 / GB/T 30428.2-2013 style. The legacy
table is deliberately *not* reachable under the names of those old standards: it was taken
from public codebases, is unverified, and its event numbering disagrees with the published
old standard (see crosswalk.py), so calling it "GB/T 30428.2-2013" would claim more than we know.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from cityloop.taxonomy.errors import InvalidKind, UnknownStandard

Kind = Literal["component", "matter"]

STANDARD_2026: Final = "GB/T 47678.5-2026"
LEGACY: Final = "legacy"
KINDS: Final[tuple[Kind, ...]] = ("component", "matter")
KIND_ZH: Final[dict[str, str]] = {"component": "管理部件", "matter": "管理事项"}


@dataclass(frozen=True)
class Standard:
    """One packaged edition: its name (the key stored with every code) and what it is."""

    name: str
    title_zh: str
    title_en: str
    code_digits: int
    in_force: str | None
    current: bool
    note: str


STANDARDS: Final[dict[str, Standard]] = {
    STANDARD_2026: Standard(
        name=STANDARD_2026,
        title_zh="城市运行管理服务平台 第5部分：管理部件和事项",
        title_en="City operation management service platform — Part 5: Management components and matters",
        code_digits=5,
        in_force="2026-07-01",
        current=True,
        note="Replaces GB/T 30428.2-2013. Code = 2-digit major + 3-digit minor; cities may add local codes.",
    ),
    LEGACY: Standard(
        name=LEGACY,
        title_zh="旧版部件、事件分类（CJ/T 214-2007 / GB/T 30428.2-2013 风格，未核验）",
        title_en="Legacy components and events (CJ/T 214-2007 / GB/T 30428.2-2013 style, unverified)",
        code_digits=4,
        in_force=None,
        current=False,
        note="4-digit codes as used by two public codebases; for crosswalks and old case histories.",
    ),
}


def check_standard(name: str) -> Standard:
    """The packaged edition called `name`, or UnknownStandard naming the ones that exist."""
    standard = STANDARDS.get(name)
    if standard is None:
        known = ", ".join(repr(s) for s in STANDARDS)
        raise UnknownStandard(
            f"unknown classification standard {name!r}; known standards: {known}",
            details={"standard": name, "known": list(STANDARDS)},
        )
    return standard


def check_kind(kind: str) -> Kind:
    """`kind` itself when it is `component` or `matter`, else InvalidKind."""
    if kind == "component":
        return "component"
    if kind == "matter":
        return "matter"
    raise InvalidKind(
        f"unknown category kind {kind!r}; a kind is 'component' (部件) or 'matter' (事项)",
        details={"kind": kind, "known": list(KINDS)},
    )
