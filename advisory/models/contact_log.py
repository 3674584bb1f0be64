"""Contacts logged, undone and corrected, and the stored latest contacts and count
that every such write keeps right (recount), so no page aggregates over contacts.

These are Advisor's methods (a mixin, as models/trash.py is), apart from models/advisors.py
so that it holds the table, its queries and its other writes; each write takes the
advisor's row lock (_locked) and moves the feed's stamp (_write) as those do.
"""
from datetime import date
from typing import TYPE_CHECKING

from peewee import Case, fn

from advisory.core.vocabulary import conversation_kinds
from advisory.database import write_transaction

if TYPE_CHECKING:
    from advisory.models.contacts import Contact


def models():
    """Advisor, Contact and search: their modules import Advisor, which is built on this
    mixin, so they are looked up when a method runs rather than when this module loads."""
    from advisory.models import search
    from advisory.models.advisors import Advisor
    from advisory.models.contacts import Contact
    return Advisor, Contact, search


class ContactLog:
    """Logging, undoing and correcting an advisor's contacts."""

    @classmethod
    def recount(cls, which) -> None:
        """Set the stored latest conversation, latest message and count of contacts of
        the advisors matching `which` (an expression, e.g. `Advisor.id == 7`), from their
        contacts not in the trash.

        Call it inside the transaction that removed, changed or bulk-loaded contacts;
        each advisor's contacts are read through the index (advisor, happened_on).
        """
        _, Contact, _ = models()
        kept = (Contact.advisor == cls.id) & Contact.deleted_at.is_null()

        def latest(kinds):
            return Contact.select(fn.MAX(Contact.happened_on)).where(kept, Contact.kind.in_(kinds))

        (cls
         .update({cls.last_conversation_on: latest(conversation_kinds()),
                  cls.last_message_on: latest(conversation_kinds(False)),
                  cls.contact_count: Contact.select(fn.COUNT(Contact.id)).where(kept)})
         .where(which)
         .execute())

    def log_contact(self, *, happened_on: date, kind: str, notes: str = "",
                    thanked: bool = False, key: str | None = None) -> "Contact":
        """Store a contact (once per idempotency key), clear any snooze and raise the
        stored latest contact. Raises Advisor.DoesNotExist once the advisor is deleted."""
        Advisor, Contact, search = models()
        with write_transaction():
            current = self._locked()
            if key:  # under the lock: a replay sent at the same moment waits and finds it
                existing = Contact.get_or_none(Contact.advisor == current,
                                               Contact.idempotency_key == key)
                if existing:
                    return existing
            contact = Contact.create(advisor=current, happened_on=happened_on, kind=kind,
                                     notes=notes, thanked=thanked, idempotency_key=key,
                                     cleared_snooze=current.snoozed_until)
            if notes:  # nothing to find in a contact without notes
                search.refresh("contact", contact.id)
            latest = (Advisor.last_conversation_on if kind in conversation_kinds()
                      else Advisor.last_message_on)
            # A backdated log never moves the latest contact backwards.
            raised = Case(None, [(latest.is_null() | (latest < happened_on), happened_on)],
                          latest)
            current._write({Advisor.snoozed_until: None, latest: raised,
                            Advisor.contact_count: Advisor.contact_count + 1})
        return contact

    def undo_last_contact(self, contact_id: int | None = None) -> bool:
        """Remove the contact just logged (`contact_id`, as the confirmation names it;
        without one, the contact entered last) and restore the snooze it cleared, unless
        a snooze was set since (the newer one stays)."""
        Advisor, Contact, search = models()
        with write_transaction():
            current = self._locked()
            query = Contact.select().where(Contact.advisor == current,
                                           Contact.deleted_at.is_null())
            if contact_id is not None:
                query = query.where(Contact.id == contact_id)
            contact = query.order_by(Contact.id.desc()).first()
            if contact is None:
                return False
            restored = fn.COALESCE(Advisor.snoozed_until, contact.cleared_snooze)
            current._write({Advisor.snoozed_until: restored})
            contact.delete_instance()
            search.drop("contact", contact.id)
            Advisor.recount(Advisor.id == current.id)
        return True

    def edit_contact(self, contact_id: int, values: dict) -> bool:
        """Correct one logged contact (date, kind, notes, thanked); the due date follows.
        False when the contact is gone (deleted on another device)."""
        Advisor, Contact, search = models()
        with write_transaction():
            current = self._locked()
            current._write({})  # a new feed stamp: the due date may move either way
            changed = (Contact
                       .update(values)
                       .where(Contact.id == contact_id, Contact.advisor == current.id,
                              Contact.deleted_at.is_null())
                       .execute())
            Advisor.recount(Advisor.id == current.id)
            search.refresh("contact", contact_id)
        return changed == 1
