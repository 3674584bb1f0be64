"""The contacts logged with each advisor, and the queries that read them. They are
written through their advisor (Advisor.log_contact and the rest), which locks it; one
deleted stays in the trash for a while (models/trash.py), and no query here reads it."""
from datetime import date

from peewee import (
    BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField, fn,
)

from advisory.core.gratitude import Touch
from advisory.database import db, utcnow
from advisory.models.advisors import Advisor


class Contact(db.Model):
    advisor = ForeignKeyField(Advisor, backref="contacts", on_delete="CASCADE")
    happened_on = DateField()
    kind = CharField(max_length=20)
    notes = TextField(default="")
    thanked = BooleanField(default=False)
    idempotency_key = CharField(max_length=64, null=True)  # from the client; stored once
    cleared_snooze = DateField(null=True)  # the snooze this log cleared, restored by undo
    created_at = DateTimeField(default=utcnow)
    deleted_at = DateTimeField(null=True, index=True)  # in the trash since (models/trash.py)

    class Meta:
        table_name = "contacts"
        indexes = (
            (("advisor", "happened_on"), False),
            (("advisor", "idempotency_key"), True),
        )

    @classmethod
    def history(cls, advisor: Advisor):
        """An advisor's contacts as the history shows them, newest conversation first."""
        return (cls
                .select(cls.id, cls.happened_on, cls.kind, cls.notes, cls.thanked)
                .where(cls.advisor == advisor, cls.deleted_at.is_null())
                .order_by(cls.happened_on.desc(), cls.id.desc()))

    @classmethod
    def owned(cls, advisor: Advisor, contact_id: int, *, with_trash: bool = False):
        """One contact of this advisor (who is the caller's own), or None; one in the
        trash only `with_trash`."""
        if not 0 < contact_id < 2**63:
            return None
        query = cls.select().where(cls.id == contact_id, cls.advisor == advisor.id)
        if not with_trash:
            query = query.where(cls.deleted_at.is_null())
        return query.first()

    @classmethod
    def dates(cls, advisor: Advisor, kinds, latest: int) -> list[date]:
        """The `latest` most recent distinct dates of an advisor's contacts of these kinds,
        newest first: read backwards through the (advisor, happened_on) index, so the
        cost stays the same however long the history grows."""
        return list(cls
                    .select(cls.happened_on)
                    .distinct()
                    .where(cls.advisor == advisor, cls.kind.in_(kinds), cls.deleted_at.is_null())
                    .order_by(cls.happened_on.desc())
                    .limit(latest)
                    .scalars())

    @classmethod
    def touches(cls, advisor: Advisor) -> list[Touch]:
        """An advisor's whole log as gratitude counts it (dates, kinds, thanks only)."""
        return [Touch(*row) for row in (cls
                .select(cls.happened_on, cls.kind, cls.thanked)
                .where(cls.advisor == advisor, cls.deleted_at.is_null())
                .tuples())]

    @classmethod
    def touches_since(cls, user, start: date) -> dict[int, list[Touch]]:
        """advisor id -> their contacts since `start`: one query for the whole board."""
        found: dict[int, list[Touch]] = {}
        rows = (cls
                .select(cls.advisor, cls.happened_on, cls.kind, cls.thanked)
                .join(Advisor)
                .where(Advisor.user == user, cls.happened_on >= start, cls.deleted_at.is_null())
                .tuples())
        for advisor_id, *touch in rows:
            found.setdefault(advisor_id, []).append(Touch(*touch))
        return found

    @classmethod
    def touches_of(cls, advisor_ids) -> dict[int, list[Touch]]:
        """advisor id -> their whole log as gratitude counts it: one query for a digest."""
        found: dict[int, list[Touch]] = {advisor_id: [] for advisor_id in advisor_ids}
        rows = (cls
                .select(cls.advisor, cls.happened_on, cls.kind, cls.thanked)
                .where(cls.advisor.in_(list(found)), cls.deleted_at.is_null())
                .tuples())
        for advisor_id, *touch in rows:
            found[advisor_id].append(Touch(*touch))
        return found

    @classmethod
    def last_thanked(cls, user) -> dict[int, date]:
        """advisor id -> the day they were last thanked: one grouped query for a board."""
        return dict(cls
                    .select(cls.advisor, fn.MAX(cls.happened_on))
                    .join(Advisor)
                    .where(Advisor.user == user, cls.thanked, cls.deleted_at.is_null())
                    .group_by(cls.advisor)
                    .tuples())
