"""Dispatch: which department handles a case (routing, by rules as data) and, within it, which worker.

Routing tries the component's owner, then the city's rules in priority order, then the
departments responsible for the category, then the street office of the case's street
(属地兜底); every decision says how it was made and why the rules above did not match.
"""

from cityloop.dispatch.errors import InvalidComponentOwners, InvalidRules
from cityloop.dispatch.models import ComponentOwner, DispatchRule
from cityloop.dispatch.routing import (
    RoutingDecision,
    RoutingTable,
    SkippedRule,
    load_routing_table,
    returned_departments,
    route_case,
)
from cityloop.dispatch.ruleio import (
    export_component_owners,
    export_rules,
    import_component_owners,
    import_rules,
)
from cityloop.dispatch.rules import (
    Catalogue,
    ComponentOwnerItem,
    Conditions,
    RuleItem,
    TimeWindow,
    check_component_owners,
    check_rules,
    load_catalogue,
    owner_problems,
    rule_problems,
)
from cityloop.dispatch.stats import automation_stats

__all__ = [
    "Catalogue",
    "ComponentOwner",
    "ComponentOwnerItem",
    "Conditions",
    "DispatchRule",
    "InvalidComponentOwners",
    "InvalidRules",
    "RoutingDecision",
    "RoutingTable",
    "RuleItem",
    "SkippedRule",
    "TimeWindow",
    "automation_stats",
    "check_component_owners",
    "check_rules",
    "export_component_owners",
    "export_rules",
    "import_component_owners",
    "import_rules",
    "load_catalogue",
    "load_routing_table",
    "owner_problems",
    "returned_departments",
    "route_case",
    "rule_problems",
]
