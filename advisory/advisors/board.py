"""The due list (home page) and the board overview."""
from collections.abc import Callable
from types import SimpleNamespace

from flask import Blueprint, g, url_for
from flask_login import current_user, login_required

from advisory.core import due_list as due
from advisory.models import Advisor
from advisory.rendering import render

bp = Blueprint("board", __name__)
ADVISOR_LINKS = {  # name: (endpoint, query)
    "detail": ("advisors.detail", {}),
    "spoke_today": ("advisors.spoke_today", {}),
    "log": ("advisors.log", {}),
    "log_from_due": ("advisors.log", {"from": "due"}),
    "snooze": ("advisors.snooze", {}),
    "unsnooze": ("advisors.unsnooze", {}),
}
PLACEHOLDER_ID = 987654321  # stands for an id in a link routed once for many ids


@bp.app_template_global()
def routed_once(endpoint: str, name: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, **values)` for any id as `name`, exactly as url_for builds it,
    with the router run once: a page that shows a dozen cards or twenty contacts would
    otherwise route each of their links, which cost more than the rest of the page."""
    url = url_for(endpoint, **{name: PLACEHOLDER_ID}, **values)
    prefix, suffix = url.split(str(PLACEHOLDER_ID))
    return lambda id_: f"{prefix}{id_}{suffix}"


@bp.app_template_global()
def advisor_links(advisor_id: int) -> SimpleNamespace:
    """An advisor's page and action URLs (routed once per request, see routed_once)."""
    links = g.get("advisor_links")
    if links is None:
        links = g.advisor_links = {name: routed_once(endpoint, "advisor_id", **query)
                                   for name, (endpoint, query) in ADVISOR_LINKS.items()}
    # Attributes, not dict keys: Jinja tries an attribute first, and a failed try is slow.
    return SimpleNamespace(**{name: link(advisor_id) for name, link in links.items()})


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
