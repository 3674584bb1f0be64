"""Email: the signed tokens in its links, how a message is composed, and the SMTP
connection the dispatcher sends over.

The messages themselves belong to their channels (channels/digest.py, channels/reset.py).
Only the dispatcher sends (advisory/reminders/dispatcher.py); web requests queue instead.
Messages are built by Flask-Mailman (plain text and HTML parts) from templates/email/.
"""
import time
from urllib.parse import urlsplit

from flask import current_app, render_template, request
from flask_mailman import EmailMultiAlternatives
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from advisory.extensions import mailman
from advisory.models import digest

RESET_VALID_SECONDS = 3600
UNSUBSCRIBE_SALT = "advisory.digest-unsubscribe"
RESET_SALT = "advisory.password-reset"
MESSAGES_PER_CONNECTION = 50  # some servers refuse more on one connection (Gmail: 100)


def configured() -> bool:
    """True when the owner set MAIL_SERVER: without it, no email options are offered."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _account_fingerprint(user) -> str:
    # Part of the unsubscribe token: the account's id alone is not enough, since SQLite
    # gives a deleted account's id to the next account made. Its creation time, which
    # never changes, dies with it; the id taken over comes with a later one.
    return digest(f"{user.id}@{user.created_at:%Y-%m-%dT%H:%M:%S}")[:16]


def unsubscribe_token(user) -> str:
    """A signed token naming the account, for the digest's one-click unsubscribe.

    It never expires (an old digest's link should still work) and grants nothing but
    turning the digest off, for this account only: not for a later account that got the
    same id after this one was deleted.
    """
    serializer = URLSafeSerializer(current_app.secret_key, salt=UNSUBSCRIBE_SALT)
    return serializer.dumps({"u": user.id, "a": _account_fingerprint(user)})


def unsubscribe_signed(token: str) -> bool:
    """True when the token is one this site signed, live or not."""
    try:
        URLSafeSerializer(current_app.secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return False
    return True


def unsubscribe_user(token: str, load_user):
    """The account an unsubscribe token belongs to, or None when it is forged, its account
    was deleted, or it is in the first format (the bare id, which a later account with the
    reused id would match: those links no longer work, and the page says to use Settings).

    `load_user(id)` fetches the account (None if it is gone).
    """
    try:
        value = URLSafeSerializer(current_app.secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(value, dict) or type(value.get("u")) is not int:
        return None
    user = load_user(value["u"])
    if user is None or value.get("a") != _account_fingerprint(user):
        return None
    return user


def _password_fingerprint(user) -> str:
    # Part of the reset token: once the password changes, every earlier link stops working.
    return digest(user.password_hash)[:16]


def reset_token(user) -> str:
    """A signed reset token, valid one hour and only until the password next changes."""
    serializer = URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)
    return serializer.dumps({"u": user.id, "p": _password_fingerprint(user)})


def reset_user(token: str, load_user):
    """The account a reset token belongs to, or None when it is forged, expired or used.

    `load_user(id)` fetches the account (None if it is gone).
    """
    serializer = URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)
    try:
        value = serializer.loads(token, max_age=RESET_VALID_SECONDS)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("u"), int):
        return None
    user = load_user(value["u"])
    if user is None or value.get("p") != _password_fingerprint(user):
        return None
    return user


def message_id(delivery) -> str:
    """The Message-ID of a delivery's email: the same each time that delivery is sent, so
    a copy sent again after a crash (see dispatcher.py) can be recognised as the same
    message. Made of the delivery row's target, period and id, at the site's host."""
    host = urlsplit(request.host_url).hostname or "localhost"
    host = f"[{host}]" if ":" in host else host  # an IPv6 address, as a domain literal
    return f"<{delivery.target}.{delivery.period}.{delivery.id}@{host}>"


def compose(to: str, subject: str, template: str, headers=None, **context):
    """An email from templates/email/<template>.txt and .html (both parts)."""
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


class Connection:
    """One SMTP connection for a dispatcher pass: opened for the first email, reused for
    the next ones (a fresh one every MESSAGES_PER_CONNECTION), closed by close(). With
    MAIL_RATE set, messages leave no faster than that many a second (per dispatcher), for
    relays that limit it.

    send() returns as soon as the server has accepted the message, before anything else
    is said to it (QUIT included), so the dispatcher records it at once.
    """

    def __init__(self):
        self.backend = None
        self.count = 0
        rate = current_app.config.get("MAIL_RATE") or 0
        self.spacing = 1 / rate if rate > 0 else 0.0
        self.next_at = 0.0  # time.monotonic() before which the next message waits

    def send(self, message) -> None:
        """Send one message; raises when the server refuses it or cannot be reached."""
        if self.spacing:
            time.sleep(max(0.0, self.next_at - time.monotonic()))
            self.next_at = time.monotonic() + self.spacing
        if self.backend is not None and self.count >= MESSAGES_PER_CONNECTION:
            self.close()
        try:
            if self.backend is None:
                self.backend = mailman.get_connection(fail_silently=False)
                self.count = 0
                self.backend.open()  # opened here, send_messages() leaves it open
            self.backend.send_messages([message])
        except Exception:
            self.close()  # in an unknown state: the next message gets a new one
            raise
        self.count += 1

    def close(self) -> None:
        """Say goodbye to the server. Whatever it answers changes nothing: every message
        it accepted is already recorded as sent."""
        backend, self.backend = self.backend, None
        if backend is None:
            return
        try:
            backend.close()
        except Exception:  # noqa: BLE001, S110 - a QUIT that fails loses nothing
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
