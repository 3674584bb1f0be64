"""How pages are rendered: the one place that decides between a whole page and an htmx
partial, and every helper templates use."""
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

from flask import Flask, g, make_response, render_template, request, url_for
from jinja2_fragments.flask import render_block

from advisory.core import snoozing, wording
from advisory.core.vocabulary import KINDS, ROLES, STAGES, STATUSES
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
    app.jinja_env.globals.update(ROLES=ROLES, KINDS=KINDS, STAGES=STAGES, STATUSES=STATUSES)
    app.jinja_env.globals.update(field_aria=field_aria, routed_once=routed_once,
                                 advisor_links=advisor_links)
    app.jinja_env.globals["snooze_choices"] = snoozing.choices
    app.jinja_env.filters["ago"] = wording.ago
    app.jinja_env.filters["relative_due"] = wording.relative_due
    app.jinja_env.filters["longdate"] = wording.long_date
    app.jinja_env.filters["shortdate"] = wording.short_date
    app.jinja_env.filters["nextday"] = lambda d: (d + timedelta(days=1)).isoformat()


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
