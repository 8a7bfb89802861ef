"""Channel adapters, by name. Each one has its own schema and tests, and feeds `intake.receive`."""

from cityloop.intake.channels.base import Channel, ChannelContext, NormalizedReport
from cityloop.intake.channels.camera import CameraChannel
from cityloop.intake.channels.citizen import CitizenChannel
from cityloop.intake.channels.hotline import HotlineChannel
from cityloop.intake.channels.inspector import InspectorChannel
from cityloop.intake.channels.open311 import Open311Channel
from cityloop.intake.channels.sensor import SensorChannel
from cityloop.intake.channels.sms import SmsChannel

CHANNELS: dict[str, Channel] = {
    "citizen": CitizenChannel(),
    "inspector": InspectorChannel(),
    "hotline": HotlineChannel(),
    "camera": CameraChannel(),
    "sensor": SensorChannel(),
    "sms": SmsChannel(),
    "open311": Open311Channel(),
}

__all__ = ["CHANNELS", "Channel", "ChannelContext", "NormalizedReport"]
