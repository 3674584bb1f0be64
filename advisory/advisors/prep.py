"""The prep page: one phone screen to read before a conversation (why they are on your
board, the last talk, the agenda, promises and advice, what you can give, gratitude).
The service worker keeps it for everyone due this week, so it opens offline."""
from flask import Blueprint
from flask_login import current_user, login_required

from advisory.advisors.views import owned_or_404
from advisory.core import gratitude
from advisory.models import Advice, Contact, Give, Introduction, Promise
from advisory.models.goals import Goal
from advisory.rendering import render

bp = Blueprint("prep", __name__, url_prefix="/advisors/<int:advisor_id>/prep")
RECENT_GIVES = 3


@bp.get("")
@login_required
def page(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    today = current_user.today()
    thanks = gratitude.gratitude(Contact.touches(advisor))
    return render("advisors/prep.html", advisor=advisor, today=today,
                  due=advisor.due_on(today), last=Contact.history(advisor).first(),
                  gives=Give.ledger(advisor, RECENT_GIVES), gratitude=thanks,
                  introduced=Introduction.to_thank(advisor, thanks.last_thanked),
                  promises=Promise.open_for(advisor), advice=Advice.to_report(advisor),
                  goals=Goal.for_advisor(advisor))
