"""/search: the results page, and the same results as an htmx partial while typing."""
from flask import Blueprint, request
from flask_login import current_user, login_required

from advisory.core import search
from advisory.core.vocabulary import SEARCH_KINDS, SEARCH_LENGTH
from advisory.models import SearchEntry
from advisory.models.search import LIMIT
from advisory.rendering import render

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def page():
    """Whatever `q` holds (quotes, operators, NUL, a novel) finds results or none: only
    its words count (core/search.py), the first SEARCH_LENGTH characters of it."""
    query = request.args.get("q", "").replace("\0", " ")[:SEARCH_LENGTH]
    hits = SearchEntry.find(current_user, query)
    people = [hit for hit in hits[:LIMIT] if hit.kind == "person"]
    said = [hit for hit in hits[:LIMIT] if hit.kind != "person"]
    return render("search/page.html", block="results", query=query,
                  words=search.terms(query), people=people, said=said,
                  more=len(hits) > LIMIT, mark=search.mark, SEARCH_KINDS=SEARCH_KINDS)


@bp.record_once
def template_names(state) -> None:
    """The search box's length, for base.html and the pages that show the box."""
    state.app.jinja_env.globals["SEARCH_LENGTH"] = SEARCH_LENGTH
