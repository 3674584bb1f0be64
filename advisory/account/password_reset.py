"""Password reset by email: ask for a link, then choose a new password with it.

The page answers the same whether or not the email has an account; the email itself is
queued and sent by the dispatcher (web requests never send), at most one per account
every RESET_EVERY, and requests are throttled per client address.
"""
import secrets
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_login import current_user, logout_user

from advisory.account.forms import ForgotForm, ResetForm
from advisory.database import db, utcnow
from advisory.extensions import limiter, share, submitted_email
from advisory.models import Delivery, User
from advisory.reminders import mail
from advisory.rendering import render

bp = Blueprint("password_reset", __name__)
RESET_EVERY = timedelta(minutes=10)


reset_limit = share("RESET_RATE_LIMIT")


def queue_reset(email: str) -> None:
    """Queue a reset email for the account with this email, if there is one and it has
    not had one queued within RESET_EVERY."""
    user = User.by_email(email)
    if user is None:
        return
    recent = (Delivery
              .select()
              .where(Delivery.user == user, Delivery.target == "reset",
                     Delivery.created_at > utcnow() - RESET_EVERY)
              .exists())
    if not recent:
        Delivery.create(user=user, target="reset", state="queued",
                        period=f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}")


def queue_after_answer(app, email: str) -> None:
    """queue_reset() outside the request, which has ended, with a connection of its own."""
    with app.app_context(), db.database.connection_context():
        try:
            queue_reset(email)
        except Exception:  # noqa: BLE001 - the person was answered; log it, as a request would
            app.logger.exception("Could not queue a password reset")


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
@limiter.limit(reset_limit, methods=["POST"], key_func=submitted_email)
def forgot():
    form = ForgotForm()
    if mail.configured() and form.validate_on_submit():
        response = render("password_reset/forgot_sent.html", email=form.email.data.strip())
        # Queued once the answer has gone out: a known address (a lookup and a write)
        # and an unknown one (a lookup) then take the same time to answer.
        app, email = current_app._get_current_object(), form.email.data
        response.call_on_close(lambda: queue_after_answer(app, email))
        return response
    return render("password_reset/forgot.html", form=form, mail_ready=mail.configured(),
                  status=422 if form.errors else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def reset(token: str):
    user = mail.reset_user(token, lambda user_id: User.get_or_none(User.id == user_id))
    if user is None:
        message = ("That reset link has expired or was already used. Ask for a new one "
                   "from the sign-in page.")
        return render("errors.html", code=410, message=message, status=410)
    form = ResetForm()
    if form.validate_on_submit():
        user.change_password(form.password.data)  # signs out every device of the account
        if current_user.is_authenticated:
            logout_user()
        flash("Your password is changed. Sign in with the new one.")
        return redirect(url_for("auth.login"), 303)
    return render("password_reset/reset.html", form=form, token=token, user=user,
                  status=422 if form.errors else 200)
