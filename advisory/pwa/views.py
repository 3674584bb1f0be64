"""The installable app: manifest, service worker, offline page, and the sync endpoint
that receives contacts logged while offline."""
import hashlib
import json
import re
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
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from advisory import errors
from advisory.advisors.forms import SYNC_KEY, ContactForm
from advisory.base_form import EARLIEST_DATE
from advisory.core import cadence, wording
from advisory.core.vocabulary import KINDS, choices
from advisory.models import Advisor
from advisory.rendering import PLACEHOLDER_ID

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#1d5c57"  # --brand in static/css/app.css
BACKGROUND_COLOUR = "#f6f4ef"  # --bg
SW_SOURCE = "js/sw.js"  # under static/; served at /sw.js with its constants prepended
NOT_PRECACHED = {SW_SOURCE, "icons/favicon.ico"}
LATEST_DATE = date(9000, 1, 1)


def script_routes() -> dict:
    """The URLs the scripts call and the patterns of the addresses they recognise, all made
    with url_for so that no script keeps a copy. The worker is given them as ROUTES above
    its code, a page on <body data-constants> (static/js/constants.js reads it).

    "{id}" in a URL stands for an advisor's id; each pattern (for JavaScript's RegExp and
    Python's re alike) captures that id.
    """
    static = lambda filename: url_for("static", filename=filename)  # noqa: E731
    return {
        "dueList": url_for("board.due_list"),
        "advisorPage": url_for("advisors.detail", advisor_id=PLACEHOLDER_ID)
                       .replace(str(PLACEHOLDER_ID), "{id}"),
        "signIn": url_for("auth.login"),
        "signOut": url_for("auth.logout"),
        "sync": url_for("pwa.sync_contact"),
        "serviceWorker": url_for("pwa.service_worker"),
        # what the worker shows for a page it has no saved copy of, and that page once
        # this device was signed out
        "offline": url_for("pwa.offline"),
        "signedOut": url_for("pwa.offline", **{"signed-out": 1}),
        "pushSettings": url_for("notifications.settings"),
        "pushSubscriptions": url_for("notifications.subscribe"),
        "pushToken": url_for("notifications.csrf_token"),
        "pushSnooze": url_for("notifications.snooze"),
        "icon": static("icons/icon-192.png"),
        "badge": static("icons/favicon-32.png"),
        "outboxScript": static("js/outbox.js"),
        "pushScript": static("js/sw-push.js"),
        "patterns": {
            "advisorPage": path_pattern("advisors.detail"),
            "belowAdvisorPage": path_pattern("advisors.detail", below=True),
            "oneTap": path_pattern("advisors.spoke_today"),
            "log": path_pattern("advisors.log"),
        },
    }


def path_pattern(endpoint: str, below: bool = False) -> str:
    """A regular expression for the path of `endpoint` with any advisor id, which it
    captures; with `below`, for the paths under that one."""
    escape = lambda text: re.sub(r"[\\^$.*+?()[\]{}|]", r"\\\g<0>", text)  # noqa: E731
    before, after = url_for(endpoint, advisor_id=PLACEHOLDER_ID).split(str(PLACEHOLDER_ID))
    return f"^{escape(before)}(\\d+){escape(after)}" + ("/" if below else "$")


@bp.app_template_global()
def script_constants() -> Markup:
    """What the page scripts are told, as HTML-safe JSON for <body data-constants>: the
    routes, and the contact kinds' labels. Made on the first page (url_for needs a request)
    and kept: neither changes while the app runs."""
    made = current_app.extensions.get("advisory_script_constants")
    if made is None:
        made = htmlsafe_json_dumps({"routes": script_routes(), "kinds": choices(KINDS)})
        current_app.extensions["advisory_script_constants"] = made
    return made


def service_worker_script(app) -> bytes:
    """The worker script with VERSION, PRECACHE (static URLs, offline pages) and ROUTES
    (script_routes) prepended. Made in a request, for url_for.

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
    routes = script_routes()
    precache = [url_for("static", filename=p.relative_to(static).as_posix()) for p in files
                if p.relative_to(static).as_posix() not in NOT_PRECACHED]
    precache += [routes["offline"], routes["signedOut"], url_for("pwa.manifest")]
    header = (f"const VERSION = {json.dumps(digest.hexdigest()[:12])};\n"
              f"const PRECACHE = {json.dumps(precache)};\n"
              f"const ROUTES = {json.dumps(routes)};\n")
    return header.encode() + (static / SW_SOURCE).read_bytes()


@bp.get("/sw.js")
def service_worker():
    script = current_app.extensions.get("advisory_sw")
    if script is None:  # made on the first request for it, and kept
        script = current_app.extensions["advisory_sw"] = service_worker_script(current_app)
    response = Response(script, mimetype="text/javascript")
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
        return errors.answer(404, errors.GONE, "gone")
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
        return errors.answer(404, errors.GONE, "gone")
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
