"""Signing in and out, and creating the first account with a one-time set-up token."""
from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from peewee import IntegrityError

from advisory.account.forms import LoginForm, SetupForm
from advisory.core import devices
from advisory.extensions import failed, htmx, limiter, login_manager, share, submitted_email
from advisory.models import SetupToken, User, UserSession
from advisory.rendering import render

bp = Blueprint("auth", __name__)

SETUP_CLOSED = ("Set-up needs the one-time link the server prints while no account exists "
                "(on the server, “flask --app app setup-url” prints a new one). Once an "
                "account exists, sign in instead.")
THROTTLED = "Too many failed sign-ins. Wait a minute, then try again."
login_limit = share("LOGIN_RATE_LIMIT")


def throttled_login(limit):
    """The sign-in page again, with what was typed and why it waits (not a bare 429 page)."""
    return render("auth/login.html", form=LoginForm(), notice=THROTTLED, status=429)


def is_local_path(target: str) -> bool:
    """Whether `target`, as any browser would read it, is a path on this site.

    Browsers drop tabs and newlines, read a backslash as a slash and follow `//host`,
    so anything with control characters, backslashes, a scheme or a host is refused,
    also when it is hidden behind percent-encoding.
    """
    decoded = unquote(target)
    if any(not c.isprintable() or c == "\\" for c in target + decoded):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unclosed "[" where a host would be
        return False
    return (not parts.scheme and not parts.netloc and parts.path.startswith("/")
            and not decoded.startswith("//"))


def safe_next(target: str | None) -> str:
    """Where to go after signing in: `target` if it is a path on this site, else the due list."""
    if target and is_local_path(target):
        return target
    return url_for("board.due_list")


def sign_in(user: User, remember: bool) -> None:
    """Start a server-side session for `user` on this device and set its cookies."""
    config = current_app.config
    lifetime = config["REMEMBER_COOKIE_DURATION"] if remember else config["SESSION_DURATION"]
    UserSession.start(user, lifetime, devices.label(request.user_agent.string))
    login_user(user, remember=remember)


@login_manager.unauthorized_handler
def unauthorized():
    """Send a signed-out visitor to sign in; an htmx request is told to load that page whole."""
    wanted = request.full_path.rstrip("?") if request.method == "GET" else "/"
    target = url_for("auth.login", next=wanted if wanted != "/" else None)
    if htmx:
        return "", 401, {"HX-Redirect": target}
    flash(login_manager.login_message)
    return redirect(target)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed, on_breach=throttled_login)
@limiter.limit(login_limit, methods=["POST"], key_func=submitted_email, deduct_when=failed,
               on_breach=throttled_login)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("board.due_list"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.authenticate(form.email.data, form.password.data)
        if user:
            target = safe_next(request.args.get("next"))
            sign_in(user, remember=form.remember.data)
            return redirect(target, 303)
        form.password.errors.append("That email and password do not match an account.")
    status = 422 if form.errors else 200
    return render("auth/login.html", form=form, status=status,
                  first_run=not User.select().exists())


@bp.post("/logout")
@login_required
def logout():
    UserSession.end(current_user.get_id())
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("auth.login"), 303)


@bp.route("/setup", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def setup():
    token = request.args.get("token")
    if not SetupToken.is_valid(token):
        return render("errors.html", code=403, message=SETUP_CLOSED, status=403)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = SetupToken.redeem(token, form.email.data, form.password.data,
                                     form.timezone.data)
        except IntegrityError:
            form.email.errors.append("An account with this email already exists.")
        else:
            if user is None:  # another request used the link a moment ago
                return render("errors.html", code=403, message=SETUP_CLOSED, status=403)
            sign_in(user, remember=True)
            flash("Welcome to Advisory. Start by adding the people on your board.")
            return redirect(url_for("advisors.new"), 303)
    status = 422 if form.errors else 200
    return render("auth/setup.html", form=form, token=token, status=status)
