"""Do for one: the few people you mentor, on the same cadence engine as the board.

A mentee is a row of the advisors table with the relation "mentee" and no role, so
logging, "Spoke today", snoozing, the history, offline sync, the trash, reminders, the
calendar feed and export all treat them as they treat an advisor; their page is the
advisor page (advisors/views.py), which shows a mentee's own fields. Here: the list,
adding one, and editing one.
"""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, ValidationError

from advisory.advisors.forms import AdvisorForm
from advisory.advisors.views import details, owned_or_404
from advisory.base_form import one_of
from advisory.core import due_list
from advisory.core.vocabulary import FEW_MENTEES, LIMITS, STAGES
from advisory.database import write_transaction
from advisory.models import Advisor, Goal
from advisory.rendering import render

bp = Blueprint("mentees", __name__, url_prefix="/mentees")
MENTEE_DETAILS = ("name", "stage", "email", "phone", "organisation", "meeting_style",
                  "meeting_kind", "agenda", "notes", "ideal_next_step", "strengths",
                  "introductions_to_make")
MENTEE_STAGES = {key: STAGES[key] for key in ("active", "paused")}
MAX_GOALS = 10


class MenteeForm(AdvisorForm):
    """The advisor form without what belongs to a board seat (role, why they are on it,
    what you offer, how long), with what a mentee needs: their goals (when adding; then
    on their page), their ideal next step, strengths and passions, whom to introduce."""
    role = why = offer = horizon = None
    stage = SelectField("Stage", choices=MENTEE_STAGES, default="active", validate_choice=False,
                        validators=one_of(MENTEE_STAGES, "Pick active or paused."))
    their_goals = TextAreaField("Their goals", validators=[Length(max=MAX_GOALS * LIMITS["goal"])],
                          render_kw={"placeholder": "One a line: land a first lead role…"})
    ideal_next_step = TextAreaField("Their ideal next step",
                                    validators=[Length(max=LIMITS["ideal_next_step"])])
    strengths = TextAreaField("Strengths and passions",
                              validators=[Length(max=LIMITS["strengths"])],
                              render_kw={"placeholder": "What they are good at, love, dislike"})
    introductions_to_make = TextAreaField(
        "Contacts you could introduce them to",
        validators=[Length(max=LIMITS["introductions_to_make"])])

    def validate_their_goals(self, field):
        lines = self.goal_lines()
        if len(lines) > MAX_GOALS:
            raise ValidationError(f"Keep it to {MAX_GOALS} goals; add more on their page later.")
        if any(len(line) > LIMITS["goal"] for line in lines):
            raise ValidationError(f"Keep each goal under {LIMITS['goal']} characters.")

    def goal_lines(self) -> list[str]:
        return [line.strip() for line in (self.their_goals.data or "").splitlines() if line.strip()]


@bp.before_request
@login_required
def require_login():
    """Every mentee page needs a signed-in account."""


@bp.get("")
def index():
    """The people you mentor with when each is due, and a gentle word past a few."""
    today = current_user.today()
    mentees = Advisor.mentees(current_user)
    cards = {card.advisor.id: card for card in due_list.cards(mentees, today,
                                                                 current_user.due_soon_days)}
    return render("mentees/index.html", mentees=mentees, cards=cards, today=today,
                  too_many=due_list.too_many_mentees(mentees, today), few=FEW_MENTEES)


@bp.route("/new", methods=["GET", "POST"])
def new():
    today = current_user.today()
    form = MenteeForm(today=today)
    if form.validate_on_submit():
        with write_transaction():  # the mentee with their goals, or nothing
            mentee = Advisor.add(current_user, {**details(form, MENTEE_DETAILS),
                                                "relation": "mentee", "role": ""})
            for goal in form.goal_lines():
                Goal.make(mentee, text=goal, created_on=today)
        flash(f"You mentor {mentee.name}: they are on your due list at their cadence.")
        if "another" in request.form:
            return redirect(url_for("mentees.new"), 303)
        return redirect(url_for("advisors.detail", advisor_id=mentee.id), 303)
    return render("mentees/form.html", form=form, mentee=None,
                  status=422 if form.errors else 200)


@bp.route("/<int:mentee_id>/edit", methods=["GET", "POST"])
def edit(mentee_id: int):
    mentee = owned_or_404(mentee_id)
    if not mentee.is_mentee:
        return redirect(url_for("advisors.edit", advisor_id=mentee.id), 303)
    form = MenteeForm(obj=mentee, today=current_user.today())
    if request.method == "GET":
        form.show_cadence(mentee.cadence)
    if form.validate_on_submit():
        mentee.update_details(details(form, MENTEE_DETAILS))
        flash("Saved.")
        return redirect(url_for("advisors.detail", advisor_id=mentee.id), 303)
    return render("mentees/form.html", form=form, mentee=mentee,
                  status=422 if form.errors else 200)
