"""The installable app: manifest, service worker, offline page, and the sync endpoint
that receives contacts logged while offline."""
import hashlib
import json
from datetime import date, datetime, timezone
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from advisory.advisors.forms import SYNC_KEY, ContactForm
from advisory.base_form import EARLIEST_DATE
from advisory.core import cadence, wording
from advisory.core.vocabulary import KINDS
from advisory.models import Advisor

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#1d5c57"  # --brand in static/css/app.css
BACKGROUND_COLOUR = "#f6f4ef"  # --bg
SW_SOURCE = "js/sw.js"  # under static/; served at /sw.js with its version prepended
NOT_PRECACHED = {SW_SOURCE, "icons/favicon.ico"}
OFFLINE_URL = "/offline"  # what the worker shows for a page it has no saved copy of...
SIGNED_OUT_URL = "/offline?signed-out=1"  # ...and that page once this device was signed out
GONE = {"status": "gone", "message": "That person is no longer on your board."}
LATEST_DATE = date(9000, 1, 1)


@bp.record_once
def build_service_worker(state) -> None:
    """Read the static files once at start: their hash versions the worker's cache."""
    state.app.extensions["advisory_sw"] = service_worker_script(state.app)


def service_worker_script(app) -> bytes:
    """The worker script with VERSION, PRECACHE (static URLs, offline pages) and the URLs
    it needs by name prepended.

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
    precache += [OFFLINE_URL, SIGNED_OUT_URL, "/manifest.webmanifest"]
    header = (f"const VERSION = {json.dumps(digest.hexdigest()[:12])};\n"
              f"const PRECACHE = {json.dumps(precache)};\n"
              f"const OFFLINE_URL = {json.dumps(OFFLINE_URL)};\n"
              f"const SIGNED_OUT_URL = {json.dumps(SIGNED_OUT_URL)};\n"
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
    """What the service worker shows for a page it has no saved copy of; with
    `?signed-out=1`, after it deleted its copies because this device was signed out."""
    return render_template("pwa/offline.html", signed_out="signed-out" in request.args)


@bp.post("/sync/contacts")
def sync_contact():
    """Store one contact logged while offline (JSON; CSRF token in X-CSRFToken).

    The idempotency key makes a replay harmless. Answers 200 with the wording of the log,
    400 for a request no client of ours sends (its message says what is wrong), 404 when
    the advisor is gone, 422 with the first form error, 401 when signed out, and 409 when
    it was logged by another account than the one now signed in on the device.
    """
    if not current_user.is_authenticated:
        return {"status": "signed-out", "message": "Sign in to send it."}, 401
    payload = request.get_json(silent=True)
    problem = payload_problem(payload)
    if problem:
        return {"status": "refused", "message": problem}, 400
    if str(payload.get("account") or current_user.id) != str(current_user.id):
        return {"status": "other-account",
                "message": "It was logged by another account: sign in as that account."}, 409
    advisor = Advisor.owned(current_user, payload["advisor"])
    if advisor is None:
        return GONE, 404
    today = current_user.today()
    form = ContactForm(formdata=contact_fields(payload, advisor, current_user.timezone),
                       today=today, meta={"csrf": False})  # checked by CSRFProtect already
    if not form.validate():
        name, messages = next(iter(form.errors.items()))
        return {"status": "refused", "message": f"{form[name].label.text}: {messages[0]}"}, 422
    try:
        advisor.log_contact(happened_on=form.happened_on.data, kind=form.kind.data,
                            notes=form.notes.data.strip(), thanked=form.thanked.data,
                            key=form.key.data)
    except Advisor.DoesNotExist:  # deleted on another device while this was on its way
        return GONE, 404
    when = wording.ago(form.happened_on.data, today)
    text = f"{KINDS[form.kind.data]} with {advisor.name}, {when}"
    return {"status": "logged", "text": text}


def is_number(value) -> bool:
    """True for a JSON number (a bool is not one, although Python calls it an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def payload_problem(payload) -> str | None:
    """What is wrong with the shape of a sync request, or None: the outbox never sends
    such a request, so each message is for whoever wrote the client."""
    if not isinstance(payload, dict):
        return "Send the contact as a JSON object."
    if not (isinstance(payload.get("key"), str) and SYNC_KEY.fullmatch(payload["key"])):
        return "Give the contact a \"key\" of 8 to 64 letters, digits or dashes."
    if not (isinstance(payload.get("advisor"), int) and is_number(payload["advisor"])):
        return "Name the advisor by their id as a JSON number, such as 12, not as text."
    if not isinstance(payload.get("account"), (str, type(None))):
        return "Give the \"account\" as its id, or leave it out."
    if payload.get("at") is not None and not (is_number(payload["at"]) and tapped_at(payload["at"])):
        return ("Give \"at\" as a JSON number: milliseconds since 1970-01-01 UTC, "
                "for a moment from 1900 on.")
    for name in ("happened_on", "kind", "notes"):
        if not isinstance(payload.get(name), (str, type(None))):
            return f"Give \"{name}\" as text, or leave it out."
    if not isinstance(payload.get("thanked"), (bool, type(None))):
        return "Give \"thanked\" as true or false, or leave it out."
    return None


def tapped_at(milliseconds: float) -> datetime | None:
    """The moment a one-tap log was tapped, or None if it is before 1900 or no date can
    hold it (far enough from year 1 and 9999 for any time zone to convert it)."""
    try:
        moment = datetime.fromtimestamp(milliseconds / 1000, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment if EARLIEST_DATE <= moment.date() < LATEST_DATE else None


def contact_fields(payload: dict, advisor: Advisor, tz: str) -> MultiDict:
    """The log form's fields from a sync payload of the shape `payload_problem` accepts.

    A one-tap log sends `at` (milliseconds since the epoch, when it was tapped) instead of
    a date and kind: its date is that moment's date in the account's zone, however late
    it syncs, and its kind is the advisor's usual one.
    """
    fields = {"kind": payload.get("kind") or advisor.meeting_kind,
              "notes": payload.get("notes") or "",
              "key": payload["key"]}
    if payload.get("happened_on"):
        fields["happened_on"] = payload["happened_on"]
    elif payload.get("at") is not None:
        tapped = min(tapped_at(payload["at"]), datetime.now(timezone.utc))
        fields["happened_on"] = cadence.today_in(tz, tapped).isoformat()
    if payload.get("thanked"):
        fields["thanked"] = "y"
    return MultiDict(fields)
