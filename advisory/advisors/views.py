"""Adding, editing and deleting advisors (and bringing them back); logging contacts;
snoozing."""
import math

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from peewee import DoesNotExist
from werkzeug.exceptions import NotFound

from advisory import errors
from advisory.advisors.board import render_due_list
from advisory.advisors.confirmations import flash_logged, flash_undo
from advisory.advisors.forms import (
    AdvisorForm,
    LogForm,
    QuickLogForm,
    SnoozeForm,
    StageForm,
    UndoForm,
    UnsnoozeForm,
)
from advisory.advisors.goal_forms import GOAL_CONVERSATIONS, GoalForm, GoalNoteForm
from advisory.core import cadence, due_list, gratitude
from advisory.core.vocabulary import ADVICE_STATES, ROLES
from advisory.database import as_utc
from advisory.models import Advisor, Contact, Give, Introduction, YearlyDate
from advisory.models.goals import Goal
from advisory.models.promises import Advice, Promise, log_conversation
from advisory.models.trash import TRASH_DAYS
from advisory.rendering import render, wants_partial

bp = Blueprint("advisors", __name__, url_prefix="/advisors")
HISTORY_PAGE = 20
DETAILS = ("name", "role", "stage", "email", "phone", "organisation", "why", "offer",
           "meeting_style", "meeting_kind", "horizon", "agenda", "notes")


@bp.before_request
@login_required
def require_login():
    """Every advisor page needs a signed-in account."""


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


@bp.errorhandler(NotFound)
@bp.errorhandler(DoesNotExist)
def gone(error):
    """An action on someone deleted meanwhile: from the due list, the list comes back
    without them and says why; elsewhere, the app's usual answer."""
    if request.form.get("from") == "due" and wants_partial():
        flash(errors.GONE, "error")
        return render_due_list(404)
    return errors.answer(404, errors.MESSAGES[404], "gone")


ROLE_CADENCE = "role"  # the add form's "the role's usual cadence": works without JavaScript


@bp.route("/new", methods=["GET", "POST"])
def new():
    today = current_user.today()
    formdata = request.form.copy() if request.method == "POST" else None
    by_role = formdata is not None and formdata.get("cadence") == ROLE_CADENCE
    if by_role and formdata.get("role") in ROLES:
        formdata["cadence"] = current_user.default_cadence(formdata["role"])
    form = AdvisorForm(formdata=formdata, today=today)
    form.cadence.choices = {ROLE_CADENCE: "The role's usual (from your settings)",
                            **form.cadence.choices}
    if request.method == "GET":
        form.cadence.data = ROLE_CADENCE
        role = request.args.get("role")
        if role in ROLES:
            form.role.data = role
            form.show_cadence(cadence.Cadence.parse(current_user.default_cadence(role)))
    if form.validate_on_submit():
        advisor = Advisor.add(current_user, details(form))
        flash(f"{advisor.name} is on your board.")
        if "another" in request.form:  # "Save and add another"
            return redirect(url_for("advisors.new"), 303)
        return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)
    if by_role:  # no role picked yet: that is the one thing to fix, the cadence follows it
        form.cadence.errors = []
    return render("advisors/form.html", form=form, advisor=None,
                  role_defaults=role_defaults(), status=422 if form.errors else 200)


def role_defaults() -> dict[str, str]:
    """Each role's default cadence code, so picking a role can pre-fill the cadence."""
    return {key: current_user.default_cadence(key) for key in ROLES}


def details(form: AdvisorForm, fields: tuple = DETAILS) -> dict:
    """The advisor's (or with a mentee's `fields`, the mentee's) fields as the form gives
    them: all an edit writes."""
    values = {field: (form[field].data or "").strip() for field in fields}
    values["paused_until"] = form.paused_until.data if form.stage.data == "paused" else None
    values["last_spoke_on"] = form.talked_on()
    chosen = form.chosen_cadence()
    values["cadence_count"], values["cadence_unit"] = chosen.count, chosen.unit
    return values


@bp.get("/<int:advisor_id>")
def detail(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    today = current_user.today()
    history = Contact.history(advisor)
    total = advisor.contact_count
    pages = max(1, math.ceil(total / HISTORY_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    counting = cadence.counting_kinds(current_user.messages_count)
    # The rhythm of the latest gaps only: one more date than gaps, to know if there are more.
    dates = Contact.dates(advisor, counting, due_list.RHYTHM_WINDOW + 2)
    gaps = cadence.gaps(dates[:due_list.RHYTHM_WINDOW + 1])
    rhythm = due_list.rhythm(gaps, advisor.cadence, recent=len(dates) > due_list.RHYTHM_WINDOW + 1)
    thanks = gratitude.gratitude(Contact.touches(advisor))
    return render("advisors/detail.html", block="contact_history", advisor=advisor,
                  today=today, due=advisor.due_on(today), total=total, page=page, pages=pages,
                  contacts=list(history.paginate(page, HISTORY_PAGE)), rhythm=rhythm,
                  trash_days=TRASH_DAYS, gives=Give.ledger(advisor), gratitude=thanks,
                  introductions=Introduction.involving(advisor),
                  introduced=Introduction.to_thank(advisor, thanks.last_thanked),
                  promises=Promise.open_for(advisor), advice=Advice.for_advisor(advisor),
                  goals=Goal.for_advisor(advisor), goal_form=GoalForm(),
                  dates=YearlyDate.for_person(advisor),
                  note_form=GoalNoteForm(today=today,
                                         conversations=history.limit(GOAL_CONVERSATIONS)),
                  ADVICE_STATES=ADVICE_STATES)


@bp.route("/<int:advisor_id>/edit", methods=["GET", "POST"])
def edit(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    if advisor.is_mentee:  # their own form: no role (advisors/mentees.py)
        return redirect(url_for("mentees.edit", mentee_id=advisor.id), 303)
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
    """Put the advisor in the trash; the confirmation's Undo brings them back."""
    advisor = owned_or_404(advisor_id)
    advisor.delete_with_history()
    flash_undo(advisor, f"{advisor.name} and their history were deleted.", "advisors.restore")
    return redirect(url_for("board.due_list"), 303)


@bp.post("/<int:advisor_id>/restore")
def restore(advisor_id: int):
    """Bring an advisor back from the trash (Undo, or Recently deleted), with their
    history and their calendar reminder; 404 for anyone not in this account's trash."""
    advisor = Advisor.restore(current_user, advisor_id)
    if advisor is None:
        abort(404)
    where = "with the people you mentor" if advisor.is_mentee else "on your board"
    flash(f"{advisor.name} is back {where}, with their history.")
    return back(advisor)


@bp.get("/deleted")
def deleted():
    """Recently deleted: what the trash keeps, each with a button to bring it back."""
    def day(moment):  # the day it was deleted, in the account's time zone
        return cadence.today_in(current_user.timezone, as_utc(moment))

    advisors = [(advisor, day(advisor.deleted_at)) for advisor in Advisor.trashed(current_user)]
    contacts = [(contact, day(contact.deleted_at))
                for contact in Advisor.trashed_contacts(current_user)]
    return render("advisors/deleted.html", advisors=advisors, contacts=contacts,
                  today=current_user.today(), days=TRASH_DAYS)


@bp.route("/<int:advisor_id>/log", methods=["GET", "POST"])
def log(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    today = current_user.today()
    form = LogForm(today=today)
    if request.method == "GET":
        form.happened_on.data = today
        form.kind.data = advisor.meeting_kind
        form.thanked.data = request.args.get("thanked") == "1"  # from "Thank them?"
    if form.validate_on_submit():
        contact, _ = log_conversation(advisor, **form.log_values())
        flash_logged(advisor, contact, today)
        return back(advisor)
    return render("advisors/log.html", form=form, advisor=advisor,
                  status=422 if form.errors else 200)


@bp.post("/<int:advisor_id>/spoke-today")
def spoke_today(advisor_id: int):
    """The one-tap log: a conversation today, of the advisor's usual kind."""
    advisor = owned_or_404(advisor_id)
    form = QuickLogForm()  # CSRF is checked before the view; a malformed key is dropped
    today = current_user.today()
    contact = advisor.log_contact(happened_on=today, kind=advisor.meeting_kind,
                                  key=form.key.data or None)
    flash_logged(advisor, contact, today, offer_notes=True)
    return back(advisor)


@bp.post("/<int:advisor_id>/undo")
def undo(advisor_id: int):
    """Remove the contact just logged (named by the confirmation's Undo button)."""
    advisor = owned_or_404(advisor_id)
    form = UndoForm()
    if not form.validate():
        abort(400)
    if advisor.undo_last_contact(form.contact.data):
        flash(f"Removed the last contact logged with {advisor.name}.")
    else:
        flash(f"There is nothing to undo for {advisor.name}.")
    return back(advisor)


@bp.post("/<int:advisor_id>/stage")
def stage(advisor_id: int):
    """Resume someone paused, or make a prospect active, from their page (with Undo)."""
    advisor = owned_or_404(advisor_id)
    form = StageForm()
    if not form.validate():
        abort(400)
    before = {"stage": advisor.stage,
              "paused_until": advisor.paused_until.isoformat() if advisor.paused_until else ""}
    paused_until = form.paused_until.data if form.stage.data == "paused" else None
    advisor.update_details({"stage": form.stage.data, "paused_until": paused_until})
    text = {"active": f"{advisor.name} is active: reminders follow their cadence again.",
            "paused": f"{advisor.name} is paused again.",
            "prospect": f"{advisor.name} is a prospect again."}[form.stage.data]
    flash_undo(advisor, text, "advisors.stage", **before)
    return back(advisor)


@bp.post("/<int:advisor_id>/snooze")
def snooze(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    today = current_user.today()
    due = advisor.due_on(today)
    form = SnoozeForm(today=today, due=due, cadence=advisor.reminder_cadence)
    until = form.snooze_date() if due and form.validate() else None
    if until and advisor.snooze(until):
        flash_undo(advisor, f"{advisor.name} is snoozed until {until:%a %-d %b}.",
                   "advisors.unsnooze", snoozed=until.isoformat(),
                   restore=advisor.snoozed_until.isoformat() if advisor.snoozed_until else "")
        return back(advisor)
    errors = [e for errors in form.errors.values() for e in errors]
    if not due:
        errors = [f"{advisor.name} has no reminder to snooze while paused or alumni."]
    elif until:  # valid for the due date this request saw, not for the one stored now
        errors = ["Pick a later date: a snooze never brings a reminder earlier."]
    flash(errors[0] if errors else "Pick how long to snooze.", "error")
    return back(advisor, status=422)


@bp.post("/<int:advisor_id>/unsnooze")
def unsnooze(advisor_id: int):
    """End a snooze now, or undo the snooze just set (putting back the one it replaced)."""
    advisor = owned_or_404(advisor_id)
    form = UnsnoozeForm()
    if not form.validate():
        abort(400)
    if advisor.unsnooze(form.snoozed.data, form.restore.data):
        flash(f"{advisor.name} is no longer snoozed." if not form.snoozed.data
              else f"Snooze undone for {advisor.name}.")
    else:
        flash(f"{advisor.name} is not snoozed.")
    return back(advisor)
