"""The board review (/board/review): each role walked in turn, who fills it, how often you
met against the cadence, their open goals and the balance of thanks and gives; a
decision and a note per member, "recruit" per empty role, a reflection. Saving keeps the
review and applies its changes (models/reviews.py). Past reviews: /board/reviews."""
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from advisory.base_form import PRESET_CHOICES, Form
from advisory.core import cadence, reviews, wording
from advisory.core.cadence import Cadence
from advisory.core.vocabulary import LIMITS, REVIEW_DECISIONS, REVIEW_PERIODS, ROLES
from advisory.models import Advisor, BoardReview, Contact, Give, Goal
from advisory.models.reviews import Decision
from advisory.rendering import render

bp = Blueprint("reviews", __name__, url_prefix="/board")

CADENCE_PREFIX = "cadence:"  # a decision "cadence:6w": change the cadence to every 6 weeks
CLOSE_ENDPOINT = "closing.close"  # the close page (advisors/closing.py)


class ReviewForm(Form):
    """The review's fields, made for the board as it stands (for_board): per member
    `decision-<id>` and `note-<id>`, per empty role `recruit-<role>` and `role_note-<role>`.
    Members are named by id, so a member added or deleted on another device meanwhile
    never shifts a decision onto someone else."""
    reflection = TextAreaField("Looking back: what changed, what you need next",
                               validators=[Length(max=LIMITS["reflection"])])

    @classmethod
    def for_board(cls, members: list[Advisor], empty_roles: list[str], **kwargs) -> "ReviewForm":
        fields = {}
        for member in members:
            fields[f"decision-{member.id}"] = SelectField(
                f"Decision for {member.name}", choices=decision_choices(member),
                default="keep", validate_choice=True)
            fields[f"note-{member.id}"] = StringField(
                f"Note on {member.name}", validators=[Length(max=LIMITS["review_note"])])
        for role in empty_roles:
            fields[f"recruit-{role}"] = BooleanField(REVIEW_DECISIONS["recruit"], default=True)
            fields[f"role_note-{role}"] = StringField(
                f"Note on {ROLES[role].name}", validators=[Length(max=LIMITS["review_note"])])
        return type("ReviewForm", (cls,), fields)(**kwargs)


def decision_choices(member: Advisor) -> list[SelectChoice]:
    """Keep, a new cadence (the presets but the current one), pause or close, as one
    select whose optgroup holds the cadences: no script needed to show a cadence input."""
    current = member.cadence.code()
    change = REVIEW_DECISIONS["cadence"] + " to"
    return [SelectChoice("keep", f"{REVIEW_DECISIONS['keep']} ({member.cadence.label().lower()})"),
            *[SelectChoice(CADENCE_PREFIX + code, f"Change to {label.lower()}", optgroup=change)
              for code, label in PRESET_CHOICES.items() if code != current],
            *[SelectChoice(key, REVIEW_DECISIONS[key], optgroup="Or")
              for key in ("pause", "close")]]


@bp.before_request
@login_required
def require_login():
    """Reviews belong to a signed-in account."""


def board_now(today):
    """The members the review walks (active today, by role) and the paused ones it
    mentions, each list in name order."""
    members, paused = {key: [] for key in ROLES}, {key: [] for key in ROLES}
    for advisor in Advisor.listed(current_user):
        stage = cadence.effective_stage(advisor.stage, advisor.paused_until, today)
        if advisor.role in ROLES and stage in ("active", "paused"):
            (members if stage == "active" else paused)[advisor.role].append(advisor)
    return members, paused


def page(posted: bool = False, status: int = 200, problem: str = ""):
    """The review page for the board as it stands; `posted`: with what was sent and
    what is wrong with it (the board may have changed since it was read)."""
    today = current_user.today()
    members, paused = board_now(today)
    latest = BoardReview.latest(current_user)
    start = reviews.period_start(current_user.review_every,
                                 latest.reviewed_on if latest else None, today)
    form = ReviewForm.for_board([m for role in members.values() for m in role],
                                [role for role, found in members.items() if not found],
                                formdata=request.form if posted else None)
    if posted:
        form.validate()
    touches = Contact.touches_since(current_user, start)
    gives = Give.dates_since(current_user, start)
    counting = cadence.counting_kinds(current_user.messages_count)
    numbers = {member.id: (reviews.attendance(touches.get(member.id, ()), counting,
                                              member.cadence, max(start, member.added_on), today),
                           reviews.balance(touches.get(member.id, ()), gives.get(member.id, ()),
                                           start, today))
               for role in members.values() for member in role}
    return render("board/review.html", form=form, members=members, paused=paused,
                  numbers=numbers, goals=Goal.open_by_advisor(current_user), latest=latest,
                  start=start, today=today, due=BoardReview.due_on(current_user),
                  period=REVIEW_PERIODS.get(current_user.review_every), problem=problem,
                  status=status)


@bp.get("/review")
def review():
    return page()


@bp.post("/review")
def save():
    today = current_user.today()
    members, _ = board_now(today)
    everyone = [m for role in members.values() for m in role]
    empty = [role for role, found in members.items() if not found]
    form = ReviewForm.for_board(everyone, empty)
    if not form.validate():
        return page(posted=True, status=422)
    decisions = [member_decision(form, member) for member in everyone]
    decisions += [Decision(role=role, decision="recruit" if form[f"recruit-{role}"].data
                           else "keep", note=form[f"role_note-{role}"].data.strip())
                  for role in empty]
    try:
        saved = BoardReview.record(current_user, reviewed_on=today,
                                   reflection=form.reflection.data.strip(), decisions=decisions)
    except Advisor.DoesNotExist:  # deleted on another device since the page was read
        return page(posted=True, status=409, problem="Someone on this review was deleted on another "
                                       "device meanwhile. Check the review below and save it again.")
    due = BoardReview.due_on(current_user)
    flash("Review saved." + (f" The next one is {wording.relative_due(due, today)}."
                             if due else ""))
    return redirect(url_for("reviews.detail", review_id=saved.id), 303)


def member_decision(form: ReviewForm, member: Advisor) -> Decision:
    chosen = form[f"decision-{member.id}"].data
    new = Cadence.parse(chosen.removeprefix(CADENCE_PREFIX)) \
        if chosen.startswith(CADENCE_PREFIX) else None
    return Decision(role=member.role, decision="cadence" if new else chosen,
                    note=form[f"note-{member.id}"].data.strip(), advisor=member, cadence=new)


@bp.get("/reviews")
def history():
    return render("board/reviews.html", reviews=BoardReview.history(current_user),
                  due=BoardReview.due_on(current_user), today=current_user.today())


@bp.get("/reviews/<int:review_id>")
def detail(review_id: int):
    found = BoardReview.owned(current_user, review_id)
    if found is None:
        abort(404)
    decisions = found.decisions()
    on_board = {advisor.id: advisor.stage for advisor in Advisor.listed(current_user)}
    return render("board/review_detail.html", review=found, decisions=decisions,
                  on_board=on_board, close_endpoint=close_endpoint(),
                  DECISIONS=REVIEW_DECISIONS)


def close_endpoint() -> str:
    """Where "bring to a close" leads: the close page, or the member's page without one."""
    return CLOSE_ENDPOINT if CLOSE_ENDPOINT in current_app.view_functions else "advisors.detail"
