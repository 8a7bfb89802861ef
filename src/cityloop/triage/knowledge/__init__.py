"""Cold-start category knowledge for GB/T 47678.5-2026: names, synonyms and everyday phrasings
of every matter code, scored against a report text when a city has no history yet."""

from cityloop.triage.knowledge.entries import STANDARD, Entry, load_entries, normalise, parse
from cityloop.triage.knowledge.scorer import ColdStart, Prediction

__all__ = ["STANDARD", "ColdStart", "Entry", "Prediction", "load_entries", "normalise", "parse"]
