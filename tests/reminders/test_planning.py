"""Planning at scale: a pass reads only the accounts whose stored reminder moment has come,
moves each on to its next reminder time, and claims in bounded batches, so no query grows
with the installation and several dispatchers share a wave, each reminder sent once."""
import threading
import time
from datetime import date, datetime, timedelta

from advisory.database import db
from advisory.models import Advisor, Delivery, User
from advisory.models.accounts import REMIND_AT_NEXT_PASS
from advisory.reminders import dispatcher
from support import count_queries, make_user, statements
from support.reminders import dispatch, mail_app, receiver, smtp, utc  # noqa: F401

NOW = utc(2026, 11, 24, 7, 5)  # 08:05 in Paris
TODAY = date(2026, 11, 24)


def accounts(count: int, name: str = "person", **settings) -> list[User]:
    """`count` accounts in Paris with a daily digest and someone overdue (made directly:
    hashing a password for each would take most of the test's time)."""
    made = []
    for n in range(count):
        user = User.create(email=f"{name}{n:03d}@example.com", password_hash="",
                           timezone="Europe/Paris", digest="daily", **settings)
        Advisor.create(user=user, name=f"Dana {n}", role="insight",
                       added_on=TODAY - timedelta(days=40))
        made.append(user)
    return made


def stored_moment(user: User) -> datetime | None:
    return User.get_by_id(user.id).reminder_due_at


def test_a_pass_moves_each_account_on_to_its_next_reminder_time(mail_app, smtp):
    ada, = accounts(1)
    assert stored_moment(ada) == REMIND_AT_NEXT_PASS  # a new account: at the next pass
    assert dispatch(mail_app, NOW) == [f"sent: digest to {ada.email} for 2026-11-24"]
    assert stored_moment(ada) == datetime(2026, 11, 25, 7, 0)  # 08:00 in Paris tomorrow
    assert dispatch(mail_app, NOW + timedelta(hours=12)) == []
    assert dispatch(mail_app, utc(2026, 11, 25, 7, 0)) == [
        f"sent: digest to {ada.email} for 2026-11-25"]
    assert len(smtp.inbox.messages) == 2


def test_a_pass_with_nothing_due_reads_no_account_however_many_there_are(mail_app, smtp):
    def quiet_pass_queries() -> list[str]:
        with count_queries() as queries:
            assert dispatch(mail_app, NOW + timedelta(hours=1)) == []
        return queries

    accounts(3)
    dispatch(mail_app, NOW)
    few = quiet_pass_queries()
    accounts(40, "later", reminder_time="10:00")  # ...and 40 more whose time has not come
    dispatch(mail_app, NOW)  # moves them on to 10:00
    many = quiet_pass_queries()
    assert len(many) == len(few) <= 3
    assert not any("FROM \"users\"" in sql and "reminder_due_at" not in sql for sql in many)


def test_an_account_without_reminders_is_left_alone_until_a_setting_brings_it_back(
        mail_app, smtp):
    ada = make_user(tz="Europe/Paris")  # digest off, no device
    Advisor.create(user=ada, name="Dana Reyes", role="insight", added_on=TODAY - timedelta(days=40))
    assert dispatch(mail_app, NOW) == []
    assert stored_moment(ada) is None
    User.get_by_id(ada.id).update_settings(digest="daily")
    assert stored_moment(ada) == REMIND_AT_NEXT_PASS
    assert dispatch(mail_app, NOW + timedelta(minutes=1)) == [
        f"sent: digest to {ada.email} for 2026-11-24"]


def test_every_query_of_a_wave_is_bounded_by_the_batch_not_the_accounts(mail_app, smtp):
    # What a wave of 70,000 accounts did to PostgreSQL (one parameter per account, past
    # its 65,535 limit), at the scale of a test: batches of 4 over 30 accounts.
    people = accounts(30)
    with statements() as sent:
        lines = dispatch(mail_app, NOW, batch=4)
    assert sorted(lines) == sorted(f"sent: digest to {user.email} for 2026-11-24"
                                   for user in people)
    assert max(len(params or ()) for _, params in sent) <= 4 * 8
    assert len(smtp.inbox.messages) == 30


def test_a_dispatcher_killed_mid_wave_leaves_its_batch_to_the_lease_and_the_rest_to_others(
        mail_app, smtp):
    people = accounts(12)
    with mail_app.test_request_context(base_url=mail_app.config["BASE_URL"]):
        assert len(dispatcher.plan(NOW, size=5)) == 5  # claimed, then the process died
    # Another dispatcher sends the other 7 and leaves the 5 claims to their lease...
    assert len(dispatch(mail_app, NOW + timedelta(minutes=1), batch=5)) == 7
    # ...then takes them over once it has run out.
    assert len(dispatch(mail_app, NOW + timedelta(minutes=3), batch=5)) == 5
    assert dispatch(mail_app, NOW + timedelta(minutes=10), batch=5) == []
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(u.email for u in people)


def test_four_dispatchers_at_once_share_the_wave_and_send_each_digest_once(mail_app, smtp):
    people = accounts(40)
    results: dict[int, list[str]] = {}

    def run(number: int) -> None:
        try:
            results[number] = dispatch(mail_app, NOW, batch=3)
        finally:
            db.database.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(line for lines in results.values() for line in lines) == sorted(
        f"sent: digest to {user.email} for 2026-11-24" for user in people)
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(u.email for u in people)
    assert Delivery.select().where(Delivery.state == "sent").count() == 40
    assert sum(1 for lines in results.values() if lines) >= 2  # not one taking everything


def test_mail_rate_spaces_the_messages_of_a_pass(make_app, smtp):
    app = make_app(TESTING=True, BASE_URL="http://advisory.test", MAIL_SERVER="127.0.0.1",
                   MAIL_PORT=smtp.port, MAIL_RATE=20)
    accounts(6)
    started = time.monotonic()
    assert len(dispatch(app, NOW)) == 6
    assert time.monotonic() - started >= 5 / 20  # five gaps of at least 1/20 s
    assert len(smtp.inbox.messages) == 6


def test_reschedule_has_the_next_pass_work_out_every_moment_again_without_a_resend(
        mail_app, smtp):
    people = accounts(3)
    assert len(dispatch(mail_app, NOW)) == 3
    # A bulk load made outside the app left a moment far in the future
    User.update(reminder_due_at=datetime(2027, 1, 1)).where(User.id == people[0].id).execute()
    result = mail_app.test_cli_runner().invoke(args=["reminders", "reschedule"])
    assert "The next pass looks at the reminders of 3 accounts." in result.output
    assert dispatch(mail_app, NOW + timedelta(hours=1)) == []  # today's are sent already
    assert {stored_moment(user) for user in people} == {datetime(2026, 11, 25, 7, 0)}
    assert len(smtp.inbox.messages) == 3
