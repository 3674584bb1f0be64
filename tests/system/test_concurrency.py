"""Several devices at once, over real HTTP: no acknowledged change is lost, no 5xx.

Each device runs a bounded loop in its own thread against a threaded live server (and a
second app process on the same database); all start together at a barrier. Verdicts
read the stored state once every thread is done, never the timing.
"""
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest

from advisory.database import db, utcnow
from advisory.core import photos
from advisory.models import Advisor, BoardReview, Contact, Photo, User
from advisory.models.trash import TRASH_DAYS
from support import PASSWORD, add_advisor
from support.live import Device, LiveServer, ProcessServer
from support.photos import image_bytes

EDIT = {"name": "Dana Reyes", "role": "insight", "stage": "active", "cadence": "1m",
        "meeting_kind": "call"}


@pytest.fixture
def server(make_app):
    live = LiveServer(make_app())
    yield live
    live.stop()


@pytest.fixture
def user(server):
    return User.create_account("ada@example.com", PASSWORD, "UTC")


def add(user: User, name: str = "Dana Reyes") -> Advisor:
    return add_advisor(user, name, last_spoke_on=user.today() - timedelta(days=40))


def devices(url: str, count: int) -> list[Device]:
    return [Device(url, "ada@example.com", PASSWORD) for _ in range(count)]


def together(*jobs) -> None:
    """Run each job in its own thread, all released at once; re-raise the first failure."""
    start, failures = threading.Barrier(len(jobs)), []

    def run(job):
        try:
            start.wait(30)
            job()
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            db.database.close()  # this thread's own connection, if it read the database

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a device never finished"
    if failures:
        raise failures[0]


def key(prefix: str, number: int) -> str:
    return f"{prefix}-{number:04d}-{uuid.uuid4().hex[:12]}"


class Editor:
    """Edits the agenda and notes again and again; nobody else writes them, so the stored
    agenda must always be the last one acknowledged (a revert is a lost edit)."""

    def __init__(self, device: Device, advisor_id: int, rounds: int):
        self.device, self.advisor_id, self.rounds = device, advisor_id, rounds
        self.acked, self.reverted, self.statuses = None, 0, Counter()

    def stored(self) -> str:
        return Advisor.get_by_id(self.advisor_id).agenda

    def __call__(self):
        for number in range(self.rounds):
            if self.acked is not None and self.stored() != self.acked:
                self.reverted += 1
            agenda = f"Agenda {number}"
            response = self.device.post(f"/advisors/{self.advisor_id}/edit",
                                        {**EDIT, "agenda": agenda, "notes": f"Notes {number}"})
            self.statuses[response.status_code] += 1
            if response.status_code == 303:
                self.acked = agenda
        if self.stored() != self.acked:
            self.reverted += 1


def test_edits_logs_and_undo_on_one_advisor_lose_nothing(server, user):
    dana = add(user)
    before = Advisor.get_by_id(dana.id).sequence
    editor_device, form_device, sync_device, undo_device = devices(server.url, 4)
    editor = Editor(editor_device, dana.id, rounds=10)
    acked, removed, statuses = set(), [], Counter()
    today = user.today()

    def log_forms():
        for number in range(10):
            sent = key("form", number)
            if number % 3 == 2:  # the one-tap button
                response = form_device.post(f"/advisors/{dana.id}/spoke-today", {"key": sent})
            else:
                response = form_device.post(f"/advisors/{dana.id}/log", {
                    "key": sent, "kind": ("call", "message")[number % 2], "notes": "",
                    "happened_on": str(today - timedelta(days=number % 5))})
            statuses[response.status_code] += 1
            if response.status_code == 303:
                acked.add(sent)

    def sync():
        for number in range(8):
            sent = key("sync", number)
            response = sync_device.sync({"advisor": dana.id, "key": sent, "kind": "video",
                                         "happened_on": str(today - timedelta(days=number))})
            statuses[response.status_code] += 1
            if response.status_code == 200:
                acked.add(sent)

    def undo():
        for _ in range(4):
            response = undo_device.post(f"/advisors/{dana.id}/undo")
            statuses[response.status_code] += 1
            if response.status_code == 303:
                removed.append("Removed the last contact" in undo_device.flash(response))

    together(editor, log_forms, sync, undo)

    assert set(statuses + editor.statuses) <= {200, 303}, statuses  # no 5xx, no refusal
    assert editor.reverted == 0 and editor.stored() == "Agenda 9"
    contacts = list(Contact.select().where(Contact.advisor == dana.id))
    stored_keys = {c.idempotency_key for c in contacts}
    assert len(acked) == 18 and stored_keys <= acked
    assert len(contacts) == len(acked) - sum(removed)  # each undo took exactly one away
    saved = Advisor.get_by_id(dana.id)
    conversations = [c.happened_on for c in contacts if c.kind != "message"]
    messages = [c.happened_on for c in contacts if c.kind == "message"]
    assert saved.last_conversation_on == max(conversations, default=None)
    assert saved.last_message_on == max(messages, default=None)
    assert saved.contact_count == len(contacts)
    writes = editor.statuses[303] + len(acked) + sum(removed)
    assert saved.sequence >= before + writes  # every write moved the feed's SEQUENCE on


def test_replays_from_several_devices_store_once(server, user):
    dana = add(user)
    outbox = [key("replay", number) for number in range(10)]
    statuses = Counter()
    today = str(user.today())

    def replay(device, send):
        def run():  # every device sends the whole outbox, as retries after lost answers do
            for sent in outbox:
                statuses[send(device, sent).status_code] += 1
        return run

    first, second, tap, form = devices(server.url, 4)
    together(
        replay(first, lambda d, k: d.sync({"advisor": dana.id, "key": k, "kind": "call",
                                           "happened_on": today})),
        replay(second, lambda d, k: d.sync({"advisor": dana.id, "key": k,
                                            "at": int(time.time() * 1000)})),
        replay(tap, lambda d, k: d.post(f"/advisors/{dana.id}/spoke-today", {"key": k})),
        replay(form, lambda d, k: d.post(f"/advisors/{dana.id}/log", {
            "key": k, "kind": "call", "notes": "", "happened_on": today})),
    )

    assert set(statuses) <= {200, 303}, statuses
    assert sorted(c.idempotency_key for c in Contact.select()) == sorted(outbox)


def test_snoozes_and_edits_on_one_advisor_lose_nothing(server, user):
    dana = add(user)
    editor_device, snooze_device = devices(server.url, 2)
    editor = Editor(editor_device, dana.id, rounds=15)
    snoozes = {"acked": None, "reverted": 0}
    statuses = Counter()
    today = user.today()

    def snooze():
        for number in range(15):
            stored = Advisor.get_by_id(dana.id).snoozed_until
            if snoozes["acked"] is not None and stored != snoozes["acked"]:
                snoozes["reverted"] += 1
            response = snooze_device.post(f"/advisors/{dana.id}/snooze", {"days": number + 1})
            statuses[response.status_code] += 1
            if response.status_code == 303:  # counted from the due date, the last snooze
                snoozes["acked"] = (snoozes["acked"] or today) + timedelta(days=number + 1)

    together(editor, snooze)

    assert set(statuses + editor.statuses) == {303}
    saved = Advisor.get_by_id(dana.id)
    assert (editor.reverted, snoozes["reverted"]) == (0, 0)
    assert (saved.agenda, saved.notes, saved.snoozed_until) == (
        "Agenda 14", "Notes 14", today + timedelta(days=sum(range(1, 16))))


def test_logging_while_the_advisor_is_deleted_answers_404_never_500(server, user):
    doomed = [add(user, f"Doomed {number}") for number in range(4)]
    form_device, tap_device, sync_device, delete_device = devices(server.url, 4)
    answers = Counter()
    today = str(user.today())

    def logs(send):
        def run():
            for advisor in doomed:
                for attempt in range(3):
                    answers[send(advisor, key("race", attempt))] += 1
        return run

    def delete():
        for advisor in doomed:
            answers[delete_device.post(f"/advisors/{advisor.id}/delete").status_code] += 1

    together(
        logs(lambda a, k: form_device.post(f"/advisors/{a.id}/log", {
            "key": k, "kind": "call", "notes": "", "happened_on": today}).status_code),
        logs(lambda a, k: tap_device.post(f"/advisors/{a.id}/spoke-today",
                                          {"key": k}).status_code),
        logs(lambda a, k: sync_device.sync({"advisor": a.id, "key": k,
                                            "at": int(time.time() * 1000)}).status_code),
        delete,
    )

    assert set(answers) <= {200, 303, 404}, answers
    assert Advisor.for_user(user) == []  # in the trash, each with what was logged first
    Advisor.update(deleted_at=utcnow() - timedelta(days=TRASH_DAYS, minutes=1)).execute()
    assert Advisor.purge()[0] == len(doomed)
    assert Advisor.select().count() == 0 and Contact.select().count() == 0


def test_two_app_servers_on_one_database_store_replays_once_and_lose_no_edit(server, user):
    other_server = ProcessServer(server.app)
    try:
        dana = add(user)
        here, there = devices(server.url, 1)[0], devices(other_server.url, 1)[0]
        editor = Editor(devices(server.url, 1)[0], dana.id, rounds=10)
        logger = devices(other_server.url, 1)[0]
        outbox = [key("both", number) for number in range(10)]
        statuses, acked = Counter(), set()
        tapped = int(time.time() * 1000)

        def replay(device):
            def send():
                for sent in outbox:
                    response = device.sync({"advisor": dana.id, "key": sent, "at": tapped})
                    statuses[response.status_code] += 1
                    if response.status_code == 200:
                        acked.add(sent)
            return send

        def log_and_snooze():
            for number in range(10):
                sent = key("there", number)
                response = logger.post(f"/advisors/{dana.id}/spoke-today", {"key": sent})
                statuses[response.status_code] += 1
                if response.status_code == 303:
                    acked.add(sent)
                statuses[logger.post(f"/advisors/{dana.id}/snooze",
                                     {"days": 3}).status_code] += 1

        together(replay(here), replay(there), editor, log_and_snooze)
    finally:
        other_server.stop()

    assert set(statuses) <= {200, 303} and set(editor.statuses) == {303}, statuses
    assert editor.reverted == 0 and editor.stored() == "Agenda 9"
    stored_keys = [c.idempotency_key for c in Contact.select()]
    assert sorted(stored_keys) == sorted(acked) and len(acked) == 20


def test_undoing_deletes_while_another_device_edits_and_logs_loses_nothing(server, user):
    """Contacts deleted and brought back, and the advisor too, on one device; edits and
    logs on two others meanwhile. An edit or log that lands while the advisor is in the
    trash answers 404 (nothing acknowledged is lost); the rest all stay."""
    dana = add(user)
    first = dana.log_contact(happened_on=user.today() - timedelta(days=30), kind="call")
    before = Advisor.get_by_id(dana.id).sequence
    undo_device, editor_device, form_device = devices(server.url, 3)
    editor = Editor(editor_device, dana.id, rounds=12)
    acked, statuses, undos = set(), Counter(), Counter()

    def delete_and_undo():
        contact = ([f"/advisors/{dana.id}/contacts/{first.id}/delete",
                    f"/advisors/{dana.id}/contacts/restore"], {"contact": first.id})
        advisor = ([f"/advisors/{dana.id}/delete", f"/advisors/{dana.id}/restore"], {})
        for paths, data in [contact, advisor] * 3:
            for path in paths:
                response = undo_device.post(path, data)
                undos[response.status_code] += 1
                undo_device.flash(response)  # read, as the page shows it

    def log_forms():
        for number in range(12):
            sent = key("form", number)
            response = form_device.post(f"/advisors/{dana.id}/log", {
                "key": sent, "kind": ("call", "message")[number % 2], "notes": "",
                "happened_on": str(user.today() - timedelta(days=number % 4))})
            statuses[response.status_code] += 1
            if response.status_code == 303:
                acked.add(sent)

    together(delete_and_undo, editor, log_forms)

    assert set(undos) == {303}, undos  # every delete and every Undo went through
    assert set(statuses + editor.statuses) <= {303, 404}, statuses + editor.statuses
    assert editor.reverted == 0 and editor.acked and editor.stored() == editor.acked
    saved = Advisor.get_by_id(dana.id)
    assert saved.deleted_at is None  # the last Undo brought them back
    contacts = list(Contact.select().where(Contact.advisor == dana.id,
                                           Contact.deleted_at.is_null()))
    assert {c.idempotency_key for c in contacts} == acked | {None}  # `first` is back too
    assert first.id in {c.id for c in contacts}
    conversations = [c.happened_on for c in contacts if c.kind != "message"]
    messages = [c.happened_on for c in contacts if c.kind == "message"]
    assert (saved.last_conversation_on, saved.last_message_on, saved.contact_count) == (
        max(conversations), max(messages, default=None), len(contacts))
    writes = editor.statuses[303] + len(acked) + undos[303]
    assert saved.sequence >= before + writes  # every write moved the feed's SEQUENCE on


def test_a_purge_and_undos_at_once_keep_each_advisor_whole_or_gone(server, user, monkeypatch):
    """Undo on someone deleted 30 days ago while the purge runs: each comes back with
    every contact, or is gone with every contact; never back without their history."""
    monkeypatch.setattr("advisory.models.trash.PURGE_BATCH", 1)  # a statement per advisor
    doomed = [add(user, f"Doomed {number}") for number in range(12)]
    for advisor in doomed:
        for days in (5, 9):
            advisor.log_contact(happened_on=user.today() - timedelta(days=days), kind="call")
        advisor.delete_with_history()
    Advisor.update(deleted_at=utcnow() - timedelta(days=TRASH_DAYS, minutes=1)).execute()
    device = devices(server.url, 1)[0]
    answers = {}

    def undo():
        for advisor in reversed(doomed):  # from the other end of the purge's order
            answers[advisor.id] = device.post(f"/advisors/{advisor.id}/restore").status_code

    together(undo, Advisor.purge)

    for advisor in doomed:
        row = Advisor.get_or_none(Advisor.id == advisor.id)
        left = Contact.select().where(Contact.advisor == advisor.id).count()
        if answers[advisor.id] == 303:
            assert row.deleted_at is None and row.contact_count == left == 2
        else:
            assert answers[advisor.id] == 404 and row is None and left == 0
    assert Advisor.purge() == (0, 0)


def test_a_board_review_and_logs_on_the_same_members_lose_nothing(server, user):
    """A review changing Dana's cadence and pausing Omar, saved again and again while two
    other devices log conversations with both: every review, cadence, pause and
    conversation acknowledged is stored (advisors/reviews.py, models/reviews.py)."""
    dana, omar = add(user), add(user, "Omar Haddad")
    review_device, dana_device, omar_device = devices(server.url, 3)
    acked, reviews, statuses = set(), [], Counter()
    today = str(user.today())

    def review():
        for number in range(6):
            chosen = ("6w", "2w")[number % 2]
            response = review_device.post("/board/review", {
                f"decision-{dana.id}": f"cadence:{chosen}", f"decision-{omar.id}": "pause",
                "reflection": f"Review {number}"})
            statuses[response.status_code] += 1
            if response.status_code == 303:
                reviews.append(chosen)

    def log(device, advisor):
        def run():
            for number in range(8):
                sent = key(f"log-{advisor.id}", number)
                response = device.post(f"/advisors/{advisor.id}/log", {
                    "key": sent, "kind": "call", "notes": "", "happened_on": today})
                statuses[response.status_code] += 1
                if response.status_code == 303:
                    acked.add(sent)
        return run

    together(review, log(dana_device, dana), log(omar_device, omar))

    assert set(statuses) == {303}, statuses
    assert BoardReview.select().count() == len(reviews) == 6
    saved_dana, saved_omar = Advisor.get_by_id(dana.id), Advisor.get_by_id(omar.id)
    assert saved_dana.cadence.code() == reviews[-1]
    assert saved_omar.stage == "paused"
    assert {c.idempotency_key for c in Contact.select()} == acked and len(acked) == 16
    assert (saved_dana.contact_count, saved_omar.contact_count) == (8, 8)


def test_photos_replaced_and_removed_at_once_leave_one_matching_its_version(server, user):
    """Four devices change one person's photo at once (three upload, one removes): in the
    end there is one photo or none, and the version pages show is that photo's."""
    dana = add(user)
    made = [photos.renditions(image_bytes("PNG", color=color))
            for color in ("red", "green", "blue")]

    def upload(renditions):
        return lambda: [Photo.put(dana, renditions) for _ in range(5)]

    together(*map(upload, made), lambda: [Photo.remove(dana) for _ in range(5)])
    rows = list(Photo.select())
    assert len(rows) <= 1
    assert Advisor.get_by_id(dana.id).photo_hash == (rows[0].digest if rows else None)
    assert not rows or rows[0].digest in {m.digest for m in made}
