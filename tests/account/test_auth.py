"""Accounts: first-run set-up, signing in and out, keeping the session, CSRF."""
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from advisory.models import SetupToken, User
from browser.support import LiveServer
from support import PASSWORD, login_token, make_user, sign_in


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
    assert "Use between 12 and 200 characters" in html
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


# Where a crafted `next` may lead after signing in: anything but a path on this site goes
# to the due list ("/"), whatever a browser would make of it.
REDIRECTS = [
    ("/board", "/board"),
    ("/advisors/1?tab=history#notes", "/advisors/1?tab=history#notes"),
    ("/.//evil.example", "/.//evil.example"),  # a path on this site, however odd
    ("/advisors/caf\u00e9", "/advisors/caf%C3%A9"),
    ("//evil.example", "/"),
    ("///evil.example", "/"),
    ("//evil.example/%2F..", "/"),
    ("//[evil.example", "/"),
    ("http://[::1", "/"),
    ("/\t/evil.example", "/"),  # browsers drop the tab: //evil.example
    ("/\n/evil.example", "/"),
    ("/\r\nSet-Cookie: stolen=1", "/"),
    ("/\x00/evil.example", "/"),
    ("/\x7f/evil.example", "/"),
    ("/\u2028/evil.example", "/"),
    ("/\xa0/evil.example", "/"),
    (" //evil.example", "/"),
    ("\t//evil.example", "/"),
    ("/\\evil.example", "/"),  # browsers read a backslash as a slash
    ("\\\\evil.example", "/"),
    ("/%5Cevil.example", "/"),
    ("/%2F%2Fevil.example", "/"),
    ("%2F%2Fevil.example", "/"),
    ("/%09/evil.example", "/"),
    ("/%0d%0aSet-Cookie: stolen=1", "/"),
    ("https://evil.example", "/"),
    ("HTTPS://evil.example", "/"),
    ("https:/evil.example", "/"),
    ("https:evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("data:text/html,hi", "/"),
    ("evil.example", "/"),
    ("board", "/"),
    ("", "/"),
]


def test_login_follows_next_only_to_a_path_on_this_site(app):
    user = make_user()
    for target, expected in REDIRECTS:
        client = app.test_client()
        data = {"csrf_token": form_token(client, "/login"), "email": user.email,
                "password": PASSWORD}
        response = client.post("/login", query_string={"next": target}, data=data)
        assert response.status_code == 303, repr(target)
        assert response.headers["Location"] == expected, repr(target)
        assert client.get("/settings").status_code == 200, repr(target)


def test_the_issues_open_redirect_is_closed(client, user):
    data = {"csrf_token": form_token(client, "/login"), "email": user.email, "password": PASSWORD}
    response = client.post("/login?next=%2F%09%2Fevil.example", data=data)
    assert response.headers["Location"] == "/"


def test_unknown_email_costs_a_password_check_like_a_wrong_password(client, user, monkeypatch):
    """Both failures run one real scrypt check with the same parameters, so the time taken
    does not tell which emails have accounts."""
    import advisory.models.accounts
    checked = []
    real = advisory.models.accounts.check_password_hash

    def check(hash_, password):
        checked.append(hash_.split("$")[0])  # method and cost parameters
        return real(hash_, password)

    monkeypatch.setattr(advisory.models.accounts, "check_password_hash", check)
    token = form_token(client, "/login")
    for email in (user.email, "nobody@example.com"):
        response = client.post("/login", data={"csrf_token": token, "email": email,
                                               "password": "wrong-password"})
        assert response.status_code == 422
        assert "do not match an account" in response.get_data(as_text=True)
    method = user.password_hash.split("$")[0]
    assert method.startswith("scrypt:")
    assert checked == [method, method]


def test_a_raced_setup_link_makes_exactly_one_account(make_app):
    """Several browsers post the same set-up link at the same instant, over real HTTP to a
    threaded server, for several rounds: each round ends with exactly one account."""
    server = LiveServer(make_app())
    try:
        for round_ in range(5):
            User.delete().execute()
            url = f"/setup?token={SetupToken.issue()}"
            browsers = [HttpBrowser(server.url) for _ in range(4)]
            forms = [b.form_token(url) for b in browsers]
            start = threading.Barrier(len(browsers))
            statuses = [None] * len(browsers)

            def submit(i):
                start.wait()
                statuses[i] = browsers[i].post(url, {
                    "csrf_token": forms[i], "email": f"person{i}@example.com",
                    "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC"})

            threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(browsers))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert User.select().count() == 1, f"round {round_}"
            assert SetupToken.select().count() == 0
            assert sorted(statuses) == [303, 403, 403, 403], f"round {round_}: {statuses}"
    finally:
        server.stop()


class HttpBrowser:
    """A minimal browser over real HTTP: keeps cookies, does not follow redirects."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), self.NoRedirects)

    def open(self, url, data=None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + url, body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form_token(self, url) -> str:
        html = self.open(url)[1]
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def post(self, url, data) -> int:
        return self.open(url, data)[0]


def test_signed_in_pages_are_not_stored_by_caches(session, user):
    for url in ["/", "/board", "/settings", "/calendar", "/advisors/new", "/no-such-page"]:
        assert session.get(url).headers["Cache-Control"] == "private, no-store", url
    # what the service worker and the calendar fetch keep their own caching
    assert session.get("/sw.js").headers["Cache-Control"] == "no-cache"
    assert "no-store" not in session.get("/static/css/app.css").headers.get("Cache-Control", "")
    assert "no-store" not in session.get("/manifest.webmanifest").headers.get("Cache-Control", "")


def test_signed_out_pages_may_be_cached_as_before(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def test_strict_transport_security_only_with_secure_cookies(app, make_app, monkeypatch):
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    monkeypatch.setenv("SECURE_COOKIES", "1")
    secure = make_app(TESTING=True).test_client()
    user = make_user()
    response = secure.get("/login", base_url="https://advisory.test")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Cookies only this exact HTTPS host can set: a sibling subdomain cannot plant one.
    signed_in = secure.post("/login", base_url="https://advisory.test", headers=HTTPS_LOGIN,
                            data={"csrf_token": form_token(secure, "https://advisory.test/login"),
                                  "email": user.email, "password": PASSWORD, "remember": "y"})
    cookies = signed_in.headers.getlist("Set-Cookie")
    assert signed_in.status_code == 303
    assert {c.split("=")[0] for c in cookies} == {"__Host-session", "__Host-remember_token"}
    assert all("Secure" in c and "Path=/" in c and "Domain" not in c for c in cookies)


HTTPS_LOGIN = {"Referer": "https://advisory.test/login"}


def test_signing_in_over_https_works_with_what_a_browser_sends(client, user):
    """Over HTTPS, CSRF protection wants a same-origin Referer: pages must let it be sent."""
    page = client.get("/login", base_url="https://advisory.test")
    assert page.headers["Referrer-Policy"] == "same-origin"
    data = {"csrf_token": form_token(client, "https://advisory.test/login"),
            "email": user.email, "password": PASSWORD}
    response = client.post("/login", base_url="https://advisory.test", data=data,
                           headers=HTTPS_LOGIN)
    assert response.status_code == 303
    foreign = client.post("/logout", base_url="https://advisory.test",
                          headers={"Referer": "https://evil.example/"},
                          data={"csrf_token": data["csrf_token"]})
    assert foreign.status_code == 400  # another site's form is still refused


def wrong_sign_in(client, email, address, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/login", data={"csrf_token": form_token(client, "/login"),
                                       "email": email, "password": "not the password"},
                       headers=headers, environ_base={"REMOTE_ADDR": address})


def test_behind_a_proxy_one_client_is_throttled_not_everyone(make_app):
    """Every request comes from the proxy; the client is the address the proxy adds last."""
    app = make_app(TESTING=True, TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="3 per minute")
    user = make_user()
    attacker, victim = app.test_client(), app.test_client()
    codes = [wrong_sign_in(attacker, f"guess{n}@example.com", "127.0.0.1",
                           forwarded=f"10.9.9.{n}, 203.0.113.9").status_code for n in range(5)]
    assert codes == [422, 422, 422, 429, 429]  # forging the header's start changes nothing
    response = victim.post("/login", data={
        "csrf_token": form_token(victim, "/login"), "email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 303


def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(make_app):
    app = make_app(TESTING=True, LOGIN_RATE_LIMIT="3 per minute")
    make_user()
    client = app.test_client()
    codes = [wrong_sign_in(client, f"guess{n}@example.com", "192.0.2.5",
                           forwarded=f"198.51.100.{n}").status_code for n in range(4)]
    assert codes == [422, 422, 422, 429]


def test_guesses_at_one_account_from_many_addresses_are_limited(make_app):
    app = make_app(TESTING=True, LOGIN_RATE_LIMIT="3 per minute")
    user = make_user()
    client = app.test_client()
    codes = [wrong_sign_in(client, user.email.upper(), f"198.51.100.{n}").status_code
             for n in range(4)]
    assert codes == [422, 422, 422, 429]


def test_only_failed_sign_ins_count(make_app):
    app = make_app(TESTING=True, LOGIN_RATE_LIMIT="2 per minute")
    user = make_user()
    for _ in range(4):
        client = app.test_client()
        response = client.post("/login", data={"csrf_token": form_token(client, "/login"),
                                               "email": user.email, "password": PASSWORD})
        assert response.status_code == 303


def test_a_throttled_sign_in_keeps_the_email_and_says_why(make_app):
    app = make_app(TESTING=True, LOGIN_RATE_LIMIT="1 per minute")
    make_user()
    client = app.test_client()
    wrong_sign_in(client, "ada.typo@example.com", "192.0.2.5")
    response = wrong_sign_in(client, "ada.typo@example.com", "192.0.2.5")
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many failed sign-ins. Wait a minute" in html
    assert 'value="ada.typo@example.com"' in html and 'name="password"' in html


def test_each_worker_allows_its_share_of_the_limit(make_app):
    """Two gunicorn workers each count in their own memory: each allows half, so the
    documented limit holds for the whole server."""
    app = make_app(TESTING=True, LOGIN_RATE_LIMIT="4 per minute", RATELIMIT_PROCESSES=2)
    make_user()
    client = app.test_client()
    codes = [wrong_sign_in(client, f"guess{n}@example.com", "192.0.2.5").status_code
             for n in range(3)]
    assert codes == [422, 422, 429]


def test_new_passwords_are_long_and_not_common(client):
    token = SetupToken.issue()
    url = f"/setup?token={token}"
    for password, message in [("eleven char", "Use between 12 and 200 characters"),
                              ("1qaz2wsx3edc", "one of the most common"),
                              ("aaaaaaaaaaaaaaaa", "one of the most common")]:
        response = client.post(url, data={
            "csrf_token": form_token(client, url), "email": "ada@example.com",
            "password": password, "confirm": password, "timezone": "UTC"})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert User.select().count() == 0


def test_sign_in_focuses_the_email_field(client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<input[^>]*autofocus[^>]*name="email"|<input[^>]*name="email"[^>]*autofocus', html)


def test_the_home_page_sends_to_a_plain_sign_in_address(client):
    assert client.get("/").headers["Location"] == "/login"
    assert client.get("/board?x=1").headers["Location"] == "/login?next=/board?x%3D1"


def test_setup_errors_are_listed_in_the_order_of_the_form(app, client):
    token = SetupToken.issue()
    csrf = login_token(client)
    html = client.post(f"/setup?token={token}", data={"timezone": "Nowhere/Else", "csrf_token": csrf}
                       ).get_data(as_text=True)
    summary = html[html.index("error-summary"):html.index("</ul>")]
    assert summary.index("Email") < summary.index("Password") < summary.index("Time zone")


def test_a_brand_new_install_says_how_to_make_the_first_account(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Advisory has no account yet" in page and "setup-url" in page
    closed = client.get("/setup").get_data(as_text=True)
    assert "setup-url" in closed and "`" not in closed  # words, not Markdown
    make_user()
    assert "no account yet" not in client.get("/login").get_data(as_text=True)
