"""Readers of public 311 exports (Boston 2015, NYC Open Data) into one common record.

The ground-truth duplicate label travels on the record for evaluation only; it is never a feature.
"""

from cityloop.triage.importers.boston311 import read_boston311
from cityloop.triage.importers.errors import ImportFailed
from cityloop.triage.importers.nyc311 import read_nyc311
from cityloop.triage.importers.records import FORMATS, ServiceRecord, read_records

__all__ = ["FORMATS", "ImportFailed", "ServiceRecord", "read_boston311", "read_nyc311", "read_records"]
