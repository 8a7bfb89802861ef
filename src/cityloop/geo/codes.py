"""Pure validators of the national codes (DOMAIN.md §5): area codes, component IDs, matter codes.

Each `*_problem` function returns why a code is wrong, or None when it is well formed, so that
importers can collect every problem before refusing a file.
"""

from __future__ import annotations

from cityloop.cities.divisions import division_code_problem
from cityloop.core.ids import is_digits

LEVELS: tuple[str, ...] = ("district", "street", "community", "grid")
LEVEL_LENGTHS: dict[str, int] = {"district": 6, "street": 9, "community": 12, "grid": 15}
_LEVEL_BY_LENGTH = {length: level for level, length in LEVEL_LENGTHS.items()}
_PART_NAMES = {6: "street", 9: "community", 12: "grid sequence"}


def level_of(code: str) -> str | None:
    """The level of an area code, read from its length (6, 9, 12, 15 digits); None if it is none."""
    if not isinstance(code, str) or not code.isascii() or not code.isdigit():
        return None
    return _LEVEL_BY_LENGTH.get(len(code))


def parent_code(code: str) -> str | None:
    """The code of the area that contains `code` (its code less the last 3 digits); None for a district."""
    level = level_of(code)
    if level is None or level == "district":
        return None
    return code[:-3]


def area_code_problem(level: str, code: str) -> str | None:
    """Why `code` is not a well-formed code of an area of `level`, or None when it is one."""
    if level not in LEVEL_LENGTHS:
        return f"unknown area level {level!r}; expected one of {', '.join(LEVELS)}"
    length = LEVEL_LENGTHS[level]
    if not isinstance(code, str) or not is_digits(code, length):
        return f"{level} code {code!r} must be a string of exactly {length} digits"
    problem = division_code_problem(code[:6])
    if problem:
        return f"{level} code {code!r}: {problem}"
    for start in range(6, length, 3):
        if code[start : start + 3] == "000":
            part = f"the {_PART_NAMES[start]} part (digits {start + 1}-{start + 3})"
            return f"{level} code {code!r}: {part} is 000"
    return None


def component_id_problem(code: str) -> str | None:
    """Why `code` is not a 17-digit component ID (division 6 + major 2 + minor 3 + sequence 6)."""
    if not isinstance(code, str) or not is_digits(code, 17):
        return f"component ID {code!r} must be a string of exactly 17 digits"
    problem = division_code_problem(code[:6])
    if problem:
        return f"component ID {code!r}: {problem}"
    if code[6:8] == "00":
        return f"component ID {code!r}: the major class (digits 7-8) is 00"
    if code[8:11] == "000":
        return f"component ID {code!r}: the minor class (digits 9-11) is 000"
    if code[11:] == "000000":
        return f"component ID {code!r}: the sequence (digits 12-17) is 000000"
    return None


def matter_code_problem(code: str) -> str | None:
    """Why `code` is not an 11-digit matter code (division 6 + classification 5: major 2, minor 3)."""
    if not isinstance(code, str) or not is_digits(code, 11):
        return f"matter code {code!r} must be a string of exactly 11 digits"
    problem = division_code_problem(code[:6])
    if problem:
        return f"matter code {code!r}: {problem}"
    if code[6:8] == "00":
        return f"matter code {code!r}: the major class (digits 7-8) is 00"
    if code[8:] == "000":
        return f"matter code {code!r}: the minor class (digits 9-11) is 000"
    return None
