"""Adding, editing and deleting advisors; logging contacts; snoozing."""
import math

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from . import cadence, due_list
from .board import render_due_list
from .forms import AdvisorForm, ContactForm, QuickLogForm, SnoozeForm
from .models import Advisor, Contact
from .rendering import render, wants_partial
from .roles import ROLES

bp = Blueprint("advisors", __name__, url_prefix="/advisors")
HISTORY_PAGE = 20
DETAILS = ("name", "role", "stage", "email", "phone", "organisation", "why", "offer",
           "meeting_style", "meeting_kind", "horizon", "agenda", "notes")


@bp.before_request
@login_required
def require_login():
    """Every advisor page needs a signed-in account."""


@bp.errorhandler(Advisor.DoesNotExist)
def deleted_meanwhile(error):
    """The advisor was deleted (on another device) while this request was on its way."""
    return current_app.handle_http_exception(NotFound())


def owned_or_404(advisor_id: int) -> Advisor:
    advisor = Advisor.owned(current_user, advisor_id)
    if advisor is None:
        abort(404)
    return advisor


def back(advisor: Advisor, status: int = 200):
    """Where an action returns: the due list it came from (partial for htmx) or the advisor."""
    if request.form.get("from") == "due":
        if wants_partial():
            return render_due_list(status)
        return redirect(url_for("board.due_list"), 303)
    return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)


@bp.route("/new", methods=["GET", "POST"])
def new():
    today = current_user.today()
    form = AdvisorForm(today=today)
    if request.method == "GET":
        role = request.args.get("role")
        if role in ROLES:
            form.role.data = role
            form.show_cadence(cadence.Cadence.parse(current_user.default_cadence(role)))
    if form.validate_on_submit():
        advisor = Advisor.add(current_user, details(form), last_spoke_on=form.last_spoke_on.data)
        flash(f"{advisor.name} is on your board.")
        return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)
    return render("advisors/form.html", form=form, advisor=None,
                  role_defaults=role_defaults(), status=422 if form.errors else 200)


def role_defaults() -> dict[str, str]:
    """Each role's default cadence code, so picking a role can pre-fill the cadence."""
    return {key: current_user.default_cadence(key) for key in ROLES}


def details(form: AdvisorForm) -> dict:
    """The advisor's fields as the form gives them: all an edit writes."""
    values = {field: (form[field].data or "").strip() for field in DETAILS}
    values["paused_until"] = form.paused_until.data if form.stage.data == "paused" else None
    chosen = form.chosen_cadence()
    values["cadence_count"], values["cadence_unit"] = chosen.count, chosen.unit
    return values


@bp.get("/<int:advisor_id>")
def detail(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    today = current_user.today()
    history = Contact.history(advisor)
    total = history.count()
    pages = max(1, math.ceil(total / HISTORY_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    counting = cadence.counting_kinds(current_user.messages_count)
    # The rhythm of the latest gaps only: one more date than gaps, to know if there are more.
    dates = [c.happened_on for c in Contact.dates(advisor, counting, due_list.RHYTHM_WINDOW + 2)]
    gaps = cadence.gaps(dates[:due_list.RHYTHM_WINDOW + 1])
    rhythm = due_list.rhythm(gaps, advisor.cadence, recent=len(dates) > due_list.RHYTHM_WINDOW + 1)
    return render("advisors/detail.html", block="contact_history", advisor=advisor,
                  today=today, due=advisor.due_on(today), total=total, page=page, pages=pages,
                  contacts=list(history.paginate(page, HISTORY_PAGE)), rhythm=rhythm)


@bp.route("/<int:advisor_id>/edit", methods=["GET", "POST"])
def edit(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    form = AdvisorForm(obj=advisor, today=current_user.today())
    if request.method == "GET":
        form.show_cadence(advisor.cadence)
    if form.validate_on_submit():
        advisor.update_details(details(form))
        flash("Saved.")
        return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)
    return render("advisors/form.html", form=form, advisor=advisor,
                  role_defaults=role_defaults(), status=422 if form.errors else 200)


@bp.post("/<int:advisor_id>/delete")
def delete(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    advisor.delete_with_history()
    flash(f"{advisor.name} and their history were deleted.")
    return redirect(url_for("board.due_list"), 303)


@bp.route("/<int:advisor_id>/log", methods=["GET", "POST"])
def log(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    today = current_user.today()
    form = ContactForm(today=today)
    if request.method == "GET":
        form.happened_on.data = today
        form.kind.data = advisor.meeting_kind
    if form.validate_on_submit():
        advisor.log_contact(happened_on=form.happened_on.data, kind=form.kind.data,
                            notes=form.notes.data.strip(), thanked=form.thanked.data,
                            key=form.key.data or None)
        flash_logged(advisor, form.kind.data, form.happened_on.data, today)
        return back(advisor)
    return render("advisors/log.html", form=form, advisor=advisor,
                  status=422 if form.errors else 200)


@bp.post("/<int:advisor_id>/spoke-today")
def spoke_today(advisor_id: int):
    """The one-tap log: a conversation today, of the advisor's usual kind."""
    advisor = owned_or_404(advisor_id)
    form = QuickLogForm()  # CSRF is checked before the view; a malformed key is dropped
    today = current_user.today()
    advisor.log_contact(happened_on=today, kind=advisor.meeting_kind,
                        key=form.key.data or None)
    flash_logged(advisor, advisor.meeting_kind, today, today)
    return back(advisor)


def flash_logged(advisor: Advisor, kind: str, day, today) -> None:
    when = "today" if day == today else cadence.ago(day, today)
    flash({"text": f"Logged: {cadence.KINDS[kind].lower()} with {advisor.name}, {when}.",
           "undo": advisor.id}, "undo")


@bp.post("/<int:advisor_id>/undo")
def undo(advisor_id: int):
    """Remove the most recently entered contact of this advisor."""
    advisor = owned_or_404(advisor_id)
    if advisor.undo_last_contact():
        flash(f"Removed the last contact logged with {advisor.name}.")
    else:
        flash(f"There is nothing to undo for {advisor.name}.")
    return back(advisor)


@bp.post("/<int:advisor_id>/snooze")
def snooze(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    form = SnoozeForm(today=current_user.today())
    if form.validate() and form.snooze_date():
        advisor.snooze(form.snooze_date())
        flash(f"{advisor.name} is snoozed until {form.snooze_date():%a %-d %b}.")
    else:
        errors = [e for errors in form.errors.values() for e in errors]
        flash(errors[0] if errors else "Pick how long to snooze.", "error")
        return back(advisor, status=422)
    return back(advisor)
