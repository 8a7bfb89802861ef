"""The demo city 示范市 / Demo City: a deterministic generator of a complete city pack."""

from cityloop.sim.democity.pack import DemoPack, build_demo_pack

__all__ = ["DemoPack", "build_demo_pack"]
