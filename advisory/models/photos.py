"""A person's photo: the two sizes core/photos.py makes, kept in the database so that
every app server serves it, and its version on the advisor's row (Advisor.photo_hash),
written in the same transaction under the advisor's lock, so a page shows faces from the
rows it loads anyway. The original is never stored."""
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField

from advisory.core import photos
from advisory.database import db, utcnow, write_transaction
from advisory.models.accounts import User
from advisory.models.advisors import Advisor


class Photo(db.Model):
    person = ForeignKeyField(Advisor, backref="photos", unique=True, on_delete="CASCADE")
    user = ForeignKeyField(User, backref="photos", on_delete="CASCADE", index=True)
    small = BlobField()  # core.photos.SIZES["small"] pixels square
    large = BlobField()
    content_type = CharField(max_length=40)
    digest = CharField(max_length=64)  # core.photos.Renditions.digest: ETag and ?v=
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "photos"

    @classmethod
    def shown(cls, user: User, advisor_id: int, size: str) -> "Photo | None":
        """One size of the photo of this account's advisor (in the trash or not: their
        page there still shows it), with its version and type, or None."""
        if size not in photos.SIZES or not 0 < advisor_id < 2**63:
            return None
        column = cls.small if size == "small" else cls.large
        return (cls.select(column.alias("data"), cls.digest, cls.content_type)
                .where(cls.person == advisor_id, cls.user == user.id).first())

    @classmethod
    def large_by_person(cls, user: User) -> dict[int, bytes]:
        """advisor id -> their large photo, for this account's export."""
        return dict(cls.select(cls.person, cls.large).where(cls.user == user.id).tuples())

    @classmethod
    def put(cls, advisor: Advisor, made: photos.Renditions) -> None:
        """Make `made` the advisor's photo, in place of any earlier one. Raises
        Advisor.DoesNotExist once the advisor is deleted (the caller answers 404)."""
        with write_transaction():
            current = advisor._locked()
            cls.delete().where(cls.person == current.id).execute()
            cls.create(person=current.id, user=current.user_id, small=made.small,
                       large=made.large, content_type=photos.CONTENT_TYPE,
                       digest=made.digest)
            (Advisor.update(photo_hash=made.digest)
             .where(Advisor.id == current.id).execute())

    @classmethod
    def remove(cls, advisor: Advisor) -> None:
        """The advisor has no photo any more; initials show instead."""
        with write_transaction():
            current = advisor._locked()
            cls.delete().where(cls.person == current.id).execute()
            Advisor.update(photo_hash=None).where(Advisor.id == current.id).execute()
