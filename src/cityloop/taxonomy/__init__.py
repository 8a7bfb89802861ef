"""Taxonomy: classification codes of components (部件) and matters (事项), editions, crosswalk,
city-local extension codes and registration conditions (立案条件). See DOMAIN.md §4–§5."""

from cityloop.taxonomy.actions import do_seed_registration_conditions, do_seed_standards
from cityloop.taxonomy.crosswalk import Crosswalk, CrosswalkPair, Unmapped, crosswalk
from cityloop.taxonomy.errors import (
    AmbiguousCategory,
    InvalidKind,
    TaxonomyImportFailed,
    UnknownCategory,
    UnknownStandard,
)
from cityloop.taxonomy.local_codes import check_local_codes, do_import_local_codes, export_local_codes
from cityloop.taxonomy.queries import (
    category_keys,
    find_category,
    get_category,
    list_categories,
    list_registration_conditions,
    list_standards,
    major_keys,
    select_registration_conditions,
)
from cityloop.taxonomy.standards import KINDS, LEGACY, STANDARD_2026, STANDARDS, check_kind, check_standard

__all__ = [
    "KINDS",
    "LEGACY",
    "STANDARDS",
    "STANDARD_2026",
    "AmbiguousCategory",
    "Crosswalk",
    "CrosswalkPair",
    "InvalidKind",
    "TaxonomyImportFailed",
    "UnknownCategory",
    "UnknownStandard",
    "Unmapped",
    "category_keys",
    "check_kind",
    "check_local_codes",
    "check_standard",
    "crosswalk",
    "do_import_local_codes",
    "do_seed_registration_conditions",
    "do_seed_standards",
    "export_local_codes",
    "find_category",
    "get_category",
    "list_categories",
    "list_registration_conditions",
    "list_standards",
    "major_keys",
    "select_registration_conditions",
]
