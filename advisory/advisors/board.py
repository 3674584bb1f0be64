"""The due list (home page) and the board overview."""
from flask import Blueprint
from flask_login import current_user, login_required

from advisory.core import due_list as due
from advisory.core import gratitude, reminders, reviews
from advisory.models import Advisor, BoardReview, Contact, Give, Promise, YearlyDate
from advisory.models.goals import Goal
from advisory.rendering import render

bp = Blueprint("board", __name__)


def render_due_list(status: int = 200):
    """The home page, or its `due_list` block for htmx (after logging or snoozing)."""
    today = current_user.today()
    advisors = Advisor.listed(current_user)
    content = due.build(advisors, today, current_user.due_soon_days)
    # The app icon's badge (static/js/badge.js): the people shown overdue or due today,
    # prospects too, by the rule a push reminder counts them with.
    shown = ([card for cards in content.groups.values() for card in cards] + content.prospects
             + content.mentees)
    return render("board/due_list.html", block="due_list", status=status, today=today,
                  due=content, advisor_count=len(advisors),
                  due_count=len(reminders.due_now(shown, today)),
                  promises_due=Promise.due_for(current_user, today, current_user.due_soon_days),
                  open_promises=Promise.open_by_advisor(current_user),
                  review_due=review_row(today, advisors),
                  coming_up=YearlyDate.coming_up(current_user, today,
                                                 current_user.due_soon_days))


def review_row(today, advisors):
    """The board review's due date when the due list shows it (late, or within the
    account's window), else None."""
    due_on = BoardReview.due_on(current_user, advisors)
    return due_on if reviews.due_within(due_on, today, current_user.due_soon_days) else None


@bp.get("/")
@login_required
def due_list():
    return render_due_list()


@bp.get("/board")
@login_required
def overview():
    today = current_user.today()
    advisors = Advisor.listed(current_user)
    content = due.board(advisors, today, current_user.due_soon_days)
    return render("board/overview.html", board=content, today=today,
                  alumni=due.alumni(advisors), goals=Goal.open_by_advisor(current_user),
                  achieved=Goal.achieved_counts(current_user), **year_of_each(content, today))


def year_of_each(content: due.Board, today) -> dict:
    """Each member's last twelve months (conversations, thanks, gives and introductions
    made for them) and the yearly thank-you round, in four queries whatever the size of
    the board."""
    start = gratitude.year_start(today)
    touches = Contact.touches_since(current_user, start)
    gives = Give.dates_since(current_user, start)  # introductions made for them included
    thanked = Contact.last_thanked(current_user)
    members = [advisor for seat in content.seats for advisor, _, _ in seat.members]
    years = {advisor.id: gratitude.year(touches.get(advisor.id, ()), gives.get(advisor.id, ()),
                                        today)
             for advisor in members}
    owed = [(advisor, thanked.get(advisor.id)) for advisor in members
            if advisor.stage == "active"
            and gratitude.owed_thanks(thanked.get(advisor.id), advisor.last_contact_on is not None,
                                    today)]
    return {"years": years, "thank_round": owed}
