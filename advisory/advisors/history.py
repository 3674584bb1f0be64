"""Correcting the history: editing or deleting one logged contact (and bringing it back)."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from advisory.advisors.forms import ContactForm, UndoForm
from advisory.advisors.confirmations import flash_undo
from advisory.advisors.views import owned_or_404
from advisory.models import Advisor, Contact
from advisory.models.trash import TRASH_DAYS
from advisory.rendering import render

bp = Blueprint("history", __name__, url_prefix="/advisors/<int:advisor_id>/contacts")


@bp.before_request
@login_required
def require_login():
    """Every history page needs a signed-in account."""


def owned_contacts_or_404(advisor_id: int, contact_id: int) -> tuple[Advisor, Contact]:
    """The account's advisor and one of their contacts; 404 for anyone else's."""
    advisor = owned_or_404(advisor_id)
    contact = Contact.owned(advisor, contact_id)
    if contact is None:
        abort(404)
    return advisor, contact


def to_history(advisor: Advisor):
    return redirect(url_for("advisors.detail", advisor_id=advisor.id,
                            _anchor="contact-history"), 303)


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(advisor_id: int, contact_id: int):
    """Correct a contact's date, kind, notes or "thanked"; the due date follows."""
    advisor, contact = owned_contacts_or_404(advisor_id, contact_id)
    form = ContactForm(obj=contact, today=current_user.today())
    if form.validate_on_submit():
        values = {Contact.happened_on: form.happened_on.data, Contact.kind: form.kind.data,
                  Contact.notes: (form.notes.data or "").strip(), Contact.thanked: form.thanked.data}
        if not advisor.edit_contact(contact.id, values):
            abort(404)  # deleted on another device meanwhile
        flash(f"Saved the contact of {form.happened_on.data:%-d %b %Y}.")
        return to_history(advisor)
    return render("history/contact.html", form=form, advisor=advisor, contact=contact,
                  trash_days=TRASH_DAYS, status=422 if form.errors else 200)


@bp.post("/<int:contact_id>/delete")
def delete(advisor_id: int, contact_id: int):
    """Put one contact in the trash; the due date follows. The confirmation's Undo brings
    it back."""
    advisor, contact = owned_contacts_or_404(advisor_id, contact_id)
    if advisor.delete_contact(contact.id):
        flash_undo(advisor, f"Deleted the contact of {contact.happened_on:%-d %b %Y}.",
                   "history.restore", contact=contact.id)
    return to_history(advisor)


@bp.post("/restore")
def restore(advisor_id: int):
    """Bring a contact back from the trash (Undo, or Recently deleted); the due date
    follows it again."""
    advisor = owned_or_404(advisor_id)
    form = UndoForm()
    if not form.validate() or form.contact.data is None:
        abort(400)
    contact = Contact.owned(advisor, form.contact.data, with_trash=True)
    if contact is None:
        abort(404)
    if advisor.restore_contact(contact.id):
        flash(f"The contact of {contact.happened_on:%-d %b %Y} is back in the history.")
    else:
        flash(f"The contact of {contact.happened_on:%-d %b %Y} is already in the history.")
    return to_history(advisor)
