"""Extension objects, created once and bound to the app in create_app(), and the
throttling rules every limited form shares."""
from flask import current_app, request
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_wtf.csrf import CSRFProtect
from limits import parse

compress = Compress()
csrf = CSRFProtect()
htmx = HTMX()
# The client address is the real one: ProxyFix (TRUSTED_PROXIES) has read it from the proxy.
limiter = Limiter(get_remote_address, default_limits=[])
login_manager = LoginManager()
mailman = Mail()  # email for the dispatcher (advisory/reminders/mail.py)
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.session_protection = "basic"


def share(setting: str):
    """The limit named by config `setting`, as this process's share of it.

    With the in-memory counter each worker process counts alone, so N workers would allow
    N times the limit; each allows 1/N of it instead, and the documented limit holds
    overall. A shared counter (Redis) takes the limit whole."""
    def limit() -> str:
        config = current_app.config
        item = parse(config[setting])
        processes = config["RATELIMIT_PROCESSES"]
        if processes <= 1 or not config["RATELIMIT_STORAGE_URI"].startswith("memory"):
            return config[setting]
        return f"{max(1, item.amount // processes)} per {item.multiples} {item.GRANULARITY.name}"
    return limit


def submitted_email() -> str:
    """The account a sign-in or reset form names: attempts are also counted per account,
    so guesses spread over many addresses still meet a limit."""
    return "account:" + request.form.get("email", "").strip().casefold()[:254]


def failed(response) -> bool:
    """Only refused attempts count: a person who signs in is never held back by it."""
    return response.status_code >= 400
