"""The calendar feed's secrets: the token in an account's feed URL, and the hashes kept of
the tokens of deleted accounts so that their URLs answer 410 Gone."""
from peewee import CharField, DateTimeField, ForeignKeyField

from advisory.database import db, new_token, utcnow
from advisory.models.accounts import User, digest


class FeedToken(db.Model):
    """The secret in a calendar-feed URL; a rotated token is kept to answer 410 Gone."""
    user = ForeignKeyField(User, backref="feed_tokens", on_delete="CASCADE")
    token = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    retired_at = DateTimeField(null=True)

    class Meta:
        table_name = "feed_tokens"

    @classmethod
    def current(cls, user: User) -> "FeedToken":
        return (cls
                .select()
                .where(cls.user == user, cls.retired_at.is_null())
                .get())

    @classmethod
    def rotate(cls, user: User) -> None:
        """Retire the account's feed link (it then answers 410 Gone) and make a new one."""
        with db.database.atomic():
            # An update by id, not save(): save() would write the token into the query log.
            (cls
             .update(retired_at=utcnow())
             .where(cls.user == user.id, cls.retired_at.is_null())
             .execute())
            cls.create(user=user.id, token=new_token())


class RetiredFeedToken(db.Model):
    """A feed token of a deleted account, kept (as a hash) so its URL answers 410 Gone.

    An account's own FeedToken rows go with it; this table outlives them and links to
    no account, so nothing of the person stays but the digest of a dead secret.
    """
    token_hash = CharField(max_length=64, unique=True)
    retired_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "retired_feed_tokens"

    @classmethod
    def retire_all(cls, user: User) -> None:
        """Keep a tombstone of every feed token the account ever had."""
        hashes = [{"token_hash": digest(t.token), "retired_at": utcnow()}
                  for t in FeedToken.select(FeedToken.token).where(FeedToken.user == user)]
        if hashes:
            cls.insert_many(hashes).on_conflict_ignore().execute()

    @classmethod
    def is_retired(cls, token: str) -> bool:
        return cls.select().where(cls.token_hash == digest(token)).exists()
