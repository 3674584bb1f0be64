"""Bulk data for the benchmark: one measured account made through the models, and
many more accounts of the same shape loaded with `insert_many` in big batches.

Every account has the same board: `advisors` members of mixed roles and stages, each
with `contacts` logged conversations reaching back years, of every kind.
"""
import random
import time
import uuid
from datetime import date, timedelta

from advisory.core import cadence
from advisory.core.vocabulary import ROLES
from advisory.database import new_token, utcnow
from advisory.models import Advisor, Contact, FeedToken, User

PASSWORD = "bench horse battery staple"
ROLE_KEYS = list(ROLES)
KINDS = list(cadence.KINDS)
# Mostly active, as on a real board; a prospect, a paused and an alumni member too.
STAGES = ["active"] * 9 + ["prospect", "paused", "alumni"]
BATCH_ROWS = 4000  # 4,000 rows x 6 columns stays under SQLite's 32,766 variables


def advisor_row(user_id: int, n: int, today: date, rng: random.Random) -> dict:
    """One board member of account `user_id`, the n-th of its board."""
    stage = STAGES[n % len(STAGES)]
    return {
        "user": user_id, "uid": f"{uuid.uuid4()}@advisory", "name": f"Advisor {n:02d}",
        "role": ROLE_KEYS[n % len(ROLE_KEYS)], "stage": stage,
        "paused_until": today + timedelta(days=30) if stage == "paused" else None,
        "cadence_count": rng.choice((2, 4, 6)), "cadence_unit": "weeks",
        "email": "", "phone": "", "organisation": "", "why": "Advice on the next step",
        "offer": "", "meeting_style": "coffee", "meeting_kind": "call", "horizon": "",
        "agenda": "Ask about the reorganisation" if n % 3 == 0 else "", "notes": "",
        "last_spoke_on": None, "snoozed_until": None,
        "added_on": today - timedelta(days=4000), "sequence": 1, "changed_at": utcnow(),
    }


def contact_rows(advisor_id: int, count: int, today: date, rng: random.Random):
    """`count` contacts of one advisor, one every few days back from a few weeks ago."""
    day = today - timedelta(days=rng.randrange(1, 60))
    stamp = utcnow()
    for _ in range(count):
        yield (advisor_id, day, rng.choice(KINDS), "", False, stamp)
        day -= timedelta(days=rng.randrange(3, 12))


CONTACT_FIELDS = [Contact.advisor, Contact.happened_on, Contact.kind, Contact.notes,
                  Contact.thanked, Contact.created_at]


def insert_contacts(advisor_ids, per_advisor: int, today: date, rng: random.Random) -> int:
    """Insert `per_advisor` contacts for each advisor, in batches; return how many."""
    batch, total = [], 0
    for advisor_id in advisor_ids:
        batch.extend(contact_rows(advisor_id, per_advisor, today, rng))
        if len(batch) >= BATCH_ROWS:
            Contact.insert_many(batch, fields=CONTACT_FIELDS).execute()
            total, batch = total + len(batch), []
    if batch:
        Contact.insert_many(batch, fields=CONTACT_FIELDS).execute()
        total += len(batch)
    return total


def measured_account(database, advisors: int, contacts: int) -> tuple[User, list[int]]:
    """The account the benchmark signs in as, made as the app makes it; its advisor ids."""
    rng = random.Random(1)
    user = User.create_account("bench@example.com", PASSWORD, "Europe/Berlin")
    today = user.today()
    with database.atomic():
        rows = [advisor_row(user.id, n, today, rng) for n in range(advisors)]
        Advisor.insert_many(rows).execute()
        ids = [a.id for a in Advisor.select(Advisor.id).where(Advisor.user == user)
               .order_by(Advisor.id)]
        insert_contacts(ids, contacts, today, rng)
        Advisor.recount(Advisor.user == user.id)  # as the app's writes keep them
    return user, ids


def other_accounts(database, accounts: int, advisors: int, contacts: int,
                   password_hash: str) -> float:
    """Load `accounts` more accounts like the measured one in one transaction; seconds taken."""
    rng = random.Random(2)
    started = time.perf_counter()
    today = date.today()
    with database.atomic():
        first = (User.select(User.id).order_by(User.id.desc()).first()).id + 1
        users = [{"email": f"user{n}@example.com", "password_hash": password_hash,
                  "timezone": "UTC", "created_at": utcnow(), "feed_changed_at": utcnow()}
                 for n in range(accounts)]
        for chunk in _chunks(users, 1000):
            User.insert_many(chunk).execute()
        user_ids = [u.id for u in User.select(User.id).where(User.id >= first)]
        FeedToken.insert_many([{"user": uid, "token": new_token(), "created_at": utcnow()}
                               for uid in user_ids]).execute() if user_ids else None
        rows = [advisor_row(uid, n, today, rng) for uid in user_ids for n in range(advisors)]
        for chunk in _chunks(rows, 1000):
            Advisor.insert_many(chunk).execute()
        advisor_ids = [a.id for a in Advisor.select(Advisor.id)
                       .where(Advisor.user >= first).order_by(Advisor.id)]
        insert_contacts(advisor_ids, contacts, today, rng)
        Advisor.recount(Advisor.user >= first)
    return time.perf_counter() - started


def _chunks(rows: list, size: int):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def fast_loading(database) -> None:
    """Loading speed over safety, on the benchmark's own scratch database only."""
    if database.__class__.__name__.startswith("Sqlite"):
        for pragma in ("synchronous = OFF", "cache_size = -200000", "temp_store = MEMORY"):
            database.execute_sql(f"PRAGMA {pragma}")
    else:
        database.execute_sql("SET synchronous_commit = off")


def analyse(database) -> None:
    """On PostgreSQL, the planner statistics autovacuum would soon gather after such a load.

    SQLite gathers none unless asked, and the app never asks, so it is left as it is.
    """
    if not database.__class__.__name__.startswith("Sqlite"):
        database.execute_sql("ANALYZE")
