"""Crosswalk from the legacy 4-digit table to GB/T 47678.5-2026. Pure and cached.

Rules, tried in order:

- `major_plus_5` (matters only): the published rule for event codes: major + 5, same minor
  (legacy 01xx 市容环境 → 06xxx 市容环境类, …). It is accepted only when the two names agree,
  because the packaged legacy table numbers its events differently from the edition the rule
  was checked on: here it holds for just 0101, 0201 and 0301 (and the legacy majors 04 突发事件 /
  05 街面秩序 land on 09 街面秩序类 / 10 其他事项类). Every disagreement is kept as a note.
- `same_name`: a 2026 row of the same kind with the same name. This is the only rule for
  components; for matters it applies after `major_plus_5` fails, and the pair's note says what
  `major_plus_5` would have given.

Names are compared after Unicode NFKC folding (full-width brackets become ASCII) and with
whitespace and the list separators 、，, removed; nothing else is normalised.
Everything else is left unmapped, with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from cityloop.taxonomy.loader import CategoryRow, rows_2026, rows_legacy

RULE_MAJOR_PLUS_5 = "major_plus_5"
RULE_SAME_NAME = "same_name"

_IGNORED = re.compile(r"[\s、，,]")


def normalise_name(name: str) -> str:
    """The form in which two category names are compared."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", name))


@dataclass(frozen=True)
class CrosswalkPair:
    kind: str
    legacy_code: str
    legacy_name: str
    code: str
    name: str
    rule: str
    note: str | None = None


@dataclass(frozen=True)
class Unmapped:
    kind: str
    legacy_code: str
    legacy_name: str
    reason: str


@dataclass(frozen=True)
class Crosswalk:
    mapped: tuple[CrosswalkPair, ...]
    unmapped: tuple[Unmapped, ...]
    _forward: dict[tuple[str, str], CrosswalkPair] = field(repr=False, compare=False, default_factory=dict)
    _backward: dict[tuple[str, str], tuple[CrosswalkPair, ...]] = field(
        repr=False, compare=False, default_factory=dict
    )

    def forward(self, kind: str, legacy_code: str) -> CrosswalkPair | None:
        """The 2026 counterpart of a legacy code, or None when it is unmapped."""
        return self._forward.get((kind, legacy_code))

    def backward(self, kind: str, code: str) -> tuple[CrosswalkPair, ...]:
        """The legacy codes that map to a 2026 code."""
        return self._backward.get((kind, code), ())

    def reason(self, kind: str, legacy_code: str) -> str | None:
        """Why a legacy code has no counterpart (None when it has one or does not exist)."""
        for item in self.unmapped:
            if (item.kind, item.legacy_code) == (kind, legacy_code):
                return item.reason
        return None

    def counts(self) -> dict[str, int]:
        """Mapped pairs per rule, plus the number unmapped."""
        out: dict[str, int] = {RULE_MAJOR_PLUS_5: 0, RULE_SAME_NAME: 0}
        for pair in self.mapped:
            out[pair.rule] += 1
        out["unmapped"] = len(self.unmapped)
        return out


def _major_plus_5(row: CategoryRow) -> str:
    return f"{int(row.major_code) + 5:02d}{int(row.code[2:]):03d}"


def _by_name(rows: tuple[CategoryRow, ...]) -> dict[tuple[str, str], list[CategoryRow]]:
    index: dict[tuple[str, str], list[CategoryRow]] = defaultdict(list)
    for row in rows:
        index[(row.kind, normalise_name(row.name))].append(row)
    return index


def _map_one(
    old: CategoryRow,
    by_code: dict[tuple[str, str], CategoryRow],
    by_name: dict[tuple[str, str], list[CategoryRow]],
) -> CrosswalkPair | Unmapped:
    code_rule_note: str | None = None
    if old.kind == "matter":
        target_code = _major_plus_5(old)
        target = by_code.get(("matter", target_code))
        if target is not None and normalise_name(target.name) == normalise_name(old.name):
            return CrosswalkPair(old.kind, old.code, old.name, target.code, target.name, RULE_MAJOR_PLUS_5)
        if target is None:
            code_rule_note = f"major_plus_5 gives {target_code}, which is not in the 2026 table"
        else:
            code_rule_note = f"major_plus_5 gives {target.code} {target.name}, a different name"
    same = by_name.get((old.kind, normalise_name(old.name)), [])
    if len(same) == 1:
        new = same[0]
        return CrosswalkPair(old.kind, old.code, old.name, new.code, new.name, RULE_SAME_NAME, code_rule_note)
    if len(same) > 1:
        codes = ", ".join(r.code for r in same)
        reason = f"several 2026 {old.kind}s have this name ({codes})"
    else:
        reason = f"no 2026 {old.kind} has the same name"
    if code_rule_note:
        reason = f"{code_rule_note}; {reason}"
    return Unmapped(old.kind, old.code, old.name, reason)


@cache
def crosswalk() -> Crosswalk:
    """Every legacy row, either mapped to a 2026 row (with its rule) or unmapped (with the reason)."""
    new_rows = rows_2026()
    by_code: dict[tuple[str, str], CategoryRow] = {(r.kind, r.code): r for r in new_rows}
    by_name = _by_name(new_rows)
    mapped: list[CrosswalkPair] = []
    unmapped: list[Unmapped] = []
    for old in rows_legacy():
        result = _map_one(old, by_code, by_name)
        if isinstance(result, CrosswalkPair):
            mapped.append(result)
        else:
            unmapped.append(result)
    backward: dict[tuple[str, str], list[CrosswalkPair]] = defaultdict(list)
    for pair in mapped:
        backward[(pair.kind, pair.code)].append(pair)
    return Crosswalk(
        mapped=tuple(mapped),
        unmapped=tuple(unmapped),
        _forward={(p.kind, p.legacy_code): p for p in mapped},
        _backward={key: tuple(pairs) for key, pairs in backward.items()},
    )
