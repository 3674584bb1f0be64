"""Birthdays and other yearly dates on a person's page: adding, editing and deleting
(with Undo). Plain forms: they work without scripts."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from advisory.advisors.confirmations import flash_undo
from advisory.advisors.views import owned_or_404
from advisory.base_form import TodayAware, one_of
from advisory.core import yearly
from advisory.core.vocabulary import LIMITS, YEARLY_KINDS
from advisory.models import Advisor, YearlyDate
from advisory.rendering import render

bp = Blueprint("yearly", __name__, url_prefix="/advisors/<int:advisor_id>/dates")

MONTHS = {str(number): yearly.day_month(number, 1).split()[1] for number in range(1, 13)}
YEAR_MESSAGE = f"Enter a year from {yearly.EARLIEST_YEAR}, or leave it empty."
SECOND_BIRTHDAY = "They have a birthday already: edit that one, or pick another yearly date."


class YearlyDateForm(TodayAware):
    kind = RadioField("Which date", choices=YEARLY_KINDS, default="birthday",
                      validate_choice=False,
                      validators=one_of(YEARLY_KINDS, "Pick a birthday or another date."))
    label = StringField("What it is", filters=[str.strip],
                        validators=[Length(max=LIMITS["yearly_label"])])
    day = IntegerField("Day", validators=[InputRequired("Enter the day, from 1 to 31."),
                                          NumberRange(1, 31, "Enter a day from 1 to 31.")])
    month = SelectField("Month", choices=MONTHS, validate_choice=False,
                        validators=one_of(MONTHS, "Pick a month from the list."))
    year = IntegerField("Year",
                        validators=[Optional(),
                                    NumberRange(yearly.EARLIEST_YEAR, 9999, YEAR_MESSAGE)])

    def validate_label(self, field):
        if self.kind.data == "date" and not field.data:
            raise ValidationError("Say what the date is, such as work anniversary.")

    def validate_day(self, field):
        if self.month.data in MONTHS and field.data:
            message = yearly.day_problem(int(self.month.data), field.data)
            if message:
                raise ValidationError(message)

    def validate_year(self, field):
        if (field.data and self.month.data in MONTHS and self.day.data
                and not yearly.day_problem(int(self.month.data), self.day.data)):
            message = yearly.year_problem(int(self.month.data), self.day.data, field.data,
                                          self.today)
            if message:
                raise ValidationError(message)

    def values(self) -> dict:
        return {"kind": self.kind.data, "label": self.label.data, "month": int(self.month.data),
                "day": self.day.data, "year": self.year.data}


@bp.before_request
@login_required
def require_login():
    """Every yearly date page needs a signed-in account."""


def owned_date_or_404(advisor_id: int, date_id: int) -> tuple[Advisor, YearlyDate]:
    advisor = owned_or_404(advisor_id)
    found = YearlyDate.owned(advisor, date_id)
    if found is None:
        abort(404)
    return advisor, found


def to_dates(advisor: Advisor):
    return redirect(url_for("advisors.detail", advisor_id=advisor.id, _anchor="dates"), 303)


def form_page(form: YearlyDateForm, advisor: Advisor, found: YearlyDate | None):
    return render("advisors/yearly.html", form=form, advisor=advisor, found=found,
                  status=422 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
def add(advisor_id: int):
    """Add a date (also the Undo of a delete, which posts the same fields)."""
    advisor = owned_or_404(advisor_id)
    form = YearlyDateForm(today=current_user.today())
    if not form.is_submitted() and YearlyDate.has_birthday(advisor.id):
        form.kind.data = "date"
    if form.validate_on_submit():
        if YearlyDate.make(advisor, **form.values()) is None:
            form.kind.errors = [SECOND_BIRTHDAY]
            return form_page(form, advisor, None)
        flash("Date added.")
        return to_dates(advisor)
    return form_page(form, advisor, None)


@bp.route("/<int:date_id>/edit", methods=["GET", "POST"])
def edit(advisor_id: int, date_id: int):
    advisor, found = owned_date_or_404(advisor_id, date_id)
    form = YearlyDateForm(obj=found, today=current_user.today())
    if not form.is_submitted():
        form.month.data = str(found.month)
    if form.validate_on_submit():
        changed = found.change(**form.values())
        if changed is None:
            form.kind.errors = [SECOND_BIRTHDAY]
            return form_page(form, advisor, found)
        if not changed:
            abort(404)  # deleted on another device meanwhile
        flash("Saved.")
        return to_dates(advisor)
    return form_page(form, advisor, found)


@bp.post("/<int:date_id>/delete")
def delete(advisor_id: int, date_id: int):
    """Delete one date; the confirmation's Undo adds it again."""
    advisor, found = owned_date_or_404(advisor_id, date_id)
    if found.remove():
        flash_undo(advisor, f"Deleted: {found.title} ({found.in_words}).", "yearly.add",
                   kind=found.kind, label=found.label, day=found.day, month=found.month,
                   year=found.year or "")
    return to_dates(advisor)
