"""Promises both ways and advice on the advisor page: adding, editing, "Kept" (with
Undo; theirs kept offers to thank them), deleting (with Undo), and what came of advice."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from advisory.advisors.confirmations import flash_undo
from advisory.advisors.views import owned_or_404
from advisory.base_form import Form, TodayAware, one_of
from advisory.core.vocabulary import ADVICE_STATES, LIMITS, PROMISE_OWERS
from advisory.models import Advisor
from advisory.models.promises import Advice, Promise
from advisory.rendering import render

bp = Blueprint("promises", __name__, url_prefix="/advisors/<int:advisor_id>")


class PromiseForm(Form):
    text = StringField("What", filters=[str.strip],
                       validators=[DataRequired("Say what was promised."),
                                   Length(max=LIMITS["promise"])])
    owed_by = RadioField("Who", choices=PROMISE_OWERS, default="me",
                         validate_choice=False,
                         validators=one_of(PROMISE_OWERS, "Pick who promised it."))
    due_on = DateField("By (optional)", validators=[Optional()])

    def values(self) -> dict:
        return {"text": self.text.data.strip(), "owed_by": self.owed_by.data,
                "due_on": self.due_on.data}


class AdviceForm(TodayAware):
    text = TextAreaField("Advice", filters=[str.strip],
                         validators=[DataRequired("Say what they advised."),
                                     Length(max=LIMITS["advice"])])
    state = SelectField("Where it stands", choices=ADVICE_STATES,
                        default="to_try", validate_choice=False,
                        validators=one_of(ADVICE_STATES, "Pick where it stands."))
    outcome = TextAreaField("What happened", validators=[Length(max=LIMITS["advice"])])
    outcome_on = DateField("When", validators=[Optional()])

    def validate_outcome_on(self, field):
        self.not_in_future(field)

    def values(self) -> dict:
        return {"text": self.text.data.strip(), "state": self.state.data,
                "outcome": self.outcome.data.strip(), "outcome_on": self.outcome_on.data}


class PickForm(Form):
    """A button naming one promise (Undo of "Kept")."""
    promise = IntegerField(validators=[InputRequired()])


class UndoTellForm(Form):
    told = HiddenField()


@bp.before_request
@login_required
def require_login():
    """Every promise and advice page needs a signed-in account."""


def own_promise(advisor: Advisor, promise_id: int) -> Promise:
    promise = Promise.owned(current_user, promise_id)
    if promise is None or promise.advisor_id != advisor.id:
        abort(404)
    return promise


def own_advice(advisor: Advisor, advice_id: int) -> Advice:
    advice = Advice.owned(current_user, advice_id)
    if advice is None or advice.advisor_id != advisor.id:
        abort(404)
    return advice


def flash_undo_at(advisor: Advisor, message: str, action: str, fields: dict,
                  link: dict | None = None) -> None:
    """A confirmation whose Undo posts `fields` to `action` (_flashes.html); unlike
    views.flash_undo, the fields may be named "text"."""
    flash({"text": message, "advisor": advisor.id, "link": link, "action": action,
           "fields": fields}, "undo")


def thank_them(advisor: Advisor) -> dict:
    """The prompt after their promise is kept or their advice adopted: the Log form, with
    "I thanked them" ticked."""
    return {"text": "Tell them it worked, and thank them",
            "href": url_for("advisors.log", advisor_id=advisor.id, thanked=1)}


def to_page(advisor: Advisor, anchor: str = "promises"):
    if request.form.get("from") == "due":  # "Kept" on the due list
        return redirect(url_for("board.due_list"), 303)
    return redirect(url_for("advisors.detail", advisor_id=advisor.id, _anchor=anchor), 303)


@bp.route("/promises/new", methods=["GET", "POST"])
def add(advisor_id: int):
    """Add a promise (also the Undo of a delete, which posts the same fields)."""
    advisor = owned_or_404(advisor_id)
    form = PromiseForm()
    if form.validate_on_submit():
        Promise.make(advisor, **form.values())
        flash("Promise added.")
        return to_page(advisor)
    return render("advisors/promise.html", form=form, advisor=advisor, promise=None,
                  status=422 if form.errors else 200)


@bp.route("/promises/<int:promise_id>/edit", methods=["GET", "POST"])
def edit(advisor_id: int, promise_id: int):
    advisor = owned_or_404(advisor_id)
    promise = own_promise(advisor, promise_id)
    form = PromiseForm(obj=promise)
    if form.validate_on_submit():
        if not promise.change(**form.values()):
            abort(404)  # deleted on another device meanwhile
        flash("Saved.")
        return to_page(advisor)
    return render("advisors/promise.html", form=form, advisor=advisor, promise=promise,
                  status=422 if form.errors else 200)


@bp.post("/promises/<int:promise_id>/kept")
def kept(advisor_id: int, promise_id: int):
    """One tap: kept today. Theirs kept offers to log a thank-you."""
    advisor = owned_or_404(advisor_id)
    promise = own_promise(advisor, promise_id)
    promise.keep(current_user.today())
    link = thank_them(advisor) if promise.owed_by == "them" else None
    flash_undo(advisor, f"Kept: {promise.text}.", "promises.reopen", link=link,
               promise=promise.id)
    return to_page(advisor)


@bp.post("/promises/reopen")
def reopen(advisor_id: int):
    """Undo "Kept"."""
    advisor = owned_or_404(advisor_id)
    form = PickForm()
    if not form.validate():
        abort(400)
    promise = own_promise(advisor, form.promise.data)
    promise.reopen()
    flash(f"Open again: {promise.text}.")
    return to_page(advisor)


@bp.post("/promises/<int:promise_id>/delete")
def delete(advisor_id: int, promise_id: int):
    advisor = owned_or_404(advisor_id)
    promise = own_promise(advisor, promise_id)
    if promise.remove():
        flash_undo_at(advisor, f"Deleted: {promise.text}.",
                      url_for("promises.add", advisor_id=advisor.id),
                      {"text": promise.text, "owed_by": promise.owed_by,
                       "due_on": promise.due_on.isoformat() if promise.due_on else ""})
    return to_page(advisor)


@bp.route("/advice/new", methods=["GET", "POST"])
def add_advice(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    form = AdviceForm(today=current_user.today())
    if form.validate_on_submit():
        values = form.values()
        advice = Advice.record(advisor, text=values["text"])
        if values["state"] != "to_try" or values["outcome"] or values["outcome_on"]:
            advice.change(**values)
        flash("Advice added.")
        return to_page(advisor, "advice")
    return render("advisors/advice.html", form=form, advisor=advisor, advice=None,
                  status=422 if form.errors else 200)


@bp.route("/advice/<int:advice_id>/edit", methods=["GET", "POST"])
def edit_advice(advisor_id: int, advice_id: int):
    """Where a piece of advice stands and what came of it."""
    advisor = owned_or_404(advisor_id)
    advice = own_advice(advisor, advice_id)
    form = AdviceForm(obj=advice, today=current_user.today())
    if request.method == "GET" and not advice.outcome_on:
        form.outcome_on.data = current_user.today()
    if form.validate_on_submit():
        values = form.values()
        if values["state"] == "to_try" and not values["outcome"]:
            values["outcome_on"] = None
        adopted = values["state"] == "adopted" and advice.state != "adopted"
        if not advice.change(**values):
            abort(404)
        if adopted:
            flash({"text": "Adopted.", "link": thank_them(advisor)}, "link")
        else:
            flash("Saved.")
        return to_page(advisor, "advice")
    return render("advisors/advice.html", form=form, advisor=advisor, advice=advice,
                  status=422 if form.errors else 200)


@bp.post("/advice/<int:advice_id>/told")
def told(advisor_id: int, advice_id: int):
    """Marked as reported back to them today (the same button again takes it back)."""
    advisor = owned_or_404(advisor_id)
    advice = own_advice(advisor, advice_id)
    form = UndoTellForm()
    undoing = form.told.data == "no"
    advice.tell(None if undoing else current_user.today())
    if not undoing:
        flash_undo_at(advisor, f"Told {advisor.name} how it went.",
                      url_for("promises.told", advisor_id=advisor.id, advice_id=advice.id),
                      {"told": "no"})
    return to_page(advisor, "advice")


@bp.post("/advice/<int:advice_id>/delete")
def delete_advice(advisor_id: int, advice_id: int):
    advisor = owned_or_404(advisor_id)
    advice = own_advice(advisor, advice_id)
    advice.remove()
    flash(f"Deleted: {advice.text}.")
    return to_page(advisor, "advice")
