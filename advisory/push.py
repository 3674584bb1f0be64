"""Web Push: the server's VAPID identity, which push services it posts to, and sending one
encrypted message (RFC 8291, signed per RFC 8292) with pywebpush."""
import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

TIME_TO_LIVE = 12 * 3600  # a reminder older than half a day is not worth showing
TOPIC = "due-list"  # the push service replaces a waiting message with a newer one
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


@dataclass(frozen=True)
class Outcome:
    """What became of one push: "sent", "gone" (drop the subscription) or "retry"."""
    state: str
    detail: str = ""


def send(subscription, payload: dict, config) -> Outcome:
    """Encrypt and post `payload` (JSON) to one subscription's push service."""
    if not origin_allowed(subscription.endpoint, config["PUSH_SERVICE_ORIGINS"]):
        return Outcome("gone", "endpoint no longer on a known push service")
    info = {"endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    try:
        response = webpush(info, data=json.dumps(payload),
                           vapid_private_key=vapid_key(config["VAPID_PRIVATE_KEY"]),
                           vapid_claims={"sub": subject(config)}, ttl=TIME_TO_LIVE,
                           timeout=SEND_TIMEOUT, headers={"Topic": TOPIC, "Urgency": "normal"})
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            return Outcome("gone", f"push service answered {status}")
        return Outcome("retry", f"push service answered {status or error.message}")
    except Exception as error:  # network errors: try again later  # noqa: BLE001
        return Outcome("retry", f"{type(error).__name__}: {error}")
    return Outcome("sent", f"accepted ({response.status_code})")
