"""Configuration from environment variables, with secrets kept in the instance folder."""
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from playhouse.db_url import parse as parse_db_url


def make_private_folder(path: str) -> None:
    """Create `path` (if missing) readable by this user only: it holds the database and secrets."""
    os.makedirs(path, mode=0o700, exist_ok=True)


def make_private_file(path: str | Path, content: str = "") -> None:
    """Create `path` (if missing) readable and writable by this user only, from the start:
    never a moment when another user on the machine could open it. It appears whole, so a
    second worker starting at the same moment reads the same content, never half of it."""
    if os.path.exists(path):
        return
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or ".")  # created 0600
    try:
        with os.fdopen(fd, "w") as file:
            file.write(content)
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first: keep theirs
    finally:
        os.unlink(temporary)


def make_private_database(url: str) -> None:
    """Create a SQLite database file as a private file before SQLite opens it; SQLite then
    gives its -wal and -shm files the same mode."""
    if not url.startswith("sqlite"):
        return
    path = parse_db_url(url)["database"]
    if path and path != ":memory:" and not path.startswith("file:"):
        make_private_file(path)


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    make_private_file(path, secrets.token_hex(32))
    return path.read_text().strip()


# Push services the server may post to (their HTTPS origins); "*." matches any subdomain.
DEFAULT_PUSH_SERVICES = (
    "https://fcm.googleapis.com",  # Chrome, Edge on Android, Samsung Internet, Opera
    "https://updates.push.services.mozilla.com",  # Firefox
    "https://web.push.apple.com",  # Safari (macOS, iOS and iPadOS home-screen apps)
    "https://*.notify.windows.com",  # Edge on Windows
)


# Apprise URL schemes an account may add as a notification channel (NOTIFY_SCHEMES): ntfy,
# Gotify and Matrix (self-hosted or not), Telegram, Pushover, Discord and Slack, and JSON
# or form webhooks (n8n, Home Assistant). All of them are HTTP(S) requests whose addresses
# are vetted (reminders/channels/outbound.py). Left out: kinds that act on this machine
# (desktop notifications, syslog, D-Bus) or that log in elsewhere with a person's password
# (mailto: the digest is the email channel).
DEFAULT_NOTIFY_SCHEMES = ("ntfy", "ntfys", "gotify", "gotifys", "matrix", "matrixs", "tgram",
                          "pover", "discord", "slack", "json", "jsons", "form", "forms")


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
        make_private_file(path, key.private_pem().decode())  # whole, 0600 from the start
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
        # At most this many messages a second from each dispatcher (0: as fast as it goes)
        "MAIL_RATE": float(os.environ.get("MAIL_RATE", "0") or 0),
    }


def from_environment(instance_path: str) -> dict:
    """Every setting the app reads, with the defaults a single small server wants."""
    default_db = "sqlite:///" + os.path.join(instance_path, "advisory.db")
    secure = os.environ.get("SECURE_COOKIES", "") == "1"
    # "__Host-" cookies are only ever set over HTTPS for this exact host and path "/",
    # so a sibling subdomain or a plain-HTTP page cannot plant or overwrite them.
    prefix = "__Host-" if secure else ""
    return {
        "SECRET_KEY": secret_key(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        # Absolute links (feed, setup URL) use this when set; otherwise the request's host.
        "BASE_URL": os.environ.get("BASE_URL", "").rstrip("/"),
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "SESSION_COOKIE_NAME": f"{prefix}session",
        "REMEMBER_COOKIE_NAME": f"{prefix}remember_token",
        "STRICT_TRANSPORT_SECURITY": secure,  # served over HTTPS only: tell browsers so
        # How many reverse proxies in front of the app set X-Forwarded-For and -Proto: their
        # headers are believed (the client address for throttling, https), nobody else's.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0") or 0),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=90),  # "keep me signed in", checked server-side
        "SESSION_DURATION": timedelta(days=1),  # a sign-in without it ends at the latest then
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: a phone tab may stay open for days
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # With Redis unreachable, count in this process's memory (and retry Redis now and
        # then) rather than refuse every sign-in with a 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed sign-ins allowed per client address, and again per account tried.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Processes that each count in their own memory (gunicorn's workers, which gunicorn
        # also reads from this variable): each allows its share, so the limits hold overall.
        "RATELIMIT_PROCESSES": int(os.environ.get("WEB_CONCURRENCY", "1") or 1),
        # Bodies over these are refused with 413 before being parsed. The largest form (an
        # advisor with every note full of four-byte characters, URL-encoded) is ~250 kB; a
        # multipart text part, at most a 10,000-character note (40 kB); ~25 fields a form.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024)),
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,
        "MAX_FORM_PARTS": 100,
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
        "NOTIFY_SCHEMES": [
            scheme.strip().lower() for scheme in
            os.environ.get("NOTIFY_SCHEMES", ",".join(DEFAULT_NOTIFY_SCHEMES)).split(",")
            if scheme.strip()],
        # Channels may reach private and local addresses (ntfy on a home network) only then.
        "NOTIFY_ALLOW_PRIVATE": flag("NOTIFY_ALLOW_PRIVATE"),
    }
