"""The simulator's engine: virtual time through the real flows and actions, and the run's figures."""

from cityloop.sim.engine.automation import Automation, BatchAssigner
from cityloop.sim.engine.board import Board, Travel
from cityloop.sim.engine.hindsight import hindsight_km
from cityloop.sim.engine.metrics import compute_metrics
from cityloop.sim.engine.model import Hooks
from cityloop.sim.engine.policies import POLICIES
from cityloop.sim.engine.simulate import AutomationFactory, SimConfig, simulate

__all__ = [
    "POLICIES",
    "Automation",
    "AutomationFactory",
    "BatchAssigner",
    "Board",
    "Hooks",
    "SimConfig",
    "Travel",
    "compute_metrics",
    "hindsight_km",
    "simulate",
]
