"""Retired feed tokens: the feed URL of a deleted account answers 410 Gone, not 404.

The model is frozen here as it was at this migration.
"""
import peewee as pw


def _models(database):
    class RetiredFeedToken(pw.Model):
        token_hash = pw.CharField(max_length=64, unique=True)
        retired_at = pw.DateTimeField()

        class Meta:
            table_name = "retired_feed_tokens"

    return [RetiredFeedToken]


def up(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.create_tables(models)


def down(migrator, database):
    models = _models(database)
    with database.bind_ctx(models):
        database.drop_tables(models)
