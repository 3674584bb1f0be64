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
        # With Redis unreachable, count in this process's memory (and retry Redis now and
        # then) rather than refuse every sign-in with a 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "text/javascript", "application/javascript",
            "application/json", "application/manifest+json", "text/calendar", "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
    }
