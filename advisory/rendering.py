"""How pages are rendered: the one place that decides between a whole page and an htmx
partial, and every helper templates use."""
import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from flask import Flask, current_app, g, make_response, render_template, request, url_for
from jinja2.utils import htmlsafe_json_dumps
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from advisory.core import snoozing, wording
from advisory.core.vocabulary import (
    CLOSE_REASONS, GIVE_KINDS, GOAL_STATES, KINDS, ROLES, STAGES, STATUSES, choices,
)
from advisory.extensions import htmx


def wants_partial() -> bool:
    """True for an htmx request that swaps part of a page (not a history restore)."""
    return (bool(htmx)
            and request.headers.get("HX-Request-Type", "partial") == "partial"
            and not htmx.history_restore_request)


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render `template`, or only its `block` for an htmx partial request.

    The same URL answers both ways, so every response says it varies on HX-Request.
    """
    if block and wants_partial():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def register_template_helpers(app: Flask) -> None:
    """Names every template can use: the vocabulary, date wording, links routed once."""
    app.jinja_env.globals.update(ROLES=ROLES, KINDS=KINDS, STAGES=STAGES, STATUSES=STATUSES,
                                  GIVE_KINDS=GIVE_KINDS, GOAL_STATES=GOAL_STATES,
                                  CLOSE_REASONS=CLOSE_REASONS)
    app.jinja_env.globals.update(field_aria=field_aria, routed_once=routed_once,
                                 advisor_links=advisor_links, script_constants=script_constants,
                                 scripts=scripts)
    app.jinja_env.globals["snooze_choices"] = snoozing.choices
    app.jinja_env.filters["ago"] = wording.ago
    app.jinja_env.filters["relative_due"] = wording.relative_due
    app.jinja_env.filters["longdate"] = wording.long_date
    app.jinja_env.filters["shortdate"] = wording.short_date
    app.jinja_env.filters["nextday"] = lambda d: (d + timedelta(days=1)).isoformat()
    app.jinja_env.filters["dialable"] = dialable


def dialable(phone: str) -> str:
    """A phone number as a tel: or sms: link takes it: "+44 (20) 7946-0958" becomes
    "+442079460958" (its digits, and a leading + for an international number)."""
    digits = re.sub(r"\D", "", phone)
    return "+" + digits if phone.lstrip().startswith("+") else digits


def field_aria(field, hint: str | None) -> dict:
    """ARIA attributes tying a form field to its hint and its error message."""
    described = [f"{field.id}-hint"] * bool(hint) + [f"{field.id}-error"] * bool(field.errors)
    attrs = {"aria-describedby": " ".join(described)} if described else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


ADVISOR_LINKS = {  # name: (endpoint, query)
    "detail": ("advisors.detail", {}),
    "spoke_today": ("advisors.spoke_today", {}),
    "log": ("advisors.log", {}),
    "log_from_due": ("advisors.log", {"from": "due"}),
    "snooze": ("advisors.snooze", {}),
    "unsnooze": ("advisors.unsnooze", {}),
    "prep": ("prep.page", {}),
    "photo_small": ("photos.image", {"size": "small"}),  # + "?v=" and the photo's version
    "photo_large": ("photos.image", {"size": "large"}),
}
PLACEHOLDER_ID = 987654321  # stands for an id in a link routed once for many ids


def routed_once(endpoint: str, name: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, **values)` for any id as `name`, exactly as url_for builds it,
    with the router run once: a page that shows a dozen cards or twenty contacts would
    otherwise route each of their links, which cost more than the rest of the page."""
    url = url_for(endpoint, **{name: PLACEHOLDER_ID}, **values)
    prefix, suffix = url.split(str(PLACEHOLDER_ID))
    return lambda id_: f"{prefix}{id_}{suffix}"


def advisor_links(advisor_id: int) -> SimpleNamespace:
    """An advisor's page and action URLs (routed once per request, see routed_once)."""
    links = g.get("advisor_links")
    if links is None:
        links = g.advisor_links = {name: routed_once(endpoint, "advisor_id", **query)
                                   for name, (endpoint, query) in ADVISOR_LINKS.items()}
    # Attributes, not dict keys: Jinja tries an attribute first, and a failed try is slow.
    return SimpleNamespace(**{name: link(advisor_id) for name, link in links.items()})


def id_url(endpoint: str) -> str:
    """`endpoint`'s URL with "{id}" standing for any advisor's id."""
    return url_for(endpoint, advisor_id=PLACEHOLDER_ID).replace(str(PLACEHOLDER_ID), "{id}")


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
        "advisorPage": id_url("advisors.detail"),
        "prepPage": id_url("prep.page"),
        "signIn": url_for("auth.login"),
        "signOut": url_for("auth.logout"),
        "sync": url_for("sync.contacts"),
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
            "prep": path_pattern("prep.page"),
            "photo": path_pattern("photos.image", size="small").replace("small",
                                                                        "(?:small|large)"),
        },
    }


def path_pattern(endpoint: str, below: bool = False, **values) -> str:
    """A regular expression for the path of `endpoint` (with `values`) with any advisor
    id, which it captures; with `below`, for the paths under that one."""
    escape = lambda text: re.sub(r"[\\^$.*+?()[\]{}|]", r"\\\g<0>", text)  # noqa: E731
    url = url_for(endpoint, advisor_id=PLACEHOLDER_ID, **values)
    before, after = url.split(str(PLACEHOLDER_ID))
    return f"^{escape(before)}(\\d+){escape(after)}" + ("/" if below else "$")


# The scripts a page loads, bundled, so that a phone fetches two files rather than a dozen
# (htmx, vendored, is the third). Files of static/js, in the order they run; "every-page"
# comes first on every page, a page adds its own bundle in its `scripts` block. The files
# share one global scope, as separate scripts do; each begins with "use strict", so the
# bundle does too.
SCRIPT_BUNDLES = {
    "every-page": ("constants", "wording", "app", "outbox", "register-sw", "offline-banner",
                   "outbox-panel", "sync"),
    "due-list": ("due", "snooze", "install", "notify-offer", "badge"),
    "advisor": ("snooze",),
    "advisor-form": ("advisor-form",),
    "log": ("log-lines",),
    "zones": ("zone-search",),
    "reminders": ("notify-settings",),
    "calendar": ("calendar",),
    "import-people": ("import-people",),
}


def script_bundle(app: Flask, name: str) -> tuple[bytes, str]:
    """The bundle `name` (a key of SCRIPT_BUNDLES) and a hash of it, made once and kept
    (made afresh each time in debug mode, where scripts are being edited)."""
    made = app.extensions.setdefault("advisory_script_bundles", {})
    if name not in made or app.debug:
        folder = Path(app.static_folder, "js")
        body = b"".join(f"// {file}.js\n".encode() + (folder / f"{file}.js").read_bytes() + b"\n"
                        for file in SCRIPT_BUNDLES[name])
        made[name] = body, hashlib.sha256(body).hexdigest()[:12]
    return made[name]


def script_url(name: str) -> str:
    """The address of the bundle `name`, with its hash: a new version has a new address."""
    return url_for("pwa.scripts", bundle=name, v=script_bundle(current_app, name)[1])


def scripts(name: str) -> Markup:
    """The <script> that loads the bundle `name`, deferred."""
    return Markup('<script src="%s" defer></script>') % script_url(name)


def script_constants() -> Markup:
    """What the page scripts are told, as HTML-safe JSON for <body data-constants>: the
    routes, and the contact kinds' labels. Made on the first page (url_for needs a request)
    and kept: neither changes while the app runs."""
    made = current_app.extensions.get("advisory_script_constants")
    if made is None:
        made = htmlsafe_json_dumps({"routes": script_routes(), "kinds": choices(KINDS)})
        current_app.extensions["advisory_script_constants"] = made
    return made
