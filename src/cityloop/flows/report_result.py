"""The outcome of processing one report."""

from __future__ import annotations

from dataclasses import dataclass

from cityloop.cases import Case
from cityloop.intake import Report


@dataclass
class ProcessResult:
    report: Report
    case: Case | None
    #: True when this was a retry: the first result is returned again and nothing was written.
    replay: bool = False
    #: The case this report repeats, when the de-duplicator merged it (the report's case is void).
    master: Case | None = None

    @property
    def status(self) -> str:
        return self.report.status
