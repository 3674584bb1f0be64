"""Email: the digest and the password-reset message, and the signed tokens in their links.

Only the dispatcher sends (see advisory/dispatch.py); web requests queue instead. Messages
are built by Flask-Mailman (plain text and HTML parts) from templates/email/.
"""
from flask import current_app, render_template, url_for
from flask_mailman import EmailMultiAlternatives, Mail
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from .models import digest

mailman = Mail()  # the Flask-Mailman extension, bound in create_app()

RESET_VALID_SECONDS = 3600
UNSUBSCRIBE_SALT = "advisory.digest-unsubscribe"
RESET_SALT = "advisory.password-reset"


def configured() -> bool:
    """True when the owner set MAIL_SERVER: without it, no email options are offered."""
    return bool(current_app.config.get("MAIL_SERVER"))


def unsubscribe_token(user) -> str:
    """A signed token naming the account, for the digest's one-click unsubscribe.

    It never expires (an old digest's link should still work) and grants nothing but
    turning the digest off.
    """
    return URLSafeSerializer(current_app.secret_key, salt=UNSUBSCRIBE_SALT).dumps(user.id)


def unsubscribe_user_id(token: str) -> int | None:
    """The account id in a valid unsubscribe token, or None."""
    try:
        value = URLSafeSerializer(current_app.secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


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


def _message(to: str, subject: str, template: str, headers=None, **context):
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def send_digest(user, content, subject: str, today) -> None:
    """Send one digest; raises on a refused or failed SMTP conversation (retried later).

    Needs a request context whose base URL is the site (the dispatcher sets one up).
    """
    unsubscribe = url_for("notifications.unsubscribe", token=unsubscribe_token(user),
                          _external=True)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    _message(user.email, subject, "digest", headers=headers, content=content,
             unsubscribe_url=unsubscribe, user=user, today=today).send(fail_silently=False)


def send_reset(user) -> None:
    """Send a password-reset link; raises when the mail server refuses it."""
    link = url_for("password_reset.reset", token=reset_token(user), _external=True)
    _message(user.email, "Reset your Advisory password", "reset", link=link,
             user=user).send(fail_silently=False)
