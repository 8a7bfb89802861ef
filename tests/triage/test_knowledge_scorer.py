"""Cold-start scoring: exact phrasings win longest first, confidences stay within 1, reasons name the match."""

import csv
from pathlib import Path

from cityloop.triage.knowledge import ColdStart, Entry

CHECKS = Path(__file__).parent / "fixtures" / "coldstart_checks.csv"
TOP1_FLOOR = 0.78
TOP3_FLOOR = 0.85


def _tiny() -> ColdStart:
    return ColdStart(
        (
            Entry("01006", "路灯井盖异常", ("路灯井盖",), ("路灯井盖丢了",), "lamp cover"),
            Entry("01023", "不明井盖异常", ("井盖",), ("井盖不见了",), "unknown cover"),
            Entry("01037", "路灯异常", ("路灯",), ("路灯不亮", "路灯坏了"), "street lamp"),
            Entry("06027", "油烟污染", ("油烟",), ("饭店油烟呛人",), "cooking fumes"),
        )
    )


def test_exact_phrase_gives_the_code_name_and_reason() -> None:
    (first, *_rest) = _tiny().predict_top("晚上路灯不亮了")
    assert (first.code, first.name, first.reason) == (
        "01037",
        "路灯异常",
        'phrase "路灯不亮" found in the text',
    )


def test_longest_exact_hit_beats_the_words_inside_it() -> None:
    codes = [p.code for p in _tiny().predict_top("路灯井盖丢了", k=3)]
    assert codes[0] == "01006"


def test_unknown_owner_category_steps_back_when_the_owner_is_named() -> None:
    codes = [p.code for p in _tiny().predict_top("路灯井盖不见了", k=2)]
    assert codes == ["01006", "01023"]


def test_confidences_sum_to_at_most_one_and_descend() -> None:
    predictions = _tiny().predict_top("饭店油烟呛人，路灯也坏了", k=4)
    confidences = [p.confidence for p in predictions]
    assert sum(confidences) <= 1.0
    assert confidences == sorted(confidences, reverse=True)
    assert {p.code for p in predictions} == {"06027", "01037"}


def test_no_evidence_gives_no_prediction() -> None:
    assert _tiny().predict_top("今天天气很好") == []
    assert _tiny().predict_top("路灯不亮", k=0) == []


def test_partial_match_names_the_close_phrase() -> None:
    (first,) = _tiny().predict_top("油烟很呛", k=1)
    assert (first.code, first.reason) == ("06027", 'synonym "油烟" found in the text')


def test_load_is_cached_and_covers_the_standard() -> None:
    scorer = ColdStart.load()
    assert scorer is ColdStart.load()
    assert len(scorer.entries) == 250
    (first, *_rest) = scorer.predict_top("下水道盖子没了")
    assert first.code == "01002"


def test_check_set_accuracy() -> None:
    """The accuracy floor on the project's own everyday-words check set (speed: bench/coldstart.py)."""
    scorer = ColdStart.load()
    with CHECKS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 80
    top1 = top3 = 0
    for row in rows:
        codes = [p.code for p in scorer.predict_top(row["text"], k=3)]
        top1 += codes[:1] == [row["expected_code"]]
        top3 += row["expected_code"] in codes
    assert top1 / len(rows) >= TOP1_FLOOR
    assert top3 / len(rows) >= TOP3_FLOOR
