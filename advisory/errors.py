"""Friendly error pages: no stack trace for anything a user or client can send."""
from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "That request could not be understood. Go back and try again.",
    403: "You are not allowed to do that.",
    404: "There is nothing here. It may have been deleted, or the address is mistyped.",
    405: "That address does not accept this kind of request.",
    410: "This address is no longer in use.",
    413: "That was too much data to send at once.",
    429: "Too many attempts. Wait a minute, then try again.",
}


def register(app) -> None:
    """Install the handlers on `app`."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = "This form has expired or came from another site. Reload the page and try again."
        return render_template("errors.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        message = MESSAGES.get(error.code, error.description)
        response = render_template("errors.html", code=error.code, message=message)
        return response, error.code

    @app.errorhandler(Exception)
    def server_error(error):
        # The endpoint, not the path: a feed URL carries a secret token.
        app.logger.exception("Unhandled error in %s %s", request.method, request.endpoint)
        message = "Something went wrong on our side. Nothing you saved was lost; try again."
        return render_template("errors.html", code=500, message=message), 500
