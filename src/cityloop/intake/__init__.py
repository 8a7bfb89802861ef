"""Intake: every channel into one idempotent pipeline (see `flows.process_report`)."""

from cityloop.intake.channels import CHANNELS, ChannelContext, NormalizedReport
from cityloop.intake.models import Device, DeviceState, Report
from cityloop.intake.queries import device_record, get_device, list_reports
from cityloop.intake.receive import Received, do_receive

__all__ = [
    "CHANNELS",
    "ChannelContext",
    "Device",
    "DeviceState",
    "NormalizedReport",
    "Received",
    "Report",
    "device_record",
    "do_receive",
    "get_device",
    "list_reports",
]
