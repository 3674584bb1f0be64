"""Goals on the advisor page: adding, editing, achieved / dropped / open again, deleting,
and dated progress notes that can point at a conversation. Every form is a plain post
with a redirect; from the advisor page htmx swaps only the goals panel (block `goals`)."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from advisory.advisors.goal_forms import (
    GOAL_CONVERSATIONS,
    GoalForm,
    GoalNoteForm,
    GoalStateForm,
)
from advisory.advisors.views import owned_or_404
from advisory.core import wording
from advisory.models import Advisor, Contact
from advisory.models.goals import Goal, GoalNote
from advisory.rendering import render, wants_partial

bp = Blueprint("goals", __name__, url_prefix="/advisors/<int:advisor_id>/goals")


def note_form(advisor: Advisor, **kwargs) -> GoalNoteForm:
    """The progress note form, offering the advisor's latest conversations; a fresh one
    with `formdata=None`."""
    return GoalNoteForm(today=current_user.today(),
                        conversations=Contact.history(advisor).limit(GOAL_CONVERSATIONS),
                        **kwargs)


@bp.before_request
@login_required
def require_login():
    """Every goal page needs a signed-in account."""


def own_goal(advisor_id: int, goal_id: int) -> tuple[Advisor, Goal]:
    advisor = owned_or_404(advisor_id)
    goal = Goal.owned(current_user, goal_id)
    if goal is None or goal.advisor_id != advisor.id:
        abort(404)
    return advisor, goal


def panel(advisor: Advisor, said: str = "", status: int = 200, **forms):
    """The advisor page's goals panel (block `goals`), for htmx."""
    forms.setdefault("goal_form", GoalForm(formdata=None))
    forms.setdefault("note_form", note_form(advisor, formdata=None))
    return render("advisors/detail.html", block="goals", status=status, advisor=advisor,
                  goals=Goal.for_advisor(advisor), today=current_user.today(), said=said,
                  **forms)


def done(advisor: Advisor, said: str, goal: Goal | None = None):
    """After a change: the panel again for htmx, else a redirect with the confirmation,
    to the goal's page when the form came from there (its hidden `from`)."""
    if wants_partial():
        return panel(advisor, said)
    flash(said)
    if goal is not None and request.form.get("from") == "goal":
        return redirect(url_for("goals.page", advisor_id=advisor.id, goal_id=goal.id), 303)
    return redirect(url_for("advisors.detail", advisor_id=advisor.id, _anchor="goals"), 303)


def goal_page(advisor: Advisor, goal: Goal, status: int = 200, **forms):
    goal = next((g for g in Goal.for_advisor(advisor) if g.id == goal.id), None)
    if goal is None:
        abort(404)  # deleted on another device meanwhile
    forms.setdefault("form", GoalForm(formdata=None, obj=goal))
    forms.setdefault("note_form", note_form(advisor, formdata=None))
    return render("advisors/goal.html", advisor=advisor, goal=goal, status=status, **forms)


@bp.post("/new")
def add(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    form = GoalForm()
    if not form.validate():
        if wants_partial():
            return panel(advisor, status=422, goal_form=form)
        return render("advisors/goal.html", advisor=advisor, goal=None, form=form,
                      status=422)
    Goal.make(advisor, text=form.text.data, created_on=current_user.today())
    return done(advisor, f"Goal added: {form.text.data}.")


@bp.get("/<int:goal_id>")
def page(advisor_id: int, goal_id: int):
    """One goal: its progress notes, a note to add, its wording and where it stands."""
    advisor, goal = own_goal(advisor_id, goal_id)
    return goal_page(advisor, goal)


@bp.post("/<int:goal_id>/edit")
def edit(advisor_id: int, goal_id: int):
    advisor, goal = own_goal(advisor_id, goal_id)
    form = GoalForm()
    if not form.validate():
        return goal_page(advisor, goal, status=422, form=form)
    if not goal.change(text=form.text.data):
        abort(404)
    return done(advisor, "Saved.", goal)


@bp.post("/<int:goal_id>/state")
def state(advisor_id: int, goal_id: int):
    """Achieved or dropped today, or open again."""
    advisor, goal = own_goal(advisor_id, goal_id)
    form = GoalStateForm()
    if not form.validate():
        abort(400)
    choice = form.state.data
    goal.settle(choice, None if choice == "open" else current_user.today())
    said = {"achieved": f"Achieved: {goal.text}. Well done.",
            "dropped": f"Dropped: {goal.text}.",
            "open": f"Open again: {goal.text}."}[choice]
    return done(advisor, said, goal)


@bp.post("/<int:goal_id>/delete")
def delete(advisor_id: int, goal_id: int):
    advisor, goal = own_goal(advisor_id, goal_id)
    goal.remove()
    return done(advisor, f"Deleted the goal {goal.text} and its progress notes.")


@bp.post("/<int:goal_id>/notes")
def add_note(advisor_id: int, goal_id: int):
    """A dated progress note, from the advisor page or the goal's page."""
    advisor, goal = own_goal(advisor_id, goal_id)
    form = note_form(advisor)
    if not form.validate():
        if wants_partial():
            return panel(advisor, status=422, note_form=form, note_goal=goal.id)
        return goal_page(advisor, goal, status=422, note_form=form)
    goal.note(**form.values())  # the goal deleted meanwhile: DoesNotExist, answered 404
    on = wording.ago(form.noted_on.data, current_user.today())
    return done(advisor, f"Progress noted on {goal.text}, {on}.", goal)


@bp.post("/<int:goal_id>/notes/<int:note_id>/delete")
def delete_note(advisor_id: int, goal_id: int, note_id: int):
    advisor, goal = own_goal(advisor_id, goal_id)
    note = GoalNote.owned(goal, note_id)
    if note is None:
        abort(404)
    note.remove(goal)
    return done(advisor, "Progress note deleted.", goal)
