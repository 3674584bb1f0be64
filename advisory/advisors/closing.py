"""An honourable close: moving a member to the alumni with a reason, what you learned
and a last thank-you (Advisor.close), and bringing them back to the board."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import login_required

from advisory.advisors.goal_forms import CloseForm
from advisory.advisors.views import owned_or_404
from advisory.rendering import render

bp = Blueprint("closing", __name__, url_prefix="/advisors/<int:advisor_id>")

THANKS = {"thanked": "Your thank-you is logged today.",
          "remind": "A promise to thank them is on your list, for a week from today.",
          "": ""}


@bp.before_request
@login_required
def require_login():
    """Closing and bringing back need a signed-in account."""


@bp.route("/close", methods=["GET", "POST"])
def close(advisor_id: int):
    """Bring it to a close: the reason, what you learned, how you thank them, and whether
    to check in yearly."""
    advisor = owned_or_404(advisor_id)
    if advisor.is_mentee:  # the alumni are the board's; a mentee is paused or deleted
        abort(404)
    if advisor.stage == "alumni":
        flash(f"{advisor.name} is among your alumni already.")
        return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)
    form = CloseForm()
    if form.validate_on_submit():
        values = form.values()
        advisor.close(**values)
        check_in = " You will check in yearly." if values["yearly_check_in"] else ""
        flash(f"{advisor.name} is among your alumni. {THANKS[values['thank']]}{check_in}".strip())
        return redirect(url_for("board.overview", _anchor="alumni"), 303)
    return render("advisors/close.html", form=form, advisor=advisor,
                  status=422 if form.errors else 200)


@bp.post("/bring-back")
def bring_back(advisor_id: int):
    """Back from the alumni to the active board, reminders on their cadence again."""
    advisor = owned_or_404(advisor_id)
    if advisor.bring_back():
        flash(f"{advisor.name} is back on your board: reminders follow their cadence again.")
    else:
        flash(f"{advisor.name} is on your board already.")
    if request.form.get("from") == "board":
        return redirect(url_for("board.overview"), 303)
    return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)
