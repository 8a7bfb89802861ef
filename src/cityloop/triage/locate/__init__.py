"""Locate: address text → a point through the city's gazetteer (roads, intersections, POIs, areas)."""

from cityloop.triage.locate.gazetteer import AreaEntry, Gazetteer, PoiEntry, RoadEntry
from cityloop.triage.locate.match import KINDS, LocateResult, locate_text

__all__ = ["KINDS", "AreaEntry", "Gazetteer", "LocateResult", "PoiEntry", "RoadEntry", "locate_text"]
