"""Sign-ins as server-side sessions: signing out, a password change and "sign out of all
other devices" end them, for the session cookie and the remember cookie alike."""
import re
from datetime import timedelta

from advisory.database import utcnow
from advisory.models import UserSession, digest
from support import PASSWORD, Session, login_token, sign_in

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36")


def device(app, remember=False, user_agent=None):
    """A new client (another browser) signed in as ada@example.com."""
    client = app.test_client()
    if user_agent:
        client.environ_base["HTTP_USER_AGENT"] = user_agent
    data = {"csrf_token": login_token(client), "email": "ada@example.com",
            "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 303
    return client


def signed_in(client) -> bool:
    """Whether this client can open a page that needs a login."""
    return client.get("/settings").status_code == 200


def with_cookie(app, name, value):
    """A fresh client carrying one copied cookie and nothing else."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def post(client, url, data=None):
    """A form post from a signed-in client, with the CSRF token from its settings page."""
    return Session(client, None).post(url, data)


def test_old_session_cookie_is_refused_after_logout(app, user):
    client = device(app)
    cookie = client.get_cookie("session").value
    assert signed_in(with_cookie(app, "session", cookie))  # the copy works while signed in
    assert post(client, "/logout").status_code == 303
    assert not signed_in(with_cookie(app, "session", cookie))
    assert not signed_in(client)


def test_old_remember_cookie_alone_is_refused_after_logout(app, user):
    client = device(app, remember=True)
    remember = client.get_cookie("remember_token").value
    assert signed_in(with_cookie(app, "remember_token", remember))  # it works while signed in
    assert post(client, "/logout").status_code == 303
    assert not signed_in(with_cookie(app, "remember_token", remember))


def test_password_change_signs_out_every_other_device(app, user):
    phone, laptop = device(app, remember=True), device(app, remember=True)
    laptop_remember = laptop.get_cookie("remember_token").value
    response = post(phone, "/settings/password", {
        "current": PASSWORD, "password": "new-password-1", "confirm": "new-password-1"})
    assert response.status_code == 303
    assert signed_in(phone)
    assert "every other device" in phone.get("/settings").get_data(as_text=True)
    assert not signed_in(laptop)
    assert not signed_in(with_cookie(app, "remember_token", laptop_remember))


def test_sign_out_of_all_other_devices(app, user):
    phone = device(app, user_agent=ANDROID_CHROME)
    laptop, tablet = device(app, remember=True), device(app)
    page = phone.get("/settings").get_data(as_text=True)
    assert "Chrome on Android</strong> · this device" in page
    assert page.count("Signed in ") == 3
    response = post(phone, "/settings/devices/sign-out-others")
    assert response.status_code == 303
    page = phone.get("/settings").get_data(as_text=True)
    assert "Signed out of 2 other devices." in page
    assert page.count("Signed in ") == 1
    assert not signed_in(laptop) and not signed_in(tablet)
    assert UserSession.select().count() == 1


def test_sign_out_of_other_devices_needs_csrf(app, user):
    phone, laptop = device(app), device(app)
    assert phone.post("/settings/devices/sign-out-others").status_code == 400
    assert signed_in(laptop)


def test_an_expired_sign_in_is_refused(app, user):
    client = device(app, remember=True)
    session, remember = (client.get_cookie(name).value for name in ("session", "remember_token"))
    UserSession.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    assert not signed_in(with_cookie(app, "remember_token", remember))
    assert not signed_in(with_cookie(app, "session", session))


def test_keep_me_signed_in_lasts_90_days_and_a_plain_sign_in_a_day(app, user):
    device(app, remember=True)
    device(app, remember=False)
    lasting = sorted(s.expires_at - s.created_at for s in UserSession.select())
    assert lasting == [timedelta(days=1), timedelta(days=90)]


def test_each_sign_in_gets_its_own_token_and_only_its_hash_is_stored(app, user):
    first, second = device(app, remember=True), device(app, remember=True)
    tokens = [c.get_cookie("remember_token").value.split("|")[0] for c in (first, second)]
    assert tokens[0] != tokens[1]
    stored = {s.token_hash for s in UserSession.select()}
    assert stored == {digest(t) for t in tokens}
    assert not stored & set(tokens)


def test_cli_set_password_signs_out_every_device(app, runner, user):
    client = device(app, remember=True)
    result = runner.invoke(args=["user", "set-password", user.email,
                                 "--password", "another-one-1"])
    assert result.exit_code == 0 and "signed out" in result.output
    assert not signed_in(client)


def test_end_sessions_keeps_only_the_given_sign_in(app, user):
    device(app), device(app)
    keep = UserSession.start(user, timedelta(hours=1))
    assert user.end_sessions(keep=keep) == 2
    assert [s.token_hash for s in UserSession.select()] == [digest(keep)]
    assert user.end_sessions() == 1


def test_deleting_an_account_removes_its_sign_ins(app, user, other):
    device(app)
    sign_in(app.test_client(), other)
    user.delete_instance(recursive=False)
    assert [s.user_id for s in UserSession.select()] == [other.id]


def test_devices_show_when_they_were_last_used(app, user):
    client = device(app)
    two_hours_ago = utcnow() - timedelta(hours=2)
    UserSession.update(last_used_at=two_hours_ago).execute()
    assert signed_in(client)
    assert UserSession.get().last_used_at > two_hours_ago


def test_devices_list_only_this_accounts_sign_ins(app, user, other):
    client = device(app, user_agent=ANDROID_CHROME)
    sign_in(app.test_client(), other)
    page = client.get("/settings").get_data(as_text=True)
    assert page.count("Signed in ") == 1
    assert post(client, "/settings/devices/sign-out-others").status_code == 303
    assert UserSession.select().count() == 2  # the other account's sign-in is untouched


def test_one_other_device_can_be_signed_out_on_its_own(app, user):
    phone, laptop, tablet = (sign_in(app.test_client(), user) for _ in range(3))
    phone_row, laptop_row, tablet_row = UserSession.select().order_by(UserSession.id)
    page = laptop.get("/settings").get_data(as_text=True)
    assert len(re.findall(r'action="/settings/devices/\d+/sign-out"', page)) == 2  # not this one
    assert laptop.post(f"/settings/devices/{tablet_row.id}/sign-out").status_code == 303
    assert tablet.get("/").status_code == 302 and phone.get("/").status_code == 200
    assert laptop.post(f"/settings/devices/{tablet_row.id}/sign-out").status_code == 404
    assert laptop.post(f"/settings/devices/{laptop_row.id}/sign-out").status_code == 404
    assert laptop.get("/").status_code == 200  # "Sign out" itself is for this device


def test_another_accounts_device_cannot_be_signed_out(app, user, other):
    mine, theirs = sign_in(app.test_client(), user), sign_in(app.test_client(), other)
    [their_row] = UserSession.for_user(other)
    assert mine.post(f"/settings/devices/{their_row.id}/sign-out").status_code == 404
    assert theirs.get("/").status_code == 200
