"""The packaged cold-start knowledge: per GB/T 47678.5-2026 matter code its official name,
synonyms, everyday Chinese phrasings and an English gloss (written by the project)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

STANDARD = "GB/T 47678.5-2026"
DATA_FILE = "gbt47678.5-2026-knowledge.tsv"
_COLUMNS = ("code", "name", "synonyms", "phrases", "gloss")
_HEADER = "\t".join(_COLUMNS)
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One matter code with the words people use for it."""

    code: str
    name: str
    synonyms: tuple[str, ...]
    phrases: tuple[str, ...]
    gloss: str

    def short_name(self) -> str:
        """The official name without the generic 异常 suffix, brackets and SOS tags."""
        short = _BRACKETS.sub("", self.name).replace("异常", "").replace("SOS", "")
        return short or self.name


def normalise(text: str) -> str:
    """NFKC-fold, lower-case and drop whitespace and punctuation, so phrasings compare by content."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def parse(text: str) -> tuple[Entry, ...]:
    """Parse the tab-separated knowledge file; `#` lines are comments, the first other line a header."""
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    if not lines or tuple(lines[0][1].split("\t")) != _COLUMNS:
        raise ValueError(f"knowledge file: header must be {_HEADER!r}")
    entries: list[Entry] = []
    for number, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != len(_COLUMNS):
            raise ValueError(f"knowledge file line {number}: expected 5 tab-separated cells")
        code, name, synonyms, phrases, gloss = (cell.strip() for cell in cells)
        entries.append(Entry(code, name, _split(synonyms), _split(phrases), gloss))
    return tuple(entries)


@lru_cache(maxsize=1)
def load_entries() -> tuple[Entry, ...]:
    """The packaged knowledge entries, read once per process."""
    data = resources.files("cityloop.triage.knowledge").joinpath("data", DATA_FILE)
    return parse(data.read_text(encoding="utf-8"))
