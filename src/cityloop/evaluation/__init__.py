"""综合评价 (DOMAIN.md §7): indicators, scores, composite, grades and portraits, read from the timeline."""

from cityloop.evaluation.errors import EntityNotFound, InvalidPeriod, UnknownKind
from cityloop.evaluation.period import Period, make_period, month_period
from cityloop.evaluation.portrait import portrait
from cityloop.evaluation.queries import KINDS, Entity, count_period, evaluate, list_entities, row_of
from cityloop.evaluation.scoring import band_score, composite_of, grade_of, scores_of, tier_of

__all__ = [
    "KINDS",
    "Entity",
    "EntityNotFound",
    "InvalidPeriod",
    "Period",
    "UnknownKind",
    "band_score",
    "composite_of",
    "count_period",
    "evaluate",
    "grade_of",
    "list_entities",
    "make_period",
    "month_period",
    "portrait",
    "row_of",
    "scores_of",
    "tier_of",
]
