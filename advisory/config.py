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
    }
