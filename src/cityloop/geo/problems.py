"""Problems and summaries of the geo importers: every broken rule is collected, named by its
file, feature (or item) and rule, before anything is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cityloop.geo.errors import GeoImportFailed


def where(index: int | None, code: str | None, *, noun: str = "feature") -> str:
    """How a message names the item at fault: `feature 3 (330102001)`."""
    if index is None:
        return "the file"
    return f"{noun} {index} ({code})" if code else f"{noun} {index}"


@dataclass
class Problem:
    """One broken rule in an imported file; `as_dict` is the shape of the error's details."""

    source: str
    feature: int | None
    code: str | None
    rule: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "feature": self.feature,
            "code": self.code,
            "rule": self.rule,
            "message": self.message,
        }


class ProblemList:
    """Collects the problems of one file; `raise_if_any` refuses the file with all of them."""

    def __init__(self, source: str, *, noun: str = "feature") -> None:
        self.source = source
        self.noun = noun
        self.problems: list[Problem] = []

    def add(self, index: int | None, code: str | None, rule: str, message: str) -> None:
        named = f"{where(index, code, noun=self.noun)}: {message}"
        self.problems.append(Problem(self.source, index, code, rule, named))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self, error: type[GeoImportFailed]) -> None:
        if not self.problems:
            return
        self.problems.sort(key=lambda p: -1 if p.feature is None else p.feature)
        count = len(self.problems)
        raise error(
            f"{self.source}: {count} problem{'s' if count > 1 else ''}; first: {self.problems[0].message}",
            details=[p.as_dict() for p in self.problems],
        )


def features_of(collection: Any, out: ProblemList) -> list[Any] | None:
    """The feature list of a FeatureCollection, or None (with a problem) when it is not one."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        kind = collection.get("type") if isinstance(collection, dict) else type(collection).__name__
        out.add(None, None, "not_feature_collection", f"expected a GeoJSON FeatureCollection, got {kind!r}")
        return None
    features = collection.get("features")
    if not isinstance(features, list):
        out.add(None, None, "not_feature_collection", "the FeatureCollection has no list of features")
        return None
    return features


@dataclass
class ImportSummary:
    """What an import wrote: counts per kind, non-blocking warnings, the new revision token."""

    source: str
    counts: dict[str, int]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    revision: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "counts": dict(self.counts),
            "warnings": list(self.warnings),
            "revision": self.revision,
        }
