"""A simple keyword categoriser, used until the triage classifier decides (issue: triage).

It looks for the names of GB/T 47678.5-2026 matters in the text (longest name first; names
like "道路遗撒（洒）" also match without their brackets) and for a few everyday words people
use instead. It is honest about its confidence: a name found verbatim scores 0.6, an
everyday word 0.4; nothing found returns None and the report goes to a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cityloop.taxonomy.loader import rows_2026

# Everyday words → matter code [ours]: what citizens say rather than the standard's name.
EVERYDAY: dict[str, str] = {
    "小贩": "09001",
    "摊贩": "09001",
    "流动摊": "09001",
    "摆摊": "09001",
    "占道经营": "09006",
    "小广告": "07001",
    "牛皮癣": "07001",
    "垃圾满了": "06042",
    "垃圾桶满": "06042",
    "垃圾": "06010",
    "噪音": "06028",
    "吵": "06028",
    "油烟": "06027",
    "烧烤": "06029",
    "乱停": "09009",
    "井盖": "01023",
    "路灯不亮": "01037",
    "路灯坏": "01037",
    "坑洼": "06013",
    "坑": "06013",
}


@dataclass(frozen=True)
class KeywordMatch:
    kind: str
    code: str
    name: str
    confidence: float
    reason: str


def _variants(name: str) -> set[str]:
    bare = re.sub(r"[（(].*?[）)]", "", name)
    return {name, bare} | {part for part in re.split(r"[、，,]", bare) if len(part) >= 2}


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[str, str, str], ...]:
    """(phrase, code, name) for every matter, longest phrase first."""
    entries = {
        (variant, row.code, row.name)
        for row in rows_2026()
        if row.kind == "matter"
        for variant in _variants(row.name)
        if len(variant) >= 2
    }
    return tuple(sorted(entries, key=lambda e: (-len(e[0]), e[1])))


@lru_cache(maxsize=1)
def _matter_names() -> dict[str, str]:
    return {row.code: row.name for row in rows_2026() if row.kind == "matter"}


def match(text: str | None) -> KeywordMatch | None:
    """The best matter for `text`, or None when no name or everyday word occurs in it."""
    if not text:
        return None
    for phrase, code, name in _names():
        if phrase in text:
            return KeywordMatch("matter", code, name, 0.6, f"the text names 「{phrase}」")
    names = _matter_names()
    for word, code in sorted(EVERYDAY.items(), key=lambda e: -len(e[0])):
        if word in text and code in names:
            return KeywordMatch("matter", code, names[code], 0.4, f"the everyday word 「{word}」")
    return None
