"""Cold-start classification against the packaged category knowledge: character-bigram overlap
weighted by rarity, plus exact hits of names, synonyms and phrasings (longest first)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from cityloop.triage.knowledge.entries import Entry, load_entries, normalise

EXACT_BONUS = 1.5
"""An exact hit counts this much more than the same characters found scattered."""
PARTIAL_FLOOR = 0.5
"""Partial matches covering less than this share of a term's weight are ignored."""
PARTIAL_SHARE = 0.6
"""Weight of character pairs explained only by a partial (not exact) match."""
FALLBACK_SHARE = 0.3
"""Score kept by an unknown-owner category when a specific owner is named."""
OTHERS_SHARE = 0.5
"""Weight of character pairs that lie inside another category's exact hit."""
NONE_MASS = 4.0
"""Squared score kept for "none of these", so weak evidence yields low confidence."""


class Prediction(NamedTuple):
    """One candidate category with its confidence and the reason for it."""

    code: str
    name: str
    confidence: float
    reason: str


class _Span(NamedTuple):
    start: int
    end: int
    entry: int


@dataclass(frozen=True, slots=True)
class _Term:
    entry: int
    text: str
    kind: str
    keys: tuple[str, ...]
    weight: float


def _keys(text: str) -> tuple[str, ...]:
    if len(text) == 1:
        return (text,)
    return tuple(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))


def _terms_of(index: int, entry: Entry) -> list[tuple[int, str, str]]:
    found: dict[str, str] = {}
    for kind, words in (
        ("phrase", entry.phrases),
        ("synonym", entry.synonyms),
        ("name", (entry.short_name(), entry.name)),
    ):
        for word in words:
            norm = normalise(word)
            if norm and norm not in found:
                found[norm] = kind
    return [(index, text, kind) for text, kind in found.items()]


class ColdStart:
    """Scores a report text against every matter code's names, synonyms and phrasings."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries
        raw = [term for index, entry in enumerate(entries) for term in _terms_of(index, entry)]
        df: dict[str, set[int]] = defaultdict(set)
        for index, text, _kind in raw:
            for key in _keys(text):
                df[key].add(index)
        total = len(entries)
        self._idf = {key: math.log(1.0 + total / len(owners)) for key, owners in df.items()}
        self._singles = {text for _index, text, _kind in raw if len(text) == 1}
        self._terms: list[_Term] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, text, kind in raw:
            keys = _keys(text)
            weight = sum(self._idf[key] for key in keys)
            for key in keys:
                self._postings[key].append(len(self._terms))
            self._terms.append(_Term(index, text, kind, keys, weight))

        self._fallbacks = {
            index: (entry.short_name().removeprefix("不明"),)
            for index, entry in enumerate(entries)
            if entry.name.startswith("不明")
        }

    @classmethod
    def load(cls) -> ColdStart:
        """The scorer over the packaged knowledge, built once per process."""
        return _packaged()

    def _text_keys(self, text: str) -> set[str]:
        keys = {text[i : i + 2] for i in range(len(text) - 1)}
        keys.update(char for char in text if char in self._singles)
        return keys

    def _exact_spans(self, text: str, candidates: set[int]) -> tuple[list[_Span], set[int]]:
        """Exact term hits, longest first; a hit inside a longer hit of another category is dropped."""
        hits = sorted(
            (term_id for term_id in candidates if self._terms[term_id].text in text),
            key=lambda term_id: (-len(self._terms[term_id].text), term_id),
        )
        spans: list[_Span] = []
        accepted: set[int] = set()
        for term_id in hits:
            term = self._terms[term_id]
            start = text.find(term.text)
            end = start + len(term.text)
            if any(s.start <= start and end <= s.end and s.entry != term.entry for s in spans):
                continue
            spans.append(_Span(start, end, term.entry))
            accepted.add(term_id)
        return spans, accepted

    def scores(self, text: str) -> dict[int, tuple[float, int]]:
        """Per entry index: (score, id of its best term) for every entry with any evidence.

        An entry's score sums the rarity of the text's character pairs that its active terms
        explain: pairs inside its own exact hits count extra, pairs inside another category's
        exact hit count half, so the longest exact phrasing wins over the words inside it."""
        norm = normalise(text)
        positions: dict[str, list[int]] = defaultdict(list)
        for i in range(len(norm) - 1):
            positions[norm[i : i + 2]].append(i)
        for i, char in enumerate(norm):
            if char in self._singles:
                positions[char].append(i)
        matched: dict[int, list[str]] = defaultdict(list)
        for key in positions:
            for term_id in self._postings.get(key, ()):
                matched[term_id].append(key)
        got = {tid: sum(self._idf[key] for key in keys) for tid, keys in matched.items()}
        complete = {tid for tid, value in got.items() if value >= self._terms[tid].weight - 1e-9}
        spans, accepted = self._exact_spans(norm, complete)
        explained: dict[int, dict[str, float]] = defaultdict(dict)
        best: dict[int, tuple[float, int]] = {}
        for term_id, keys in matched.items():
            term = self._terms[term_id]
            cover = got[term_id] / term.weight
            if term_id in accepted:
                strength, share = got[term_id] * EXACT_BONUS, 1.0
            elif cover >= PARTIAL_FLOOR and term_id not in complete:
                strength, share = got[term_id] * cover, PARTIAL_SHARE
            else:
                continue
            mine = explained[term.entry]
            for key in keys:
                mine[key] = max(mine.get(key, 0.0), share)
            if strength > best.get(term.entry, (0.0, -1))[0]:
                best[term.entry] = (strength, term_id)
        result: dict[int, tuple[float, int]] = {}
        for entry, shares in explained.items():
            score = 0.0
            for key, share in shares.items():
                width = len(key)
                owners = {
                    s.entry for s in spans for i in positions[key] if s.start <= i and i + width <= s.end
                }
                factor = EXACT_BONUS if entry in owners else (OTHERS_SHARE if owners else 1.0)
                score += self._idf[key] * factor * share
            result[entry] = (score, best[entry][1])
        return self._yield_fallbacks(result, spans)

    def _yield_fallbacks(
        self, result: dict[int, tuple[float, int]], spans: list[_Span]
    ) -> dict[int, tuple[float, int]]:
        """A 不明X (unknown-owner X) category steps back when an owner's X is named exactly."""
        for entry, objects in self._fallbacks.items():
            if entry not in result:
                continue
            named = any(
                s.entry != entry and any(obj in self.entries[s.entry].name for obj in objects) for s in spans
            )
            if named:
                score, term_id = result[entry]
                result[entry] = (score * FALLBACK_SHARE, term_id)
        return result

    def _reason(self, term_id: int, text: str) -> str:
        term = self._terms[term_id]
        if term.text in normalise(text):
            return f'{term.kind} "{term.text}" found in the text'
        return f'close to {term.kind} "{term.text}" (shares most of its characters)'

    def predict_top(self, text: str, k: int = 3) -> list[Prediction]:
        """Top-k matter codes for a report text, confidences summing to at most 1, with reasons."""
        scored = self.scores(text)
        if not scored or k <= 0:
            return []
        squares = {entry: score * score for entry, (score, _term) in scored.items()}
        mass = sum(squares.values()) + NONE_MASS
        ranked = sorted(scored, key=lambda entry: (-squares[entry], self.entries[entry].code))
        return [
            Prediction(
                code=self.entries[entry].code,
                name=self.entries[entry].name,
                confidence=round(squares[entry] / mass, 4),
                reason=self._reason(scored[entry][1], text),
            )
            for entry in ranked[:k]
        ]


@lru_cache(maxsize=1)
def _packaged() -> ColdStart:
    return ColdStart(load_entries())
