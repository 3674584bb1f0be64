"""Account settings: time zone, due-soon window, what counts, default cadences, password,
and the devices signed in."""
import json

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from advisory.account.forms import PasswordForm, SettingsForm
from advisory.core.vocabulary import ROLES
from advisory.models import UserSession
from advisory.rendering import render

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.before_request
@login_required
def require_login():
    """Settings belong to a signed-in account."""


def page(form=None, password_form=None, status=200):
    if form is None:
        form = SettingsForm.for_roles(obj=current_user)
        for key in ROLES:
            form[key].data = current_user.default_cadence(key)
    return render("settings/index.html", form=form,
                  password_form=password_form or PasswordForm(),
                  devices=UserSession.for_user(current_user), this_device=current_user.get_id(),
                  status=status)


@bp.route("", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        return page()
    form = SettingsForm.for_roles()
    if not form.validate():
        return page(form=form, status=422)
    current_user.update_settings(
        timezone=form.timezone.data, due_soon_days=form.due_soon_days.data,
        messages_count=form.messages_count.data,
        review_every=form.review_every.data or current_user.review_every,
        role_cadences=json.dumps({key: form[key].data for key in ROLES}))
    flash("Settings saved.")
    return redirect(url_for("settings.index"), 303)


@bp.post("/password")
def password():
    form = PasswordForm()
    if form.validate():
        if current_user.check_password(form.current.data):
            current_user.change_password(form.password.data, keep=current_user.get_id())
            flash("Password changed. Any other device signed in to your account is signed out.")
            # To the top, where the confirmation is (not the form's #change-password, kept otherwise)
            return redirect(url_for("settings.index", _anchor="main"), 303)
        form.current.errors.append("That is not your current password.")
    return page(password_form=form, status=422)


@bp.post("/devices/<int:session_id>/sign-out")
def sign_out_device(session_id: int):
    """End one other device's sign-in (a phone left behind); this device signs out in full."""
    if not current_user.end_session(session_id, keep=current_user.get_id()):
        abort(404)
    flash("That device is signed out.")
    return redirect(url_for("settings.index"), 303)


@bp.post("/devices/sign-out-others")
def sign_out_others():
    """End every sign-in of this account but this device's (a lost phone, a shared laptop)."""
    ended = current_user.end_sessions(keep=current_user.get_id())
    flash(f"Signed out of {ended} other device{'s' * (ended != 1)}." if ended
          else "No other device was signed in.")
    return redirect(url_for("settings.index"), 303)
