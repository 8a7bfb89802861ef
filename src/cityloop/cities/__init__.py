"""Cities: tenants keyed by division code, their typed parameters, and city plugins."""

from cityloop.cities.actions import do_create_city, do_reset_parameter, do_set_parameters, do_upsert_city
from cityloop.cities.divisions import division_code_problem, is_within
from cityloop.cities.params import CityParameters, describe_parameters
from cityloop.cities.plugins import DefaultCity, load_plugins, plugin_for
from cityloop.cities.queries import find_city, get_city, get_parameters, list_cities

__all__ = [
    "CityParameters",
    "DefaultCity",
    "describe_parameters",
    "division_code_problem",
    "do_create_city",
    "do_reset_parameter",
    "do_set_parameters",
    "do_upsert_city",
    "find_city",
    "get_city",
    "get_parameters",
    "is_within",
    "list_cities",
    "load_plugins",
    "plugin_for",
]
