"""Giving back: adding, editing and deleting what you gave an advisor (with Undo)."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from advisory.advisors.confirmations import flash_undo
from advisory.advisors.views import owned_or_404
from advisory.base_form import DATE_MESSAGE, TodayAware, one_of
from advisory.core.vocabulary import GIVE_KINDS, LIMITS
from advisory.models import Advisor
from advisory.models.gives import Give
from advisory.rendering import render

bp = Blueprint("gives", __name__, url_prefix="/advisors/<int:advisor_id>/gives")


class GiveForm(TodayAware):
    kind = SelectField("What you gave", choices=GIVE_KINDS, default="introduction",
                       validate_choice=False,
                       validators=one_of(GIVE_KINDS, "Pick what you gave."))
    note = StringField("A few words", validators=[Length(max=LIMITS["give"])],
                       description="Optional: who you introduced, which article.")
    given_on = DateField("When", validators=[InputRequired(DATE_MESSAGE)])

    def validate_given_on(self, field):
        self.not_in_future(field)

    def values(self) -> dict:
        return {"kind": self.kind.data, "note": self.note.data.strip(),
                "given_on": self.given_on.data}


@bp.before_request
@login_required
def require_login():
    """Every gives page needs a signed-in account."""


def owned_give_or_404(advisor_id: int, give_id: int) -> tuple[Advisor, Give]:
    advisor = owned_or_404(advisor_id)
    give = Give.owned(advisor, give_id)
    if give is None:
        abort(404)
    return advisor, give


def to_ledger(advisor: Advisor):
    return redirect(url_for("advisors.detail", advisor_id=advisor.id, _anchor="gives"), 303)


@bp.route("/new", methods=["GET", "POST"])
def add(advisor_id: int):
    """Record something given (also the Undo of a delete, which posts the same fields)."""
    advisor = owned_or_404(advisor_id)
    form = GiveForm(today=current_user.today())
    if not form.is_submitted():
        form.given_on.data = current_user.today()
    if form.validate_on_submit():
        Give.record(advisor, **form.values())
        flash(f"Recorded what you gave {advisor.name}.")
        return to_ledger(advisor)
    return render("advisors/give.html", form=form, advisor=advisor, give=None,
                  status=422 if form.errors else 200)


@bp.route("/<int:give_id>/edit", methods=["GET", "POST"])
def edit(advisor_id: int, give_id: int):
    advisor, give = owned_give_or_404(advisor_id, give_id)
    form = GiveForm(obj=give, today=current_user.today())
    if form.validate_on_submit():
        if not give.change(**form.values()):
            abort(404)  # deleted on another device meanwhile
        flash("Saved.")
        return to_ledger(advisor)
    return render("advisors/give.html", form=form, advisor=advisor, give=give,
                  status=422 if form.errors else 200)


@bp.post("/<int:give_id>/delete")
def delete(advisor_id: int, give_id: int):
    """Delete one give; the confirmation's Undo records it again."""
    advisor, give = owned_give_or_404(advisor_id, give_id)
    if give.remove():
        flash_undo(advisor, f"Deleted what you gave on {give.given_on:%-d %b %Y}.", "gives.add",
                   kind=give.kind, note=give.note, given_on=give.given_on.isoformat())
    return to_ledger(advisor)
