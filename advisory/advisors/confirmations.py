"""The confirmations an action flashes with an Undo button ("Logged: ...", "... is
snoozed until ..."), used by the advisor pages and by every feature page that offers Undo
(history, promises, gives, introductions, yearly dates). Apart from views.py because
they are shared wording, not routes.
"""
from flask import flash, url_for

from advisory.core import wording
from advisory.core.vocabulary import KINDS
from advisory.models import Advisor, Contact


def flash_undo(advisor: Advisor, text: str, endpoint: str, *, link: dict | None = None,
               **fields) -> None:
    """A confirmation with an Undo button posting `fields` to `endpoint` (_flashes.html),
    and a `link` ({"text", "href"}) beside it when given."""
    flash({"text": text, "advisor": advisor.id, "link": link,
           "action": url_for(endpoint, advisor_id=advisor.id), "fields": fields}, "undo")


def flash_logged(advisor: Advisor, contact: Contact, today, offer_notes: bool = False) -> None:
    """"Logged: ..." with Undo; after a one-tap log, "Add notes" opens that contact."""
    day = contact.happened_on
    when = wording.ago(day, today)
    notes = offer_notes and {"text": "Add notes", "href": url_for(
        "history.edit", advisor_id=advisor.id, contact_id=contact.id)}
    flash_undo(advisor, f"Logged: {KINDS[contact.kind].label.lower()} with {advisor.name}, {when}.",
               "advisors.undo", link=notes or None, contact=contact.id)
