"""Triage: locate, classify and de-duplicate raw reports, each decision with a confidence and a reason."""
