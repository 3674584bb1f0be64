"""The one place that decides between a whole page and an htmx partial."""
from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block

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
