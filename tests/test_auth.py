"""Accounts: first-run set-up, signing in and out, keeping the session, CSRF."""
import re

from advisory.models import SetupToken, User
from conftest import PASSWORD, make_user, sign_in


def form_token(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_setup_without_token_is_refused(client):
    SetupToken.issue()
    response = client.get("/setup")
    assert response.status_code == 403
    assert "one-time link" in response.get_data(as_text=True)
    assert client.get("/setup?token=guess").status_code == 403


def test_setup_creates_first_account_and_signs_in(client):
    token = SetupToken.issue()
    url = f"/setup?token={token}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-browser-timezone' in page  # the device's zone is filled in by script
    response = client.post(url, data={
        "csrf_token": form_token(client, url), "email": "Ada@Example.com",
        "password": PASSWORD, "confirm": PASSWORD, "timezone": "Europe/Paris"})
    assert response.status_code == 303
    user = User.get()
    assert (user.email, user.timezone) == ("ada@example.com", "Europe/Paris")
    assert "Add an advisor" in client.get("/advisors/new").get_data(as_text=True)
    # the token is used up: set-up is closed once an account exists
    assert client.get(url).status_code == 403


def test_setup_bad_input_saves_nothing(client):
    token = SetupToken.issue()
    url = f"/setup?token={token}"
    response = client.post(url, data={
        "csrf_token": form_token(client, url), "email": "not-an-email",
        "password": "short", "confirm": "other", "timezone": "Mars/Olympus"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter an email address like name@example.com." in html
    assert "Use between 8 and 200 characters." in html
    assert "Pick a time zone from the list" in html
    assert User.select().count() == 0
    assert SetupToken.is_valid(token)


def test_login_is_case_insensitive_and_remembers(client, user):
    response = client.post("/login", data={
        "csrf_token": form_token(client, "/login"), "email": "  ADA@example.COM ",
        "password": PASSWORD, "remember": "y"})
    assert response.status_code == 303
    assert "remember_token" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in c for c in response.headers.getlist("Set-Cookie"))
    assert client.get("/").status_code == 200


def test_login_without_remember_sets_no_long_cookie(client, user):
    response = client.post("/login", data={
        "csrf_token": form_token(client, "/login"), "email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    assert not any("remember_token" in c for c in response.headers.getlist("Set-Cookie"))


def test_wrong_password_says_so(client, user):
    response = client.post("/login", data={
        "csrf_token": form_token(client, "/login"), "email": user.email, "password": "nope-nope"})
    assert response.status_code == 422
    assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_redirects_only_within_the_site(client, user):
    token = form_token(client, "/login")
    data = {"csrf_token": token, "email": user.email, "password": PASSWORD}
    assert client.post("/login?next=//evil.example/x", data=data).headers["Location"] == "/"


def test_login_next_path_is_followed(client, user):
    data = {"csrf_token": form_token(client, "/login"), "email": user.email, "password": PASSWORD}
    assert client.post("/login?next=/board", data=data).headers["Location"] == "/board"


def test_login_is_throttled(app, client, user):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    token = form_token(client, "/login")
    codes = [client.post("/login", data={"csrf_token": token, "email": user.email,
                                         "password": "wrong-one"}).status_code
             for _ in range(4)]
    assert codes == [422, 422, 422, 429]


def test_logout_ends_the_session(session):
    response = session.post("/logout")
    assert response.status_code == 303
    assert session.get("/").status_code == 302


def test_logout_needs_csrf(session):
    assert session.client.post("/logout").status_code == 400
    assert session.get("/").status_code == 200


def test_every_page_needs_login(client, user):
    for url in ["/", "/board", "/advisors/new", "/advisors/1", "/advisors/1/edit",
                "/advisors/1/log", "/settings"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_htmx_request_without_session_is_sent_to_login(client, user):
    response = client.get("/advisors/1", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.get_data(as_text=True)
    assert ' style="' not in response.get_data(as_text=True)


def test_two_accounts_sign_in_separately(app):
    first, second = make_user("a@example.com"), make_user("b@example.com")
    one, two = sign_in(app.test_client(), first), sign_in(app.test_client(), second)
    assert "a@example.com" in one.get("/settings").get_data(as_text=True)
    assert "b@example.com" in two.get("/settings").get_data(as_text=True)
