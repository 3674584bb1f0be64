"""Entry point for `flask --app app` and for gunicorn (`app:create_app()`)."""
from advisory import create_app

__all__ = ["create_app"]
