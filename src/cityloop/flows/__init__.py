"""Orchestration across domain packages; owns no tables."""
