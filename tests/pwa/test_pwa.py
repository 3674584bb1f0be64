"""The installable app, server side: manifest, service worker, offline page, compression,
the endpoint that receives contacts logged offline, and what the scripts are told."""
import html
import io
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import url_for
from PIL import Image

from advisory.core.vocabulary import KINDS
from advisory.models import Advice, Advisor, Contact, Promise
from support import add_advisor, sign_in

ICONS = [("static/icons/icon-192.png", 192), ("static/icons/icon-512.png", 512),
         ("static/icons/icon-maskable-512.png", 512), ("static/icons/apple-touch-icon.png", 180)]


def test_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data())
    assert manifest["name"] == "Advisory" and manifest["short_name"]
    assert (manifest["id"], manifest["start_url"], manifest["scope"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert (manifest["theme_color"], manifest["background_color"]) == ("#1d5c57", "#f6f4ef")
    icons = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= icons
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png.mimetype == "image/png"
        png.close()


def test_the_manifest_offers_shortcuts_that_open_for_a_signed_in_person(session):
    """A long press on the installed app's icon: each shortcut opens its page."""
    manifest = json.loads(session.get("/manifest.webmanifest").get_data())
    shortcuts = {s["name"]: s for s in manifest["shortcuts"]}
    assert list(shortcuts) == ["Due list", "Log a conversation", "Add advisor"]
    assert {name: s["url"] for name, s in shortcuts.items()} == {
        "Due list": "/", "Log a conversation": "/#due-cards", "Add advisor": "/advisors/new"}
    for shortcut in shortcuts.values():
        assert shortcut["short_name"] and shortcut["description"]
        page = session.get(shortcut["url"])
        assert page.status_code == 200, shortcut["url"]
        [icon] = shortcut["icons"]
        with session.get(icon["src"]) as png:
            image = Image.open(io.BytesIO(png.get_data()))
        assert f"{image.width}x{image.height}" == icon["sizes"]


def test_log_a_conversation_opens_the_due_list_at_its_first_cards(session, user):
    """Its anchor is the first group shown (whoever is most urgent), on a board of any state."""
    add_advisor(user, name="Dana Reyes", snoozed_until=user.today() + timedelta(days=3))
    add_advisor(user, name="Omar Haddad", added_on=user.today() - timedelta(days=40))
    page_html = session.get("/").get_data(as_text=True)
    assert page_html.count('id="due-cards"') == 1
    first = re.search(r'<section class="group group-(\w+)"[^>]* id="due-cards"', page_html)
    assert first.group(1) == "overdue"


def test_the_install_sheet_has_a_phone_and_a_laptop_screenshot_chrome_accepts(client):
    manifest = json.loads(client.get("/manifest.webmanifest").get_data())
    screenshots = manifest["screenshots"]
    assert {shot["form_factor"] for shot in screenshots} == {"narrow", "wide"}
    ratios = {}
    for shot in screenshots:
        assert shot["type"] == "image/png" and shot["label"]
        with client.get(shot["src"]) as served:
            assert served.status_code == 200 and served.mimetype == "image/png"
            data = served.get_data()
        image = Image.open(io.BytesIO(data))
        assert f"{image.width}x{image.height}" == shot["sizes"]
        assert 320 <= min(image.size) and max(image.size) <= 3840  # Chrome's limits
        assert max(image.size) / min(image.size) <= 2.3
        narrow = image.width < image.height
        assert narrow == (shot["form_factor"] == "narrow")
        ratios.setdefault(shot["form_factor"], set()).add(round(image.width / image.height, 3))
        assert len(data) < 80_000  # the worker precaches them: kept small
    assert all(len(found) == 1 for found in ratios.values())  # one aspect per form factor


@pytest.mark.parametrize("path, size", ICONS)
def test_icons_are_real_pngs_of_the_declared_size(path, size):
    with open(path, "rb") as png:
        data = png.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (size, size)
    assert len(data) > 1000  # drawn, not a flat square


def test_every_page_links_the_manifest_and_icons(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'rel="apple-touch-icon"' in html
    assert 'name="theme-color" content="#1d5c57"' in html
    assert re.search(r'<script src="/js/every-page\.js\?v=[0-9a-f]{12}" defer>', html)


def test_service_worker_is_served_from_the_root_with_a_content_version(client, app):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    version = re.search(r'const VERSION = "([0-9a-f]{12})";', script).group(1)
    precache = json.loads(re.search(r"const PRECACHE = (\[.*\]);", script).group(1))
    assert {"/offline", "/offline?signed-out=1", "/static/css/app.css",
            "/static/vendor/htmx-4.0.1.min.js", "/static/icons/icon-192.png"} <= set(precache)
    bundles = {url.split("?")[0] for url in precache if url.startswith("/js/")}
    assert {"/js/every-page.js", "/js/due-list.js", "/js/advisor.js", "/js/log.js"} <= bundles
    assert not [url for url in precache if url.startswith("/static/js/")]  # bundled instead
    assert "advisory-static-${VERSION}" in script
    for url in precache:  # everything it precaches exists, or its install would fail
        asset = client.get(url)
        assert asset.status_code == 200, url
        asset.close()
    assert len(version) == 12


def test_offline_page_needs_no_account(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "You are offline" in response.get_data(as_text=True)


def test_the_offline_page_says_when_this_device_was_signed_out(client):
    """The worker shows this variant once it has deleted its copies of a signed-out board."""
    html = client.get("/offline?signed-out=1").get_data(as_text=True)
    assert "You were signed out on this device; sign in again to see your board." in html
    assert 'href="/login"' in html
    assert "You were signed out" not in client.get("/offline").get_data(as_text=True)


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    response.close()


def test_static_text_is_compressed_whole(client):
    response = client.get("/static/vendor/htmx-4.0.1.min.js", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] == "br"
    assert int(response.headers["Content-Length"]) == len(response.get_data()) < 20_000
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"


# --- What the scripts are told --------------------------------------------------------

def worker_routes(client) -> dict:
    script = client.get("/sw.js").get_data(as_text=True)
    return json.loads(re.search(r"^const ROUTES = (\{.*\});$", script, re.MULTILINE).group(1))


def page_constants(page_html: str) -> dict:
    attribute = re.search(r"<body data-constants='([^']*)'", page_html).group(1)
    return json.loads(html.unescape(attribute))


def urls(routes: dict) -> list[str]:
    return [url for name, url in routes.items() if name != "patterns"]


def test_pages_and_the_worker_are_told_the_same_routes_and_the_kinds(client):
    constants = page_constants(client.get("/login").get_data(as_text=True))
    assert constants["routes"] == worker_routes(client)
    assert constants["kinds"] == {key: kind.label for key, kind in KINDS.items()}


def test_every_url_the_scripts_are_given_is_one_of_the_apps_routes(client, app):
    routes = worker_routes(client)
    adapter = app.url_map.bind("localhost")
    for url in urls(routes):
        path = url.replace("{id}", "12").split("?")[0]
        assert any(adapter.test(path, method) for method in ("GET", "POST")), url
    for name in ("icon", "badge", "outboxScript", "pushScript"):
        with client.get(routes[name]) as asset:
            assert asset.status_code == 200, routes[name]


def test_the_patterns_recognise_the_urls_the_app_makes(client, app):
    """The scripts find the advisor in a form's address with these; they capture the id."""
    patterns = {name: re.compile(pattern) for name, pattern in worker_routes(client)["patterns"].items()}
    with app.test_request_context():
        page, one_tap, log, snooze = (url_for(endpoint, advisor_id=12) for endpoint in (
            "advisors.detail", "advisors.spoke_today", "advisors.log", "advisors.snooze"))
    assert patterns["advisorPage"].match(page).group(1) == "12"
    assert patterns["oneTap"].match(one_tap).group(1) == "12"
    assert patterns["log"].match(log).group(1) == "12"
    assert [p.match(snooze).group(1) for p in [patterns["belowAdvisorPage"]]] == ["12"]
    assert not patterns["log"].match(one_tap) and not patterns["oneTap"].match(log)
    assert not patterns["advisorPage"].match(log) and not patterns["belowAdvisorPage"].match(page)


def test_the_pages_kept_offline_link_the_log_forms_the_worker_keeps(session, user, client):
    """The worker finds "Log…" on the due list and an advisor's page by its href and the
    log pattern, and keeps that form, whose query says where it returns; a kept log form is
    shown only beside a page of the same account (<body data-account>)."""
    dana = add_advisor(user, agenda="Ask about the board seat")
    log = re.compile(worker_routes(client)["patterns"]["log"])

    def kept(path: str) -> tuple[set[str], str]:
        page_html = session.get(path).get_data(as_text=True)
        hrefs = re.findall(r'\shref="([^"]*)"', page_html)
        account = re.search(r'<body\b[^>]*\sdata-account="(\d+)"', page_html).group(1)
        return {href for href in hrefs if log.match(href.split("?")[0])}, account

    due_form, advisor_form = f"/advisors/{dana.id}/log?from=due", f"/advisors/{dana.id}/log"
    assert kept("/") == ({due_form}, str(user.id))
    assert kept(f"/advisors/{dana.id}") == ({advisor_form}, str(user.id))
    for form, back in ((due_form, "/"), (advisor_form, f"/advisors/{dana.id}")):
        page_html = session.get(form).get_data(as_text=True)
        assert f'<a class="button" href="{back}">Cancel</a>' in page_html
        assert "Ask about the board seat" in page_html
    assert '<input type="hidden" name="from" value="due">' in session.get(due_form).get_data(as_text=True)


SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"
# A path written into a script: a quoted string that starts with "/" ("/advisors",
# `/advisors/${id}`, "/"), or an escaped slash in a regular expression (/^\/advisors/).
LITERAL_PATH = re.compile(r"""(["'`])/(?:[\w.${-]|\1)|\\/[\w(\\]""")
NOT_A_PATH = '.replace(/_/g, "/")'  # base64url to base64, in notify-settings.js


@pytest.mark.parametrize("script", sorted(p.name for p in SCRIPTS.glob("*.js")))
def test_no_script_keeps_a_copy_of_a_url_or_of_the_kinds(script):
    source = (SCRIPTS / script).read_text().replace(NOT_A_PATH, "")
    assert [m.group(0) for m in LITERAL_PATH.finditer(source)] == []
    assert [kind.label for kind in KINDS.values() if f'"{kind.label}"' in source] == []


def scripts_loaded(client, page_html: str) -> set[str]:
    """The files of static/js a page runs, from the bundles it loads (as the bundle says)."""
    files = set()
    for bundle in re.findall(r'<script src="(/js/[\w-]+\.js\?v=\w+)"', page_html):
        files |= set(re.findall(r"^// ([\w-]+\.js)$", client.get(bundle).get_data(as_text=True),
                                re.MULTILINE))
    return files


EVERY_PAGE = {"constants.js", "wording.js", "app.js", "outbox.js", "register-sw.js",
              "offline-banner.js", "outbox-panel.js", "sync.js"}
PAGES = {  # a page: the scripts of its own it loads
    "/": {"due.js", "snooze.js", "install.js", "notify-offer.js", "badge.js"},
    "/advisors/{id}": {"snooze.js"},
    "/advisors/new": {"advisor-form.js"},
    "/advisors/{id}/edit": {"advisor-form.js"},
    "/advisors/{id}/log": {"log-lines.js"},
    "/board": set(),
    "/calendar": {"calendar.js"},
    "/settings": {"zone-search.js"},
    "/settings/reminders": {"notify-settings.js"},
    "/offline": set(),
}


def test_a_page_loads_only_the_scripts_it_uses(session, user, client):
    dana = add_advisor(user)
    loaded = {}
    for path, own in PAGES.items():
        response = session.get(path.replace("{id}", str(dana.id)))
        assert response.status_code == 200, path
        loaded[path] = scripts_loaded(client, response.get_data(as_text=True))
        assert loaded[path] == EVERY_PAGE | own, path
    # The people in a contacts file: the page that answers its upload.
    vcard = session.post("/import/vcard", {"file": (io.BytesIO(b"BEGIN:VCARD\r\nFN:Dana\r\n"
                                                                b"END:VCARD\r\n"), "a.vcf")},
                         content_type="multipart/form-data")
    loaded["vcard preview"] = scripts_loaded(client, vcard.get_data(as_text=True))
    assert loaded["vcard preview"] == EVERY_PAGE | {"import-people.js"}
    # ...and every script is loaded somewhere: by a page, or by the service worker.
    routes = worker_routes(client)
    by_worker = {"sw.js"} | {Path(routes[name]).name for name in ("outboxScript", "pushScript")}
    assert set().union(*loaded.values()) | by_worker == {p.name for p in SCRIPTS.glob("*.js")}


def test_a_script_bundle_is_kept_a_year_at_its_versioned_address_only(client, session):
    html = session.get("/").get_data(as_text=True)  # signed in: pages are not kept, scripts are
    url = re.search(r'<script src="(/js/every-page\.js\?v=\w+)"', html).group(1)
    current = session.get(url)
    assert current.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "const {routes: ROUTES" in current.get_data(as_text=True)
    assert client.get("/js/every-page.js?v=0ld").headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": current.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/js/no-such-bundle.js").status_code == 404


def csrf_token(session) -> str:
    html = session.get("/settings").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def sync(session, payload, token=None):
    return session.client.post("/sync/contacts", json=payload,
                               headers={"X-CSRFToken": token or csrf_token(session)})


def test_a_replayed_contact_is_stored_once(session, user):
    dana = add_advisor(user, snoozed_until=user.today() + timedelta(days=3), meeting_kind="video")
    now = int(datetime.now(timezone.utc).timestamp() * 1000)
    payload = {"advisor": dana.id, "key": "5b0e6f6c-offline-1", "at": now, "account": str(user.id)}
    first, again = sync(session, payload), sync(session, payload)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json["text"] == "Video with Dana Reyes, today"
    [contact] = Contact.select().where(Contact.advisor == dana)
    assert (contact.kind, contact.happened_on) == ("video", user.today())
    assert Advisor.get_by_id(dana.id).snoozed_until is None


def test_a_one_tap_log_keeps_the_day_it_was_tapped_in_the_account_zone(session, user):
    dana = add_advisor(user)
    two_days_ago = datetime.now(timezone.utc) - timedelta(days=2)
    sync(session, {"advisor": dana.id, "key": "tapped-earlier-1",
                   "at": two_days_ago.timestamp() * 1000})
    assert Contact.get().happened_on == user.today() - timedelta(days=2)


def test_a_full_log_is_validated_like_the_form(session, user):
    dana = add_advisor(user)
    base = {"advisor": dana.id, "kind": "in_person", "notes": " Lunch ", "thanked": True}
    ok = sync(session, {**base, "key": "full-log-0001", "happened_on": str(user.today())})
    assert ok.status_code == 200
    contact = Contact.get()
    assert (contact.kind, contact.notes, contact.thanked) == ("in_person", "Lunch", True)
    future = sync(session, {**base, "key": "full-log-0002",
                            "happened_on": str(user.today() + timedelta(days=1))})
    assert future.status_code == 422
    assert future.json == {"status": "refused",
                           "message": "When: That date is in the future; pick today or earlier."}
    assert sync(session, {**base, "key": "bad key!", "happened_on": "2020-01-01"}).status_code == 400


def test_a_full_log_with_promises_advice_and_agenda_is_stored_once_on_replay(session, user):
    dana = add_advisor(user, agenda="Ask about pricing")
    payload = {"advisor": dana.id, "key": "full-log-lines-1", "kind": "call",
               "happened_on": str(user.today()), "agenda": "Follow up on the intro",
               "promised-0-text": "Send the deck", "promised-0-due_on": "2031-01-02",
               "offered-0-text": "Intro to Sam", "advice-0": "Anchor first",
               "advice-7": "Read Getting to Yes"}
    for _ in range(2):  # the outbox sent it, the answer was lost, it sends it again
        assert sync(session, payload).status_code == 200
    assert Contact.select().count() == 1
    assert Advisor.get_by_id(dana.id).agenda == "Follow up on the intro"
    assert sorted((p.text, p.owed_by, str(p.due_on)) for p in Promise.select()) == [
        ("Intro to Sam", "them", "None"), ("Send the deck", "me", "2031-01-02")]
    assert sorted(a.text for a in Advice.select()) == ["Anchor first", "Read Getting to Yes"]


def test_a_log_synced_without_an_agenda_keeps_it(session, user):
    dana = add_advisor(user, agenda="Ask about pricing")
    sync(session, {"advisor": dana.id, "key": "no-agenda-01", "at": 1_700_000_000_000})
    assert Advisor.get_by_id(dana.id).agenda == "Ask about pricing"


def test_a_promise_line_the_form_refuses_says_which_line(session, user):
    dana = add_advisor(user)
    response = sync(session, {"advisor": dana.id, "key": "line-error-1", "kind": "call",
                              "happened_on": "2025-01-02", "promised-0-due_on": "2025-03-01"})
    assert response.status_code == 422
    assert response.json["message"] == ("I promised: line 1: Say what was promised, "
                                        "or clear its date.")
    assert Contact.select().count() == 0 and Promise.select().count() == 0


def test_a_deleted_or_foreign_advisor_is_reported_gone(session, user, other):
    dana = add_advisor(user)
    theirs = add_advisor(other, name="Grace's mentor")
    token = csrf_token(session)
    dana.delete_with_history()
    for advisor_id in (dana.id, theirs.id, 10**30):
        response = sync(session, {"advisor": advisor_id, "key": "gone-00001", "at": 0}, token)
        assert response.status_code == 404
        assert response.json["status"] == "gone"
    assert Contact.select().count() == 0


def test_another_accounts_contact_waits_for_that_account(session, user):
    dana = add_advisor(user)
    response = sync(session, {"advisor": dana.id, "key": "someone-else-1", "at": 0,
                              "account": str(user.id + 1)})
    assert response.status_code == 409
    assert Contact.select().count() == 0


def test_sync_needs_a_session_and_a_csrf_token(client, user):
    dana = add_advisor(user)
    payload = {"advisor": dana.id, "key": "no-session-1", "at": 0}
    assert client.post("/sync/contacts", json=payload).status_code == 400  # no CSRF token
    session = sign_in(client, user)
    token = csrf_token(session)
    assert session.client.post("/sync/contacts", json=payload).status_code == 400
    session.client.post("/logout", data={"csrf_token": token})
    signed_out = client.post("/sync/contacts", json=payload, headers={"X-CSRFToken": token})
    assert signed_out.status_code == 401
    assert signed_out.json["status"] == "signed-out"
    assert Contact.select().count() == 0


def test_incomplete_sync_requests_are_refused(session, user):
    token = csrf_token(session)
    for payload in (None, [], {"advisor": 1}):
        response = session.client.post("/sync/contacts", data=json.dumps(payload),
                                       content_type="application/json",
                                       headers={"X-CSRFToken": token})
        assert response.status_code == 400


@pytest.mark.parametrize("change, message", [
    ({"at": 1e20}, '"at" as a JSON number'),
    ({"at": True}, '"at" as a JSON number'),  # not the number 1, so not 1970-01-01
    ({"at": "1700000000000"}, '"at" as a JSON number'),
    ({"at": -5e12}, "from 1900 on"),
    ({"advisor": "12"}, "as a JSON number, such as 12, not as text"),
    ({"advisor": True}, "as a JSON number"),
    ({"key": "no"}, '"key" of 8 to 64 letters'),
    ({"key": {"a": 1}}, '"key" of 8 to 64 letters'),
    ({"notes": ["a"]}, '"notes" as text'),
    ({"agenda": 5}, '"agenda" as text'),
    ({"promised-0-text": ["a"]}, '"promised-0-text" as text'),
    ({"thanked": "yes"}, '"thanked" as true or false'),
    ({"account": {"id": 1}}, '"account" as its id'),
])
def test_a_sync_of_the_wrong_shape_says_what_is_wrong(session, user, change, message):
    dana = add_advisor(user)
    payload = {"advisor": dana.id, "key": "shape-test-1", "at": 1_700_000_000_000, **change}
    response = sync(session, payload)
    assert response.status_code == 400
    assert response.json["status"] == "refused"
    assert message in response.json["message"]
    assert Contact.select().count() == 0


@pytest.mark.parametrize("change, message", [
    ({"happened_on": "2026-02-30"}, "When: Enter a real date as YYYY-MM-DD (2026-02-30 does not exist)."),
    ({"happened_on": "1899-12-31"}, "When: Enter a date in 1900 or later"),
    ({"notes": "Lunch\x00"}, "Notes: Remove the control character U+0000"),
    ({"notes": "half \ud800 pair"}, "Notes: Remove the invalid character U+D800"),
    ({"kind": "telepathy"}, "How: Pick how you talked"),
])
def test_a_sync_the_log_form_refuses_says_which_field_and_what_to_fix(session, user, change,
                                                                     message):
    dana = add_advisor(user)
    payload = {"advisor": dana.id, "key": "field-test-1", "kind": "call",
               "happened_on": "2025-01-02", **change}
    response = sync(session, payload)
    assert response.status_code == 422
    assert response.json["message"].startswith(message)
    assert Contact.select().count() == 0


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,  # deeper than Python's parser can recurse
    '{"advisor": NaN, "key": "nan-test-1"}',
    '{"advisor": 1, "key": "x\x00',
])
def test_json_no_parser_can_read_is_refused_not_a_crash(session, user, body):
    response = session.client.post("/sync/contacts", data=body, content_type="application/json",
                                   headers={"X-CSRFToken": csrf_token(session)})
    assert response.status_code == 400
    assert response.json == {"status": "refused", "message": "Send the contact as a JSON object."}


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(session, user, app):
    token = csrf_token(session)
    huge = b'{"notes": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1) + b'"}'
    response = session.client.post("/sync/contacts", data=huge, content_type="application/json",
                                   headers={"X-CSRFToken": token})
    assert response.status_code == 413
    assert response.json["status"] == "refused"
    assert "more than the 1 MB that can be sent at once" in response.json["message"]
    page = session.client.post("/settings", data={"csrf_token": token, "timezone": "x" * huge.__len__()})
    assert page.status_code == 413
    assert "more than the 1 MB that can be sent at once" in page.get_data(as_text=True)
