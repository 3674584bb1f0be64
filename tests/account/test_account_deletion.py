"""Deleting an account: every row goes, the feed answers 410, the sessions end
(User.delete_account, the delete view in advisory/data/views.py, `user delete`)."""
from datetime import date, timedelta

from peewee import ForeignKeyField

from advisory.core import photos
from advisory.models import (
    MODELS,
    Advice,
    Advisor,
    BoardReview,
    Delivery,
    FeedToken,
    Give,
    Goal,
    Introduction,
    NotifyChannel,
    Photo,
    Promise,
    PushSubscription,
    User,
    UserSession,
    YearlyDate,
)
from advisory.models.reviews import Decision
from support import PASSWORD, Session, add_advisor, login_token, sign_in
from support.photos import image_bytes


def owner(row):
    """The account a row belongs to, following its links up to users; None if none."""
    if isinstance(row, User):
        return row.id
    for field in row._meta.sorted_fields:
        if isinstance(field, ForeignKeyField):
            parent = getattr(row, field.name)
            return owner(parent) if parent is not None else None
    return None


def rows_by_owner() -> dict:
    """Every row of every table, counted by the account it belongs to."""
    counts = {}
    for model in MODELS:
        for row in model.select():
            key = (model.__name__, owner(row))
            counts[key] = counts.get(key, 0) + 1
    return counts


def fill(user):
    advisor = add_advisor(user, name=f"Mentor of {user.email}", snoozed_until=date(2030, 1, 1))
    advisor.log_contact(happened_on=date(2025, 1, 1), kind="call", notes="talk", key="k-12345678")
    advisor.log_contact(happened_on=date(2025, 2, 1), kind="message")
    Give.record(advisor, kind="article", note="an essay", given_on=date(2025, 2, 2))
    Introduction.record(advisor, direction="received", to_whom="Ana", happened_on=date(2025, 2, 3))
    Promise.make(advisor, text="Send the deck", owed_by="me", due_on=date(2025, 2, 9))
    Advice.record(advisor, text="Anchor first")
    goal = Goal.make(advisor, text="Negotiate the offer", created_on=date(2025, 2, 4))
    goal.note(note="Asked for 15%", noted_on=date(2025, 2, 5))
    YearlyDate.make(advisor, kind="birthday", label="", month=4, day=15, year=1985)
    BoardReview.record(user, reviewed_on=date(2025, 3, 1), reflection="A look back",
                       decisions=[Decision(advisor.role, "keep", "", advisor)])
    FeedToken.update(retired_at=date(2025, 1, 1)).where(FeedToken.user == user).execute()
    FeedToken.create(user=user, token=f"new-token-of-{user.id}-" + "x" * 30)  # a rotated link
    # What reminders keep: a signed-in device, a phone's push subscription, deliveries.
    UserSession.start(user, timedelta(days=1), device="Firefox on Linux")
    PushSubscription.store(user, f"https://push.example/{user.id}", "k" * 87, "a" * 22, "Phone")
    NotifyChannel.add(user, "Phone", f"ntfys://ntfy.sh/{user.id}", "ntfys://ntfy.sh/…")
    Delivery.create(user=user, target="digest", period="2025-01-01", state="sent")
    Delivery.create(user=user, target="reset", period="20250101T000000-abcd", state="queued")
    Photo.put(advisor, photos.renditions(image_bytes("PNG")))
    return advisor


def feed_url(token) -> str:
    return f"/feed/{token}.ics"


def test_deleting_leaves_no_row_of_the_account_and_spares_the_other(app, client, user, other):
    fill(user)
    fill(other)
    tokens = [t.token for t in FeedToken.select().where(FeedToken.user == user)]
    before = rows_by_owner()
    assert before[("Contact", user.id)] == 2 and before[("FeedToken", user.id)] == 2
    assert {model for model, account in before if account == user.id} == \
        {model.__name__ for model in MODELS} - {"RetiredFeedToken", "SetupToken"}
    session = sign_in(client, user)
    page = session.get("/account/delete")
    assert page.status_code == 200 and "cannot be undone" in page.get_data(as_text=True)
    response = session.post("/account/delete", {"password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    after = rows_by_owner()
    assert not [key for key in after if key[1] == user.id]
    assert {k: v for k, v in before.items() if k[1] == other.id} == \
           {k: v for k, v in after.items() if k[1] == other.id}
    assert User.by_email("ada@example.com") is None
    # Of the deleted account only the hashes of its two feed links stay, linked to no one.
    assert after[("RetiredFeedToken", None)] == before.get(("RetiredFeedToken", None), 0) + 2
    # Calendars still subscribed learn the feed is gone for good, for every link it had.
    for token in tokens:
        assert app.test_client().get(feed_url(token)).status_code == 410
    assert app.test_client().get(feed_url(FeedToken.current(other).token)).status_code == 200


def test_the_sessions_end(app, client, user):
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y",
                                "csrf_token": login_token(client)})
    session = Session(client, user)
    assert session.get("/settings").status_code == 200
    remembered = client.get_cookie("remember_token")  # "keep me signed in" was on
    other_device = app.test_client()  # a phone holding the same remember cookie
    other_device.set_cookie("remember_token", remembered.value)
    assert other_device.get("/settings").status_code == 200
    session.post("/account/delete", {"password": PASSWORD})
    for browser in (client, other_device):
        response = browser.get("/settings")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_wrong_password_deletes_nothing(client, user):
    fill(user)
    session = sign_in(client, user)
    response = session.post("/account/delete", {"password": "not my password"})
    assert response.status_code == 422
    assert "That is not your password" in response.get_data(as_text=True)
    empty = session.post("/account/delete", {})
    assert empty.status_code == 422 and "Enter your password" in empty.get_data(as_text=True)
    assert User.by_email(user.email) and Advisor.select().count() == 1


def test_deleting_needs_a_login_and_the_csrf_token(app, client, user):
    anonymous = app.test_client().post("/account/delete", data={"password": PASSWORD})
    assert anonymous.status_code == 302
    sign_in(client, user)
    forged = client.post("/account/delete", data={"password": PASSWORD})
    assert forged.status_code == 400
    assert User.by_email(user.email) is not None


def test_settings_link_to_your_data(session, user):
    html = session.get("/settings").get_data(as_text=True)
    for url in ("/export.json", "/export/advisors.csv", "/export/contacts.csv", "/import/vcard",
                "/import", "/account/delete"):
        assert f'href="{url}"' in html


def test_cli_user_delete(app, runner, user, other):
    fill(user)
    token = FeedToken.current(user).token
    refused = runner.invoke(args=["user", "delete", "ada@example.com"], input="n\n")
    assert refused.exit_code != 0 and User.by_email("ada@example.com") is not None
    result = runner.invoke(args=["user", "delete", "ADA@example.com", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Deleted ada@example.com" in result.output
    assert not [key for key in rows_by_owner() if key[1] == user.id]
    assert app.test_client().get(feed_url(token)).status_code == 410
    missing = runner.invoke(args=["user", "delete", "nobody@example.com", "--yes"])
    assert missing.exit_code != 0 and "No account" in missing.output
