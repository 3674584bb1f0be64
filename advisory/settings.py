"""Account settings: time zone, due-soon window, what counts, default cadences, password."""
import json

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from .database import utcnow
from .forms import PasswordForm, SettingsForm
from .models import User
from .rendering import render
from .roles import ROLES

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.before_request
@login_required
def require_login():
    """Settings belong to a signed-in account."""


def page(form=None, password_form=None, status=200):
    if form is None:
        form = SettingsForm(obj=current_user)
        for key in ROLES:
            form[key].data = current_user.default_cadence(key)
    return render("settings/index.html", form=form,
                  password_form=password_form or PasswordForm(), status=status)


@bp.route("", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        return page()
    form = SettingsForm()
    if not form.validate():
        return page(form=form, status=422)
    user = current_user._get_current_object()
    user.timezone = form.timezone.data
    user.due_soon_days = form.due_soon_days.data
    user.messages_count = form.messages_count.data
    user.role_cadences = json.dumps({key: form[key].data for key in ROLES})
    user.feed_changed_at = utcnow()  # the zone and what counts can move every event
    # Only these columns: a whole-row save would write back a password or session
    # change made on another device since this request loaded the account.
    user.save(only=[User.timezone, User.due_soon_days, User.messages_count,
                    User.role_cadences, User.feed_changed_at])
    flash("Settings saved.")
    return redirect(url_for("settings.index"), 303)


@bp.post("/password")
def password():
    form = PasswordForm()
    if form.validate():
        if current_user.check_password(form.current.data):
            current_user.set_password(form.password.data)
            current_user.save()
            flash("Password changed.")
            return redirect(url_for("settings.index"), 303)
        form.current.errors.append("That is not your current password.")
    return page(password_form=form, status=422)
