"""The installable app: manifest, service worker (told the app's routes) and offline page.
The contacts logged offline arrive at advisors/sync.py."""
import hashlib
import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from advisory.rendering import SCRIPT_BUNDLES, script_bundle, script_routes, script_url

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#1d5c57"  # --brand in static/css/app.css
BACKGROUND_COLOUR = "#f6f4ef"  # --bg
SW_SOURCE = "js/sw.js"  # under static/; served at /sw.js with its constants prepended
# Not precached: the scripts (pages load them bundled, /js/<bundle>.js, and the worker's own
# imports are kept with the worker) and the favicon (the pages name the PNG ones).
NOT_PRECACHED = ("js/", "icons/favicon.ico")
# The install sheet's pictures (under static/, made by tests/browser/make_screenshots.py at
# these sizes): a phone's (narrow) and a laptop's (wide). Chrome takes sides of 320 to
# 3840 px, the longer at most 2.3 times the shorter, one aspect ratio per form factor.
SCREENSHOTS = (
    ("screenshots/due-list-narrow.png", (720, 1440), "narrow", "Who's due, on a phone"),
    ("screenshots/due-list-wide.png", (1280, 800), "wide", "Who's due, on a laptop"),
)


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
                if not p.relative_to(static).as_posix().startswith(NOT_PRECACHED)]
    precache += [script_url(name) for name in SCRIPT_BUNDLES]
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


@bp.get("/js/<bundle>.js")
def scripts(bundle):
    """A bundle of scripts (rendering.SCRIPT_BUNDLES). Its address carries its hash, so the
    browser keeps it for a year; any other version is answered afresh each time."""
    if bundle not in SCRIPT_BUNDLES:
        abort(404)
    body, version = script_bundle(current_app, bundle)
    response = Response(body, mimetype="text/javascript")
    response.set_etag(version)
    response.headers["Cache-Control"] = ("public, max-age=31536000, immutable"
                                         if request.args.get("v") == version else "no-cache")
    return response.make_conditional(request)


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
        # A long press on the app's icon. "Log a conversation" opens the due list at its
        # cards: the people most likely meant come first, each with "Spoke today" and
        # "Log…", and the saved list and its log forms work offline too.
        "shortcuts": [
            {"name": "Due list", "short_name": "Due",
             "description": "Who is overdue or due soon",
             "url": url_for("board.due_list"), "icons": [icon("icon-192.png", 192)]},
            {"name": "Log a conversation", "short_name": "Log",
             "description": "Pick who you spoke with",
             "url": url_for("board.due_list", _anchor="due-cards"),
             "icons": [icon("icon-192.png", 192)]},
            {"name": "Add advisor", "short_name": "Add",
             "description": "Add someone to your board",
             "url": url_for("advisors.new"), "icons": [icon("icon-192.png", 192)]},
        ],
        "screenshots": [{"src": url_for("static", filename=path), "sizes": f"{width}x{height}",
                         "type": "image/png", "form_factor": form_factor, "label": label}
                        for path, (width, height), form_factor, label in SCREENSHOTS],
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
