"""The due list (home page) and the board overview."""
from types import SimpleNamespace

from flask import Blueprint, g, url_for
from flask_login import current_user, login_required

from . import due_list as due
from .models import Advisor
from .rendering import render

bp = Blueprint("board", __name__)
PLACEHOLDER_ID = 987654321  # stands for an advisor's id in a link routed once per request
ADVISOR_LINKS = {  # name: (endpoint, query)
    "detail": ("advisors.detail", {}),
    "spoke_today": ("advisors.spoke_today", {}),
    "log": ("advisors.log", {}),
    "log_from_due": ("advisors.log", {"from": "due"}),
    "snooze": ("advisors.snooze", {}),
    "unsnooze": ("advisors.unsnooze", {}),
}


@bp.app_template_global()
def advisor_links(advisor_id: int) -> SimpleNamespace:
    """An advisor's page and action URLs, exactly as url_for builds them.

    The router runs once per request for each link, with a placeholder id: the due list
    shows a dozen cards of four links each, and routing every one of them cost more
    than the rest of the page.
    """
    patterns = g.get("advisor_link_patterns")
    if patterns is None:
        patterns = g.advisor_link_patterns = {
            name: url_for(endpoint, advisor_id=PLACEHOLDER_ID, **query).split(str(PLACEHOLDER_ID))
            for name, (endpoint, query) in ADVISOR_LINKS.items()}
    # Attributes, not dict keys: Jinja tries an attribute first, and a failed try is slow.
    return SimpleNamespace(**{name: f"{prefix}{advisor_id}{suffix}"
                              for name, (prefix, suffix) in patterns.items()})


def render_due_list(status: int = 200):
    """The home page, or its `due_list` block for htmx (after logging or snoozing)."""
    today = current_user.today()
    advisors = Advisor.listed(current_user)
    content = due.build(advisors, today, current_user.due_soon_days)
    return render("board/due_list.html", block="due_list", status=status, today=today,
                  due=content, advisor_count=len(advisors))


@bp.get("/")
@login_required
def due_list():
    return render_due_list()


@bp.get("/board")
@login_required
def overview():
    today = current_user.today()
    content = due.board(Advisor.listed(current_user), today, current_user.due_soon_days)
    return render("board/overview.html", board=content, today=today)
