"""Friendly error pages: no stack trace for anything a user or client can send.

A client that sends JSON (the offline outbox) gets its answer as JSON, with a `status`
it can act on, instead of an HTML page it cannot read.
"""
import json

from flask import current_app, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from peewee import DoesNotExist
from werkzeug.exceptions import HTTPException

from advisory.rendering import wants_partial

MESSAGES = {
    400: "That request could not be understood. Go back and try again.",
    403: "You are not allowed to do that.",
    404: "There is nothing here. It may have been deleted, or the address is mistyped.",
    405: "That address does not accept this kind of request.",
    410: "This address is no longer in use.",
    429: "Too many attempts. Wait a minute, then try again.",
}
GONE = "That person is no longer on your board: they were deleted on another device."
EXPIRED = "This form has expired or came from another site. Reload the page and try again."
FAILED = "Something went wrong on our side. Nothing you saved was lost; try again."


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing (as invalid JSON) what Python's parser would choke on or
    invent: nesting deeper than the interpreter can recurse, and NaN or Infinity."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", refuse_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def too_large_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"
    return (f"That was more than the {size} that can be sent at once. "
            "Shorten the text you entered and try again.")


def wants_json() -> bool:
    """True for a client that sent JSON or asks for it rather than for a page."""
    return request.is_json or request.accept_mimetypes.best == "application/json"


def answer(code: int, message: str, status: str):
    """The error as JSON for a JSON client; for htmx, which swaps error answers too, the
    message alone, put in the page's flash region; else as a page."""
    if wants_json():
        return {"status": status, "message": message}, code
    if wants_partial():
        return (render_block("errors.html", "flash", message=message), code,
                {"HX-Retarget": ".flashes", "HX-Reswap": "innerHTML"})
    return render_template("errors.html", code=code, message=message), code


def register(app) -> None:
    """Install the handlers, and the JSON parser that refuses what it cannot handle, on `app`."""
    app.json = JSONProvider(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # "expired": the outbox keeps the contact and sends it once the page has a new token.
        return answer(400, EXPIRED, "expired")

    @app.errorhandler(DoesNotExist)
    def deleted_meanwhile(error):
        # A write that finds its row gone (deleted on another device while the request
        # was on its way) answers as if it had never been there.
        return answer(404, MESSAGES[404], "gone")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400 or error.response is not None:
            return error  # a redirect, or an answer made for it (a throttled form's page)
        if error.code == 413:
            # "refused": resending the same thing can never succeed.
            return answer(413, too_large_message(), "refused")
        return answer(error.code, MESSAGES.get(error.code, error.description), "error")

    @app.errorhandler(Exception)
    def server_error(error):
        # The endpoint, not the path: a feed URL carries a secret token.
        app.logger.exception("Unhandled error in %s %s", request.method, request.endpoint)
        return answer(500, FAILED, "error")
