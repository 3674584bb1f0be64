"""Web Push: one notification a day per device, listing who is due, at the account's
reminder time. Its setting: a device subscribed in Settings (the views store it).

Also the server's VAPID identity, which push services it posts to and which device keys
it accepts (the subscribe view asks too), and sending one encrypted message (RFC 8291,
signed per RFC 8292) with pywebpush.
"""
import base64
import binascii
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app, url_for
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from advisory.core import reminders
from advisory.models import PushSubscription, User
from advisory.reminders.channels.base import Channel, Outcome, Target
from advisory.rendering import id_url

TIME_TO_LIVE = 12 * 3600  # a reminder older than half a day is not worth showing
# RFC 8030 Topic (at most 32 characters of the base64url alphabet): the push service keeps
# one waiting message per topic and subscription, so a newer reminder replaces one the
# device has not fetched yet (yesterday's, or the same one sent again after a crash).
TOPIC = "due-list"
SEND_TIMEOUT = 15  # seconds


@lru_cache(maxsize=4)
def vapid_key(private_key: str) -> Vapid02:
    """The VAPID key from its PEM, or from the base64url raw/DER form py_vapid prints."""
    text = private_key.strip()
    if text.startswith("-----BEGIN"):
        return Vapid02.from_pem(text.encode())
    return Vapid02.from_string(text)


def application_server_key(private_key: str) -> str:
    """The public key browsers subscribe with (base64url, uncompressed P-256 point)."""
    point = vapid_key(private_key).public_key.public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def subject(config) -> str:
    """Who the push services may contact: VAPID_SUBJECT, else the sender's address, else
    the site's address."""
    if config.get("VAPID_SUBJECT"):
        return config["VAPID_SUBJECT"]
    sender = config.get("MAIL_DEFAULT_SENDER") or ""
    address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    if config.get("MAIL_SERVER") and "@" in address:
        return f"mailto:{address}"
    base = config.get("BASE_URL") or ""
    return base if base.startswith("https://") else "mailto:advisory@localhost"


def origin_allowed(endpoint: str, origins) -> bool:
    """True when `endpoint` is on one of the known push services' origins.

    An origin "https://*.example.com" matches any subdomain of example.com; a bare
    origin matches itself only (scheme, host and port), so a loopback test receiver
    must be listed with its port.
    """
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username:
        return False
    for origin in origins:
        allowed = urlsplit(origin)
        if allowed.scheme != parts.scheme or (allowed.port or None) != port:
            continue
        host = allowed.hostname or ""
        if host.startswith("*."):
            if parts.hostname.endswith(host[1:]):
                return True
        elif parts.hostname == host:
            return True
    return False


def valid_device_key(p256dh) -> bool:
    """True when `p256dh` (base64url) is an uncompressed point on P-256 (65 bytes, RFC
    8291), which encrypting to it needs.

    A browser always sends one; 65 bytes that are not a point can only be forged or
    damaged, and no later attempt would encrypt to them either."""
    if not isinstance(p256dh, str) or len(p256dh) > 200:
        return False
    try:
        point = base64.urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4))
        if len(point) != 65:
            return False
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (binascii.Error, ValueError):
        return False
    return True


def send(subscription, payload: dict, config) -> Outcome:
    """Encrypt and post `payload` (JSON in UTF-8) to one subscription's push service.

    A 413 (the service finds the message too large) fails for good: posting the same
    bytes again would be refused again, every retry and every day. The payload is built
    to fit (reminders.notification), so a 413 means a service stricter than the others;
    the next day's message is tried afresh.
    """
    if not origin_allowed(subscription.endpoint, config["PUSH_SERVICE_ORIGINS"]):
        return Outcome("gone", "endpoint no longer on a known push service")
    if not valid_device_key(subscription.p256dh):
        return Outcome("gone", "the device's key is not a P-256 point")
    data = reminders.payload_bytes(payload)
    if len(data) > reminders.PUSH_PAYLOAD_LIMIT:
        return Outcome("failed", f"{len(data)} bytes: over the push services' limit")
    info = {"endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    try:
        response = webpush(info, data=data,
                           vapid_private_key=vapid_key(config["VAPID_PRIVATE_KEY"]),
                           vapid_claims={"sub": subject(config)}, ttl=TIME_TO_LIVE,
                           timeout=SEND_TIMEOUT, headers={"Topic": TOPIC, "Urgency": "normal"})
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            return Outcome("gone", f"push service answered {status}")
        if status == 413:
            return Outcome("failed", "push service answered 413: message too large")
        return Outcome("retry", f"push service answered {status or error.message}")
    except Exception as error:  # network errors: try again later  # noqa: BLE001
        return Outcome("retry", f"{type(error).__name__}: {error}")
    return Outcome("sent", f"accepted ({response.status_code})")


@dataclass(frozen=True)
class Notification:
    """One device's message: where it goes and what it says."""
    subscription: PushSubscription
    payload: dict


class WebPush(Channel):
    name = "push"
    label = "notification"

    def target(self, subscription_id: int) -> Target:
        return Target(self.name, str(subscription_id))

    def audience(self):
        return User.id.in_(PushSubscription.select(PushSubscription.user))

    def owed(self, users, now):
        days = {user.id: day for user in users
                if (day := reminders.push_period(now, user.timezone, user.reminder_time))}
        if not days:
            return []
        devices: dict[int, list[int]] = {}
        for user_id, subscription_id in (PushSubscription
                                         .select(PushSubscription.user, PushSubscription.id)
                                         .where(PushSubscription.user.in_(list(days)))
                                         .tuples()):
            devices.setdefault(user_id, []).append(subscription_id)
        return [(user, self.target(device), days[user.id])
                for user in users for device in devices.get(user.id, [])]

    def prepare(self, delivery, today, agenda_for):
        user = delivery.user
        subscription = PushSubscription.get_or_none(  # still this account's device
            PushSubscription.id == int(Target.parse(delivery.target).key),
            PushSubscription.user == user.id)
        if subscription is None:
            return Outcome("gone", "device unsubscribed")
        agenda = agenda_for(user, today)
        payload = reminders.notification(agenda.cards, today, user.id,
                                         key=f"notification-{delivery.id}",
                                         prep_url=id_url("prep.page"),
                                         promises=agenda.promises,
                                         review=agenda.review(url_for("reviews.review")),
                                         dates=agenda.dates)
        if payload is None:
            return Outcome("empty", "nobody due")
        return Notification(subscription, payload)

    def send(self, message: Notification, connection) -> Outcome:
        return send(message.subscription, message.payload, current_app.config)

    def after(self, delivery, message: Notification, outcome: Outcome) -> None:
        if outcome.state == "gone":  # the push service forgot the device: so do we
            message.subscription.delete_instance()
