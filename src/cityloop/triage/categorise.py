"""What a report is about: candidate GB/T 47678.5-2026 matter codes with confidence and reason.

Two sources speak. The cold-start knowledge (names, synonyms and everyday phrasings of every
matter code, shipped with CityLoop) always does. A city's current trained model joins when the
city has one whose labels are all matter codes of the national table; its voice grows with the
number of reports it learned from:

    confidence(code) = w · p_model(code) + (1 − w) · p_cold(code),   w = n / (n + 300)

so a model of 100 reports weighs 0.25 and one of 3,000 reports 0.91. A code the model never
saw gets at most the cold start's share, which usually sends such a report to a person: a
category new to the city deserves a human look. Pure: reads the packaged knowledge and the
model files, never the database; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from cityloop.triage.classify.registry import current_version, load_current
from cityloop.triage.knowledge import STANDARD, ColdStart, Prediction

if TYPE_CHECKING:
    from cityloop.triage.classify.model import Model

HALF_WEIGHT_SAMPLES = 300
"""Training reports at which the city model and the cold start weigh the same."""
COLD_POOL = 10
"""Cold-start candidates considered per text before mixing (more than any useful k)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate category of a report: a national matter code, how sure, and why."""

    code: str
    name: str
    kind: Literal["matter"]
    standard: str
    confidence: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """A plain dict (for JSON, timelines and the report's stored candidates)."""
        return asdict(self)


@cache
def matter_names() -> dict[str, str]:
    """Code → official name of every matter of GB/T 47678.5-2026."""
    from cityloop.taxonomy.loader import rows_2026

    return {row.code: row.name for row in rows_2026() if row.kind == "matter"}


def model_weight(n_samples: int) -> float:
    """The share of a city model trained on `n_samples` reports in the mix (0 … 1)."""
    return n_samples / (n_samples + HALF_WEIGHT_SAMPLES) if n_samples > 0 else 0.0


def usable_model(model: Model) -> bool:
    """Whether every label of the model is a national matter code (other models are not mixed in)."""
    names = matter_names()
    return all(label in names for label in model.classes)


def city_model(city_code: str) -> tuple[Model, int] | None:
    """The city's current model and its version, when it has one that `categorise` may use."""
    model = load_current(city_code)
    if model is None or not usable_model(model):
        return None
    return model, current_version(city_code) or 0


def _cold_reason(prediction: Prediction) -> str:
    return f"cold-start knowledge {prediction.confidence:.2f} ({prediction.reason})"


def blend(
    model_scores: dict[str, float] | None,
    cold: Sequence[Prediction],
    *,
    weight: float,
    model_label: str = "city model",
    k: int = 3,
) -> list[Candidate]:
    """Mix a model's probabilities and cold-start predictions into the top-k candidates.

    Without model scores (or at weight 0) the cold start speaks alone with its own confidence.
    Each reason names the sources that gave the code any probability and what each said.
    """
    if k <= 0:
        return []
    names = matter_names()
    cold_by_code = {p.code: p for p in cold}
    w = weight if model_scores else 0.0
    scores = dict.fromkeys(cold_by_code, 0.0)
    if model_scores:
        scores.update(dict.fromkeys(model_scores, 0.0))
    candidates = []
    for code in scores:
        p_model = (model_scores or {}).get(code, 0.0)
        found = cold_by_code.get(code)
        p_cold = found.confidence if found is not None else 0.0
        confidence = w * p_model + (1.0 - w) * p_cold
        if confidence <= 0.0:
            continue
        parts = []
        if w > 0.0:
            parts.append(f"{model_label} {p_model:.2f} (weight {w:.2f})")
        if found is not None:
            parts.append(_cold_reason(found) + (f" (weight {1.0 - w:.2f})" if w > 0.0 else ""))
        elif w > 0.0:
            parts.append("cold-start knowledge found nothing for it")
        candidates.append(
            Candidate(
                code=code,
                name=names.get(code) or (found.name if found is not None else code),
                kind="matter",
                standard=STANDARD,
                confidence=round(confidence, 4),
                reason="; ".join(parts),
            )
        )
    candidates.sort(key=lambda c: (-c.confidence, c.code))
    return candidates[:k]


def categorise_many(city_code: str, texts: Sequence[str], k: int = 3) -> list[list[Candidate]]:
    """`categorise` for a batch of texts: the city model predicts them in one pass."""
    results: list[list[Candidate]] = [[] for _ in texts]
    spoken = [i for i, text in enumerate(texts) if text.strip()]  # a blank text says nothing
    if not spoken:
        return results
    cold_start = ColdStart.load()
    colds = {i: cold_start.predict_top(texts[i], max(k, COLD_POOL)) for i in spoken}
    found = city_model(city_code)
    if found is None:
        for i in spoken:
            results[i] = blend(None, colds[i], weight=0.0, k=k)
        return results
    model, version = found
    n_samples = int(model.metadata.get("n_samples") or 0)
    weight = model_weight(n_samples)
    label = f"city model v{version} ({n_samples} reports)"
    proba = model.predict_proba([texts[i] for i in spoken])
    for i, row in zip(spoken, proba, strict=True):
        scores = {code: float(p) for code, p in zip(model.classes, row, strict=True)}
        results[i] = blend(scores, colds[i], weight=weight, model_label=label, k=k)
    return results


def categorise(city_code: str, text: str, k: int = 3) -> list[Candidate]:
    """The k most likely matter codes of a report text, best first, with confidence and reason.

    The city's current model (when its labels are national matter codes) mixed with the
    cold-start knowledge; the cold start alone for a city without one. Empty for a blank text
    or when neither finds anything (then a person chooses).
    """
    return categorise_many(city_code, [text], k)[0]
