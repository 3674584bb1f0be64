"""The trash: deleting an advisor or one contact marks the row (`deleted_at`) instead of
removing it, so the confirmation's Undo, or the Recently deleted page, brings back exactly
what was there: the advisor's contacts, their stored latest contacts and count, and their
calendar event with its UID (and a higher SEQUENCE). After TRASH_DAYS, purge() deletes
it for good.

A row in the trash is nowhere else: every query of the board says `deleted_at IS NULL`
(Advisor.for_user, owned, _locked, recount; Contact.history, owned, dates; the export).

These are Advisor's methods (a mixin, so models/advisors.py stays one room); each write
takes the advisor's row lock and moves the feed's stamp as the writes there do.
"""
from datetime import datetime, timedelta

from advisory.database import locked, utcnow, write_transaction

TRASH_DAYS = 30
PURGE_BATCH = 500  # rows per DELETE: each statement stays short


def contact_model():
    """Contact: its module imports Advisor, which is built on this mixin, so it is looked
    up when a method runs rather than when this module loads."""
    from advisory.models.contacts import Contact
    return Contact


class Trash:
    """Deleting, bringing back and purging advisors and their contacts."""

    def delete_with_history(self) -> None:
        """Put the advisor in the trash, and their contacts with them; the calendar feed
        loses their event.

        A contact being logged at the same moment either lands first and goes with
        them, or finds them gone (Advisor.DoesNotExist)."""
        with write_transaction():
            current = self._locked()
            current._write({type(self).deleted_at: utcnow()})
            self.user.feed_changed()

    @classmethod
    def restore(cls, user, advisor_id: int):
        """Bring one of this account's advisors back from the trash, as they were, and
        return them; also one already back (an Undo tapped twice). None when the account
        has no such advisor: another account's, or purged."""
        if not 0 < advisor_id < 2**63:
            return None
        with write_transaction():
            found = cls._holding(user, locked(cls
                                              .select()
                                              .where(cls.user == user, cls.id == advisor_id)))
            if not found:
                return None
            advisor = found[0]
            if advisor.deleted_at is not None:
                # Stamped from the row as it lies in the trash: one past the SEQUENCE the
                # feed would show today, so calendars take the event back as a newer one.
                # Their contacts and the latest and count stored from them never changed.
                advisor._write({cls.deleted_at: None})
        return advisor

    def delete_contact(self, contact_id: int) -> bool:
        """Put one contact in the trash; the due date follows without it. The snooze it
        may have cleared long ago stays cleared (unlike undo, right after logging)."""
        return self._mark_contact(contact_id, utcnow())

    def restore_contact(self, contact_id: int) -> bool:
        """Bring one contact back from the trash; the due date follows it again. False
        when it is not in this advisor's trash (brought back already, or purged)."""
        return self._mark_contact(contact_id, None)

    def _mark_contact(self, contact_id: int, deleted_at: datetime | None) -> bool:
        Contact = contact_model()
        with write_transaction():
            current = self._locked()
            changed = (Contact
                       .update({Contact.deleted_at: deleted_at})
                       .where(Contact.id == contact_id, Contact.advisor == current.id,
                              Contact.deleted_at.is_null(deleted_at is not None))
                       .execute())
            if changed:
                current._write({})  # stamped from the row before the change
                type(self).recount(type(self).id == current.id)
                from advisory.models import search  # imports Advisor, built on this mixin
                search.refresh("contact", contact_id)
        return changed == 1

    @classmethod
    def trashed(cls, user) -> list:
        """This account's advisors in the trash, the latest deleted first."""
        return cls._holding(user, cls
                            .select(cls.id, cls.uid, cls.name, cls.role, cls.relation,
                                    cls.contact_count, cls.deleted_at)
                            .where(cls.user == user, cls.deleted_at.is_null(False))
                            .order_by(cls.deleted_at.desc(), cls.id.desc()))

    @classmethod
    def trashed_contacts(cls, user) -> list:
        """This account's contacts in the trash on their own, each with its advisor's id
        and name, the latest deleted first (an advisor's trashed with them come back with
        them)."""
        Contact = contact_model()
        return list(Contact
                    .select(Contact.id, Contact.happened_on, Contact.kind, Contact.deleted_at,
                            cls.id, cls.name)
                    .join(cls)
                    .where(cls.user == user, cls.deleted_at.is_null(),
                           Contact.deleted_at.is_null(False))
                    .order_by(Contact.deleted_at.desc(), Contact.id.desc()))

    @classmethod
    def purge(cls, now: datetime | None = None) -> tuple[int, int]:
        """Delete for good what went in the trash more than TRASH_DAYS before `now`:
        returns (advisors, contacts) deleted. An advisor's contacts go with them (ON
        DELETE CASCADE).

        Safe on several servers at once, and against a restore at the same moment: a
        DELETE waits for a restore that holds the row and then, on PostgreSQL, checks
        `deleted_at` again on the row as restored (so it is kept); SQLite runs one write
        at a time. A restore that comes second finds nothing (a 404)."""
        cutoff = (now or utcnow()) - timedelta(days=TRASH_DAYS)
        return tuple(purge_table(model, cutoff) for model in (cls, contact_model()))


def purge_table(model, cutoff: datetime) -> int:
    """Delete `model`'s rows in the trash since before `cutoff`, a batch at a time, until
    none is left."""
    old = model.deleted_at < cutoff
    purged = 0
    while True:
        batch = list(model.select(model.id).where(old).limit(PURGE_BATCH).scalars())
        if not batch:
            return purged
        # `old` again, checked on each row as it is deleted: one brought back since the
        # batch was read stays.
        purged += model.delete().where(old & model.id.in_(batch)).execute()
