"""Channel adapters, by name. Each one has its own schema and tests, and feeds `intake.receive`."""

from cityloop.intake.channels.base import Channel, ChannelContext, NormalizedReport
from cityloop.intake.channels.citizen import CitizenChannel
from cityloop.intake.channels.inspector import InspectorChannel

CHANNELS: dict[str, Channel] = {
    "citizen": CitizenChannel(),
    "inspector": InspectorChannel(),
}

__all__ = ["CHANNELS", "Channel", "ChannelContext", "NormalizedReport"]
