"""Configuration from environment variables, with secrets kept in the instance folder."""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


# Push services the server may post to (their HTTPS origins); "*." matches any subdomain.
DEFAULT_PUSH_SERVICES = (
    "https://fcm.googleapis.com",  # Chrome, Edge on Android, Samsung Internet, Opera
    "https://updates.push.services.mozilla.com",  # Firefox
    "https://web.push.apple.com",  # Safari (macOS, iOS and iPadOS home-screen apps)
    "https://*.notify.windows.com",  # Edge on Windows
)


def vapid_private_key(instance_path: str) -> str:
    """VAPID_PRIVATE_KEY from the environment, else a P-256 key (PEM) generated once into
    the instance folder, readable by its owner only: push services tie subscriptions to it."""
    if os.environ.get("VAPID_PRIVATE_KEY"):
        return os.environ["VAPID_PRIVATE_KEY"]
    path = Path(instance_path) / "vapid_private.pem"
    if not path.exists():
        from py_vapid import Vapid02

        key = Vapid02()
        key.generate_keys()
        # Created with 0600 from the start: the key never exists readable by others.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "wb") as file:
                file.write(key.private_pem())
    return path.read_text()


def flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")


def mail_settings() -> dict:
    """Flask-Mailman's MAIL_* settings; without MAIL_SERVER no email is sent at all."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25") or 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": flag("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Advisory <advisory@localhost>"),
        "MAIL_TIMEOUT": 30,
        "MAIL_BACKEND": "smtp",  # real SMTP, also under TESTING (tests use a real server)
    }


def from_environment(instance_path: str) -> dict:
    """Every setting the app reads, with the defaults a single small server wants."""
    default_db = "sqlite:///" + os.path.join(instance_path, "advisory.db")
    return {
        "SECRET_KEY": secret_key(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        # Absolute links (feed, setup URL) use this when set; otherwise the request's host.
        "BASE_URL": os.environ.get("BASE_URL", "").rstrip("/"),
        "SESSION_COOKIE_SECURE": os.environ.get("SECURE_COOKIES", "") == "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("SECURE_COOKIES", "") == "1",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=90),
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: a phone tab may stay open for days
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "text/javascript", "application/javascript",
            "application/json", "application/manifest+json", "text/calendar", "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        **mail_settings(),
        "VAPID_PRIVATE_KEY": vapid_private_key(instance_path),
        # Who push services contact about this server: a mailto: or https: URL.
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", ""),
        "PUSH_SERVICE_ORIGINS": [
            origin.strip().rstrip("/") for origin in
            os.environ.get("PUSH_SERVICE_ORIGINS", ",".join(DEFAULT_PUSH_SERVICES)).split(",")
            if origin.strip()],
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT", "5 per hour"),
    }
