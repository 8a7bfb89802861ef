"""GB/T 2260 administrative division codes (6 digits: province, prefecture, county)."""

from __future__ import annotations

from cityloop.core.ids import is_digits

# First two digits of the province-level divisions of GB/T 2260.
PROVINCES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82",
    }
)  # fmt: skip


def division_code_problem(code: str) -> str | None:
    """Why `code` is not a GB/T 2260 division code, or None when it is one."""
    if not is_digits(code, 6):
        return f"division code {code!r} must be exactly 6 digits"
    if code[:2] not in PROVINCES:
        return f"division code {code!r} does not start with a province code (GB/T 2260)"
    return None


def is_within(child: str, parent: str) -> bool:
    """True when division `child` lies inside division `parent` (province, prefecture or county)."""
    if parent.endswith("0000"):
        return child[:2] == parent[:2]
    if parent.endswith("00"):
        return child[:4] == parent[:4]
    return child == parent
