"""Signing in and out, and creating the first account with a one-time set-up token."""
from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from peewee import IntegrityError

from .extensions import htmx, limiter, login_manager
from .forms import LoginForm, SetupForm
from .database import db
from .models import SetupToken, User
from .rendering import render

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def safe_next(target: str | None) -> str:
    """Only a path on this site, so a crafted link cannot send the user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("board.due_list")


@login_manager.unauthorized_handler
def unauthorized():
    """Send a signed-out visitor to sign in; an htmx request is told to load that page whole."""
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if htmx:
        return "", 401, {"HX-Redirect": target}
    flash(login_manager.login_message)
    return redirect(target)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("board.due_list"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")), 303)
        form.password.errors.append("That email and password do not match an account.")
    status = 422 if form.errors else 200
    return render("auth/login.html", form=form, status=status)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("auth.login"), 303)


@bp.route("/setup", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def setup():
    token = request.args.get("token")
    if not SetupToken.is_valid(token):
        message = ("Set-up needs the one-time link that `make run` prints while no account "
                   "exists. Once an account exists, sign in instead.")
        return render("errors.html", code=403, message=message, status=403)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            with db.database.atomic():
                user = User.create_account(form.email.data, form.password.data,
                                           form.timezone.data)
                SetupToken.delete().execute()
        except IntegrityError:
            form.email.errors.append("An account with this email already exists.")
        else:
            login_user(user, remember=True)
            flash("Welcome to Advisory. Start by adding the people on your board.")
            return redirect(url_for("advisors.new"), 303)
    status = 422 if form.errors else 200
    return render("auth/setup.html", form=form, token=token, status=status)
