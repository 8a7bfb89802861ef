"""The packaged cold-start knowledge covers every GB/T 47678.5-2026 matter code with its official name."""

import csv
from importlib import resources
from pathlib import Path

import pytest

from cityloop.triage.knowledge import load_entries, normalise, parse

CHECKS = Path(__file__).parent / "fixtures" / "coldstart_checks.csv"


def _matters() -> dict[str, str]:
    data = resources.files("cityloop.taxonomy").joinpath("data", "gbt47678.5-2026-taxonomy.csv")
    rows = csv.DictReader(data.read_text(encoding="utf-8").splitlines())
    return {row["code"]: row["name"] for row in rows if row["kind"] == "matter"}


def test_every_matter_has_exactly_one_entry_with_its_official_name() -> None:
    matters = _matters()
    entries = load_entries()
    assert len(matters) == 250
    assert len(entries) == 250
    assert {entry.code: entry.name for entry in entries} == matters


def test_every_entry_has_synonyms_and_a_gloss() -> None:
    for entry in load_entries():
        assert entry.synonyms, entry.code
        assert entry.gloss.isascii() and entry.gloss, entry.code


def test_common_majors_have_at_least_three_everyday_phrasings() -> None:
    common = [e for e in load_entries() if e.code[:2] in {"06", "07", "08", "09", "10"}]
    assert len(common) == 97
    assert [e.code for e in common if len(e.phrases) < 3] == []


def test_check_set_texts_are_not_copied_into_the_knowledge() -> None:
    with CHECKS.open(encoding="utf-8") as handle:
        texts = {normalise(row["text"]) for row in csv.DictReader(handle)}
    words = {normalise(word) for entry in load_entries() for word in (*entry.synonyms, *entry.phrases)}
    assert texts & words == set()


def test_parse_rejects_a_wrong_header_and_short_lines() -> None:
    with pytest.raises(ValueError, match="header must be"):
        parse("code\tname\n")
    with pytest.raises(ValueError, match="line 3: expected 5 tab-separated cells"):
        parse("# c\ncode\tname\tsynonyms\tphrases\tgloss\n01001\t供水井盖异常\n")


def test_parse_reads_pipe_separated_lists() -> None:
    (entry,) = parse("code\tname\tsynonyms\tphrases\tgloss\n01\t甲异常\ta| b\tc\tg\n")
    assert (entry.code, entry.synonyms, entry.phrases, entry.short_name()) == (
        "01",
        ("a", "b"),
        ("c",),
        "甲",
    )
