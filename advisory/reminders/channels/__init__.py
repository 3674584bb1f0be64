"""The channels reminders go out through, one module each behind one interface
(channels/base.py), and the registry that finds a delivery's channel by its target.

A new channel is a module here with a Channel subclass, listed in CHANNELS below, and
whatever setting turns it on; the dispatcher needs no change. Modelled on healthchecks'
hc/api/transports.py (one class per channel).
"""
from advisory.reminders.channels import digest, push, reset, services
from advisory.reminders.channels.base import Channel, Outcome, Target

__all__ = ["CHANNELS", "Channel", "Outcome", "Target", "for_target", "register", "unregister"]

CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Make `channel` the one for targets named `channel.name`."""
    CHANNELS[channel.name] = channel
    return channel


def unregister(name: str) -> None:
    """Forget a channel: its deliveries left over fail (see dispatcher.deliver)."""
    CHANNELS.pop(name, None)


def for_target(target: str | Target) -> Channel | None:
    """The channel a Delivery.target belongs to, or None for one no longer known."""
    parsed = Target.parse(target) if isinstance(target, str) else target
    return CHANNELS.get(parsed.channel)


for _channel in (digest.Digest(), push.WebPush(), services.AppriseChannel(),
                 reset.PasswordReset()):
    register(_channel)
