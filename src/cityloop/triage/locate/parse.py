"""Address text, normalised so that names match: full-width folded, lower case, English
abbreviations spelled out (Rd → road, St → street), punctuation to spaces; and the words around
names that are no names: administrative prefixes (杭州市西湖区), modifiers (附近, 对面, near),
connectors (与, and) and house numbers (478号).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cityloop.cities.plugins import DefaultCity

_FOLD = DefaultCity()
_SPACES = re.compile(r"\s+")
_APOSTROPHES = re.compile(r"['’‘`´]")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
#: English abbreviations and pinyin generic words, spelled the way the gazetteer spells them.
_ABBREVIATIONS = (
    (re.compile(r"\b(?:rd|lu)\b"), "road"),
    (re.compile(r"\b(?:st|str|jie)\b"), "street"),
    (re.compile(r"\b(?:ave|av)\b"), "avenue"),
    (re.compile(r"\b(?:dist|qu)\b"), "district"),
    (re.compile(r"\b(?:sq)\b"), "square"),
    (re.compile(r"\b(?:stn|sta)\b"), "station"),
    (re.compile(r"\b(?:ctr|center)\b"), "centre"),
    (re.compile(r"\b(?:hosp)\b"), "hospital"),
    (re.compile(r"\b(?:univ|uni)\b"), "university"),
    (re.compile(r"\b(?:mkt)\b"), "market"),
    (re.compile(r"\b(?:pk)\b"), "park"),
)
_ROAD_SUFFIXES = ("大道", "大街", "路", "街", "巷")
_ROAD_SUFFIXES_EN = (" road", " street", " avenue")

#: Words that say where relative to a place (the place is still the answer, a little less exactly).
MODIFIERS_ZH = (
    "交叉口", "交汇处", "交界处", "交叉处", "十字路口", "丁字路口", "路口", "附近", "旁边", "边上", "对面", "门口", "门前", "周边", "周围",
    "一带", "东侧", "西侧", "南侧", "北侧", "东边", "西边", "南边", "北边", "东面", "西面", "南面", "北面",
    "东北角", "东南角", "西北角", "西南角", "以东", "以西", "以南", "以北", "往东", "往西", "往南", "往北",
    "里面", "内部", "后面", "前面", "出口", "入口", "处", "旁",
)  # fmt: skip
MODIFIERS_EN = (
    "in front of", "next to", "opposite", "outside", "behind", "beside", "nearby", "near", "around",
    "corner of", "junction of", "intersection of", "crossing of", "north of", "south of", "east of",
    "west of", "junction", "intersection", "crossing", "entrance", "exit",
)  # fmt: skip
#: Modifiers that only say "at the crossing": expected around intersections, no loss of precision there.
CROSSING_WORDS = frozenset(
    {
        "交叉口",
        "交汇处",
        "交界处",
        "交叉处",
        "十字路口",
        "丁字路口",
        "路口",
        "corner of",
        "junction of",
        "intersection of",
        "crossing of",
        "junction",
        "intersection",
        "crossing",
    }
)
#: Words that join two names (文三路与学院路, Wensan Rd and Xueyuan Rd) or fill the sentence.
CONNECTORS_ZH = ("与", "和", "跟", "及", "交", "在", "位于", "的", "靠近", "近")
CONNECTORS_EN = ("and", "at", "the", "of", "on", "in", "by", "x", "china")

_MODIFIER_EN = re.compile(r"\b(?:" + "|".join(re.escape(m) for m in MODIFIERS_EN) + r")\b")
_MODIFIER_ZH = re.compile("|".join(re.escape(m) for m in MODIFIERS_ZH))
_FILLERS = re.compile(
    "|".join(re.escape(c) for c in (*MODIFIERS_ZH, *CONNECTORS_ZH))
    + r"|\b(?:"
    + "|".join(re.escape(c) for c in (*MODIFIERS_EN, *CONNECTORS_EN))
    + r")\b"
)
#: Administrative prefixes (中国浙江省杭州市西湖区, Hangzhou, Xihu District) at the start of a chunk.
_ADMIN_ZH = re.compile(
    r"^(?:中国)?(?:[\u4e00-\u9fff]{2,7}?省)?(?:[\u4e00-\u9fff]{2,3}?市(?![场民]))?(?:[\u4e00-\u9fff]{2,3}?[区县](?![域]))?"
)
_ADMIN_EN = re.compile(r"\b(?:[a-z]+ (?:province|city|district|county))\b|\b(?:hangzhou|zhejiang)\b")
_NUMBER_AFTER = re.compile(r"^\s*(?:no\s*)?(\d{1,5})\s*(?:号|號|#)?")
_NUMBER_BEFORE = re.compile(r"(?:no\s*)?(\d{1,5})\s*$")


def canonical(text: str, *, folded: bool = False) -> str:
    """The matching form of a name or an address: half-width, lower case, abbreviations expanded.

    `folded`: the text already went through the city's `normalise_address` hook.
    """
    if not folded:
        text = _FOLD.normalise_address(text)
    text = _APOSTROPHES.sub("", text.lower())
    text = _PUNCTUATION.sub(" ", text)
    for pattern, word in _ABBREVIATIONS:
        text = pattern.sub(word, text)
    return _SPACES.sub(" ", text).strip()


def road_short_names(name: str, name_en: str | None) -> Iterator[str]:
    """A road's names without the generic word: 文三路 → 文三, Wensan Road → wensan."""
    for suffix in _ROAD_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            yield name.removesuffix(suffix)
            break
    english = canonical(name_en or "")
    for suffix in _ROAD_SUFFIXES_EN:
        if english.endswith(suffix) and len(english) - len(suffix) >= 4:
            yield english.removesuffix(suffix)
            break


def modifiers(text: str) -> list[str]:
    """The modifier words in a canonical text, in order (路口, 附近, near, ...)."""
    found = [(m.start(), m.group()) for m in _MODIFIER_ZH.finditer(text)]
    found += [(m.start(), m.group()) for m in _MODIFIER_EN.finditer(text)]
    return [word for _, word in sorted(found)]


def number_after(text: str) -> int | None:
    """A house number right after a road name (文三路 478 号, Wensan Road 478)."""
    found = _NUMBER_AFTER.match(text)
    return int(found.group(1)) if found else None


def number_before(text: str) -> int | None:
    """A house number right before a road name, the English way (478 Wensan Road)."""
    found = _NUMBER_BEFORE.search(text)
    return int(found.group(1)) if found else None


def residual_chunks(text: str) -> list[tuple[str, ...]]:
    """The pieces of unmatched text that may hold a misspelt name (fillers and numbers removed,
    Chinese and Latin runs kept apart), each with its readings to try in order: the text's first
    run without what looks like an administrative prefix (杭州市西湖区), then as written
    (农贸市常 is no city 农贸市)."""
    prefix = _ADMIN_ZH.match(text)
    cut = prefix.end() if prefix else 0
    chunks: list[tuple[str, ...]] = []
    for piece in _FILLERS.split(text):
        piece = _ADMIN_EN.sub(" ", piece)
        for run in re.findall(r"[\u4e00-\u9fff]+|[a-z][a-z ]*[a-z]", piece):
            readings = [run[cut:], run] if cut and not chunks and text.startswith(run) else [run]
            readings = [r for r in dict.fromkeys(readings) if len(r) >= 2]
            if readings:
                chunks.append(tuple(readings))
    return chunks
