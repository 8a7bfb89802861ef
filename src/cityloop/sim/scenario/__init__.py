"""The simulator's scenario: arrivals calibrated from Boston 311 2015, placed on the city's map."""

from cityloop.sim.scenario.arrivals import DEFAULT_REPORTS_PER_DAY, PATROL_HOURS, build_scenario, code_mix
from cityloop.sim.scenario.calibration import Calibration, calibrate, load_calibration, write_calibration
from cityloop.sim.scenario.citymap import CityMap, load_city_map
from cityloop.sim.scenario.devices import DeviceRules
from cityloop.sim.scenario.mapping import BOSTON_TO_GBT, HOT_SPOTS, map_boston_type
from cityloop.sim.scenario.model import Arrival, Scenario
from cityloop.sim.scenario.payloads import payload_of

__all__ = [
    "BOSTON_TO_GBT",
    "DEFAULT_REPORTS_PER_DAY",
    "HOT_SPOTS",
    "PATROL_HOURS",
    "Arrival",
    "Calibration",
    "CityMap",
    "DeviceRules",
    "Scenario",
    "build_scenario",
    "calibrate",
    "code_mix",
    "load_calibration",
    "load_city_map",
    "map_boston_type",
    "payload_of",
    "write_calibration",
]
