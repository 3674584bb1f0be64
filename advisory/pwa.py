"""The installable app: manifest, service worker, offline page, and the sync endpoint
that receives contacts logged while offline."""
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from flask import (
    Blueprint, Response, current_app, render_template, request, send_from_directory, url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from . import cadence
from .forms import ContactForm
from .models import Advisor

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#1d5c57"  # --brand in static/css/app.css
BACKGROUND_COLOUR = "#f6f4ef"  # --bg
SW_SOURCE = "js/sw.js"  # under static/; served at /sw.js with its version prepended
NOT_PRECACHED = {SW_SOURCE, "icons/favicon.ico"}


@bp.record_once
def build_service_worker(state) -> None:
    """Read the static files once at start: their hash versions the worker's cache."""
    state.app.extensions["advisory_sw"] = service_worker_script(state.app)


def service_worker_script(app) -> bytes:
    """The worker script with VERSION and PRECACHE (static URLs, offline page) prepended.

    VERSION hashes every static file and the templates the offline page is made of, so
    any change to them installs a new worker that fetches fresh copies.
    """
    static = Path(app.static_folder).resolve()
    templates = Path(app.root_path, app.template_folder).resolve()
    digest = hashlib.sha256()
    files = sorted(p for p in static.rglob("*")
                   if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(static).parts))
    for path in [*files, templates / "base.html", *sorted((templates / "pwa").glob("*"))]:
        digest.update(path.name.encode() + path.read_bytes())
    precache = [f"{app.static_url_path}/{p.relative_to(static).as_posix()}" for p in files
                if p.relative_to(static).as_posix() not in NOT_PRECACHED]
    precache += ["/offline", "/manifest.webmanifest"]
    header = (f"const VERSION = {json.dumps(digest.hexdigest()[:12])};\n"
              f"const PRECACHE = {json.dumps(precache)};\n"
              f"const OUTBOX_SCRIPT = {json.dumps(app.static_url_path + '/js/outbox.js')};\n"
              f"const PUSH_SCRIPT = {json.dumps(app.static_url_path + '/js/sw-push.js')};\n")
    return header.encode() + (static / SW_SOURCE).read_bytes()


@bp.after_app_request
def buffer_text_files(response):
    """Read a static text file into memory so Flask-Compress compresses it whole.

    Left as a file stream, Flask-Compress compresses it chunk by chunk: no Content-Length,
    and the file is never closed. Runs before Flask-Compress (registered after it).
    """
    if (response.direct_passthrough and response.status_code == 200
            and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]):
        stream = response.response
        response.direct_passthrough = False
        response.set_data(b"".join(stream))
        stream.close()
    return response


@bp.get("/sw.js")
def service_worker():
    response = Response(current_app.extensions["advisory_sw"], mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": url_for("static", filename=f"icons/{name}"), "sizes": f"{size}x{size}",
        "type": "image/png", "purpose": purpose}
    body = {
        "name": "Advisory",
        "short_name": "Advisory",
        "description": "Keep your personal board of advisors alive: see who is due, "
                       "log a conversation in one tap.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "lang": "en",
        "categories": ["productivity", "business"],
        "icons": [icon("icon-192.png", 192), icon("icon-512.png", 512),
                  icon("icon-maskable-512.png", 512, "maskable")],
    }
    response = Response(json.dumps(body, indent=1), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(Path(current_app.static_folder, "icons"), "favicon.ico",
                               mimetype="image/vnd.microsoft.icon")


@bp.get("/offline")
def offline():
    """What the service worker shows for a page it has no saved copy of."""
    return render_template("pwa/offline.html")


@bp.post("/sync/contacts")
def sync_contact():
    """Store one contact logged while offline (JSON; CSRF token in X-CSRFToken).

    The idempotency key makes a replay harmless. Answers 200 with the wording of the log,
    404 when the advisor is gone, 422 with the first form error, 401 when signed out, and
    409 when it was logged by another account than the one now signed in on the device.
    """
    if not current_user.is_authenticated:
        return {"status": "signed-out", "message": "Sign in to send it."}, 401
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not payload.get("key"):
        return {"status": "refused", "message": "That sync request is incomplete."}, 400
    if payload.get("account") not in (None, "", str(current_user.id)):
        return {"status": "other-account",
                "message": "It was logged by another account: sign in as that account."}, 409
    advisor_id = payload.get("advisor")
    valid_id = isinstance(advisor_id, int) and not isinstance(advisor_id, bool)
    advisor = Advisor.owned(current_user, advisor_id) if valid_id else None
    if advisor is None:
        return {"status": "gone", "message": "That person is no longer on your board."}, 404
    today = current_user.today()
    form = ContactForm(formdata=contact_fields(payload, advisor, current_user.timezone),
                       today=today, meta={"csrf": False})  # checked by CSRFProtect already
    if not form.validate():
        errors = [e for messages in form.errors.values() for e in messages]
        return {"status": "refused", "message": errors[0]}, 422
    advisor.log_contact(happened_on=form.happened_on.data, kind=form.kind.data,
                        notes=form.notes.data.strip(), thanked=form.thanked.data,
                        key=form.key.data)
    when = "today" if form.happened_on.data == today else cadence.ago(form.happened_on.data, today)
    text = f"{cadence.KINDS[form.kind.data]} with {advisor.name}, {when}"
    return {"status": "logged", "text": text}


def contact_fields(payload: dict, advisor: Advisor, tz: str) -> MultiDict:
    """The log form's fields from a sync payload.

    A one-tap log sends `at` (milliseconds since the epoch, when it was tapped) instead of
    a date and kind: its date is that moment's date in the account's zone, however late
    it syncs, and its kind is the advisor's usual one.
    """
    fields = {"kind": payload.get("kind") or advisor.meeting_kind,
              "notes": str(payload.get("notes") or ""),
              "key": str(payload.get("key"))}
    if payload.get("happened_on"):
        fields["happened_on"] = str(payload["happened_on"])
    elif isinstance(payload.get("at"), (int, float)):
        now = datetime.now(timezone.utc)
        try:
            tapped = datetime.fromtimestamp(payload["at"] / 1000, timezone.utc)
        except (OverflowError, OSError, ValueError):
            tapped = None  # left without a date: the form says what to fix
        if tapped:
            fields["happened_on"] = cadence.today_in(tz, min(tapped, now)).isoformat()
    if payload.get("thanked"):
        fields["thanked"] = "y"
    return MultiDict(fields)
