"""Introductions on a person's page: asked for, received or made, to whom (a name, or
another of your people), when, and what came of it; edit and delete (with Undo)."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from advisory.advisors.confirmations import flash_undo
from advisory.advisors.views import owned_or_404
from advisory.base_form import DATE_MESSAGE, TodayAware, one_of
from advisory.core.vocabulary import INTRODUCTION_DIRECTIONS, LIMITS
from advisory.models import Advisor, Introduction
from advisory.rendering import render

bp = Blueprint("introductions", __name__,
               url_prefix="/advisors/<int:advisor_id>/introductions")
NOBODY = ""  # "to whom" is not one of my people


class IntroductionForm(TodayAware):
    direction = SelectField("Introduction", choices=INTRODUCTION_DIRECTIONS, default="made",
                            validate_choice=False,
                            validators=one_of(INTRODUCTION_DIRECTIONS,
                                              "Pick asked for, received or made."))
    to_whom = StringField("To whom", validators=[Length(max=LIMITS["to_whom"])],
                          description="A name, and what they do if it helps.")
    to_person = SelectField("Or one of your people", validate_choice=False)
    happened_on = DateField("When", validators=[InputRequired(DATE_MESSAGE)])
    outcome = StringField("What came of it",
                          validators=[Length(max=LIMITS["introduction_outcome"])])

    people: dict[str, str] = {}  # id -> name: whom "to whom" may name (offer_people)

    def offer_people(self, person: Advisor) -> None:
        """Offer the account's other people as "to whom": never another account's."""
        self.people = {str(other.id): other.name
                       for other in Advisor.for_user(current_user, Advisor.id, Advisor.name)
                       if other.id != person.id}
        self.to_person.choices = {NOBODY: "Nobody else here", **self.people}

    def validate_to_person(self, field):
        if (field.data or NOBODY) not in (NOBODY, *self.people):
            raise ValidationError("Pick one of your people, or none.")

    def validate_to_whom(self, field):
        if not field.data.strip() and not self.to_person.data:
            raise ValidationError("Say to whom, or pick one of your people.")

    def validate_happened_on(self, field):
        if self.direction.data != "asked":  # an ask can be for later; the rest happened
            self.not_in_future(field)

    def values(self) -> dict:
        other = self.to_person.data or None
        return {"direction": self.direction.data,
                "to_whom": self.to_whom.data.strip() or self.people.get(other, ""),
                "to_person": int(other) if other else None,
                "happened_on": self.happened_on.data, "outcome": self.outcome.data.strip()}


@bp.before_request
@login_required
def require_login():
    """Every introduction page needs a signed-in account."""


def owned_introduction_or_404(advisor_id: int, introduction_id: int):
    person = owned_or_404(advisor_id)
    introduction = Introduction.owned(person, introduction_id)
    if introduction is None:
        abort(404)
    return person, introduction


def to_list(person: Advisor):
    return redirect(url_for("advisors.detail", advisor_id=person.id, _anchor="introductions"), 303)


def form_for(person: Advisor, introduction: Introduction | None = None) -> IntroductionForm:
    form = IntroductionForm(obj=introduction, today=current_user.today())
    form.offer_people(person)
    if not form.is_submitted():
        if introduction is None:
            form.happened_on.data = current_user.today()
        else:
            form.to_person.data = str(introduction.to_person_id or NOBODY)
    return form


@bp.route("/new", methods=["GET", "POST"])
def add(advisor_id: int):
    """Record one (from the small form on their page, or the Undo of a delete)."""
    person = owned_or_404(advisor_id)
    form = form_for(person)
    if form.validate_on_submit():
        Introduction.record(person, **form.values())
        flash(f"Recorded the introduction to {form.values()['to_whom']}.")
        return to_list(person)
    return render("advisors/introduction.html", form=form, advisor=person, introduction=None,
                  status=422 if form.errors else 200)


@bp.route("/<int:introduction_id>/edit", methods=["GET", "POST"])
def edit(advisor_id: int, introduction_id: int):
    person, introduction = owned_introduction_or_404(advisor_id, introduction_id)
    form = form_for(person, introduction)
    if form.validate_on_submit():
        if not introduction.change(**form.values()):
            abort(404)  # deleted on another device meanwhile
        flash("Saved.")
        return to_list(person)
    return render("advisors/introduction.html", form=form, advisor=person,
                  introduction=introduction, status=422 if form.errors else 200)


@bp.post("/<int:introduction_id>/delete")
def delete(advisor_id: int, introduction_id: int):
    """Delete one; the confirmation's Undo records it again."""
    person, introduction = owned_introduction_or_404(advisor_id, introduction_id)
    if introduction.remove():
        flash_undo(person, f"Deleted the introduction to {introduction.to_whom}.",
                   "introductions.add", direction=introduction.direction,
                   to_whom=introduction.to_whom,
                   to_person=str(introduction.to_person_id or NOBODY),
                   happened_on=introduction.happened_on.isoformat(),
                   outcome=introduction.outcome)
    return to_list(person)
