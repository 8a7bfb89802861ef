"""Triage: locate, classify and de-duplicate raw reports, each decision with a confidence and a reason."""

from cityloop.triage.categorise import Candidate, categorise, categorise_many

__all__ = ["Candidate", "categorise", "categorise_many"]
