"""Advisory: keep a personal board of advisors alive."""
from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from advisory import cli, config, errors, rendering
from advisory.database import db, open_database
from advisory.extensions import compress, csrf, htmx, limiter, login_manager, mailman
from advisory.models import UserSession

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Responses that are not a signed-in page, and set their own caching (a photo too: its
# versioned address is cached for good, in the browser and by the service worker).
PUBLIC_ENDPOINTS = {"static", "pwa.scripts", "pwa.service_worker", "pwa.manifest",
                    "pwa.favicon", "calendar.feed", "photos.image"}


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """The application factory used by `flask --app app`, gunicorn and the tests."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path,
                template_folder="../templates", static_folder="../static")
    config.make_private_folder(app.instance_path)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    config.make_private_database(app.config["DATABASE_URL"])
    app.config["DATABASE"] = open_database(app.config["DATABASE_URL"])
    app.config["FLASKDB_EXCLUDED_ROUTES"] = ("static",)
    if proxies := app.config["TRUSTED_PROXIES"]:
        # The client's address and scheme as the proxies saw them; a header a client
        # forged is further along the chain than the proxies' own and is not read.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    compress.init_app(app)
    mailman.init_app(app)
    app.after_request(buffer_text_files)  # runs before Flask-Compress's (registered later)

    from advisory.account import auth, password_reset, settings
    from advisory.advisors import (
        board, closing, gives, goals, history, introductions, mentees, photos, prep, promises,
        reviews, sync, yearly,
    )
    from advisory.advisors import views as advisors
    from advisory.calendar import views as calendar
    from advisory.data import views as data
    from advisory.pwa import views as pwa
    from advisory.reminders import views as notifications
    from advisory.search import views as search
    for module in (auth, board, advisors, history, gives, prep, promises, sync, calendar,
                   settings, pwa, notifications, password_reset, data, mentees, introductions,
                   reviews, goals, closing, yearly, photos, search):
        app.register_blueprint(module.bp)
    errors.register(app)
    cli.register(app)
    rendering.register_template_helpers(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Our own pages' addresses stay on this site (a feed or reset link carries a
        # token), but reach it: over HTTPS, CSRF protection requires a same-origin Referer.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["STRICT_TRANSPORT_SECURITY"]:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if request.endpoint not in PUBLIC_ENDPOINTS and current_user.is_authenticated:
            # A signed-in page stays out of shared caches and the browser's disk cache
            # (the service worker keeps its own offline copies with the Cache API).
            response.headers["Cache-Control"] = "private, no-store"
        return response

    return app


def buffer_text_files(response):
    """Read a static text file into memory so Flask-Compress compresses it whole.

    Left as a file stream, Flask-Compress compresses it chunk by chunk: no Content-Length,
    and the file is never closed.
    """
    if (response.direct_passthrough and response.status_code == 200
            and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]):
        stream = response.response
        response.direct_passthrough = False
        response.set_data(b"".join(stream))
        stream.close()
    return response


@login_manager.user_loader
def load_user(token: str):
    """The account signed in with this session token (Flask-Login's id), while it lasts."""
    return UserSession.user_for(token)
