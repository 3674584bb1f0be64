"""Property-based fuzzing of every form and JSON endpoint, signed in, with hypothesis.

Whatever a client sends (fields missing, repeated or unknown; text with NUL, control
characters and any Unicode; huge numbers; impossible dates; booleans; nested JSON; a bad
CSRF token; another account's advisor): the answer is never a 5xx, WTForms' own wording
never shows, refused input (4xx) changes no row, and the other account's rows never change.

`make test` runs the fast profile (a few examples per endpoint); `make fuzz` runs the long
one (HYPOTHESIS_PROFILE=long). The endpoint list comes from the app's URL map, so a new
route is fuzzed without being listed here; its form's field names are found by the form
class mapped below (unknown routes still get random fields).
"""
import io
import itertools
import json
import os
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisory import create_app, data_forms, forms, mail, reminder_forms
from advisory.database import db
from advisory.models import Advisor, Contact, Delivery, FeedToken, PushSubscription, User
from conftest import PASSWORD, add_advisor, close_database, make_user

# Module-scoped app and clients (built once, state checked per example): hypothesis runs
# many examples in one test call, which function-scoped fixtures would not reset anyway.
settings.register_profile("fast", max_examples=8, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=400, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

FORM_OF_ROUTE = {
    "/login": forms.LoginForm,
    "/setup": forms.SetupForm,
    "/advisors/new": forms.AdvisorForm,
    "/advisors/<int:advisor_id>/edit": forms.AdvisorForm,
    "/advisors/<int:advisor_id>/log": forms.ContactForm,
    "/advisors/<int:advisor_id>/spoke-today": forms.QuickLogForm,
    "/advisors/<int:advisor_id>/snooze": forms.SnoozeForm,
    "/advisors/<int:advisor_id>/unsnooze": forms.UnsnoozeForm,
    "/advisors/<int:advisor_id>/undo": forms.UndoForm,
    "/advisors/<int:advisor_id>/contacts/<int:contact_id>/edit": forms.ContactForm,
    "/settings": forms.SettingsForm,
    "/settings/password": forms.PasswordForm,
    "/calendar": forms.CalendarForm,
    "/settings/reminders": reminder_forms.ReminderForm,
    "/forgot": reminder_forms.ForgotForm,
    "/reset/<token>": reminder_forms.ResetForm,
    "/account/delete": data_forms.DeleteAccountForm,
    "/import/confirm": data_forms.ConfirmImportForm,
    "/import/vcard/add": data_forms.PeopleForm,
}
# Files that are, or nearly are, what the upload pages take.
EXPORT = {"format": "advisory", "version": 1, "account": {"timezone": "UTC", "digest": "off"},
          "advisors": [{"uid": "fuzz-1@advisory", "name": "Dana Reyes", "role": "insight",
                        "added_on": "2025-01-01", "notes": "Lunch",
                        "contacts": [{"happened_on": "2025-01-02", "kind": "call"}]}]}
VCARD = ["BEGIN:VCARD", "VERSION:3.0", "FN:Omar Haddad", "EMAIL;TYPE=HOME:omar@example.com",
         "TEL:+44 20 7946 0000", "ORG:Acme", "END:VCARD"]
SUBSCRIPTION = {"endpoint": "https://fcm.googleapis.com/fcm/send/ada-phone",
                "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22}}
# A valid submission per form, which each example mutates (fields kept, dropped or made
# garbage), so that nearly valid requests reach the code that writes.
ROLE_CADENCES = {role: "1m" for role in ("insight", "expertise", "perspective", "wisdom", "balance")}
VALID = {
    "/login": {"email": "ada@example.com", "password": "wrong password"},
    "/advisors/new": {"name": "Dana Reyes", "role": "insight", "stage": "active", "cadence": "1m",
                      "meeting_kind": "call"},
    "/advisors/<int:advisor_id>/log": {"happened_on": "2025-06-01", "kind": "call",
                                       "notes": "Lunch", "key": "abcdefgh-1234"},
    "/advisors/<int:advisor_id>/spoke-today": {"key": "abcdefgh-5678"},
    "/advisors/<int:advisor_id>/snooze": {"days": "7"},
    "/advisors/<int:advisor_id>/unsnooze": {"snoozed": "2026-06-01", "restore": ""},
    "/advisors/<int:advisor_id>/undo": {"contact": "1"},
    "/advisors/<int:advisor_id>/contacts/<int:contact_id>/edit": {"happened_on": "2025-06-01",
                                                                  "kind": "call", "notes": "Lunch"},
    "/settings": {"timezone": "UTC", "due_soon_days": "7", **ROLE_CADENCES},
    "/settings/password": {"current": "wrong password", "password": "new password 1",
                           "confirm": "new password 1"},
    "/calendar": {"alarm_on": "y", "alarm_time": "09:00"},
    "/settings/reminders": {"reminder_time": "07:30", "digest": "weekly", "digest_weekday": "2"},
    "/forgot": {"email": "ada@example.com"},
    # The same password again: a reset that goes through leaves the account usable.
    "/reset/<token>": {"password": PASSWORD, "confirm": PASSWORD},
    "/account/delete": {"password": "wrong password"},  # never the real one: the world stays
    "/import/confirm": {"document": data_forms.ConfirmImportForm.pack(json.dumps(EXPORT).encode()),
                        "settings": "y"},
    "/import/vcard/add": {"people": json.dumps([["Omar Haddad", "omar@example.com", "", "Acme"],
                                                ["Lena Park", "", "", ""]]),
                          "pick": "0", "role-0": "wisdom", "role-1": "balance"},
}
VALID["/advisors/<int:advisor_id>/edit"] = VALID["/advisors/new"]
FORM_POSTS = sorted({*FORM_OF_ROUTE, "/logout", "/calendar/rotate",
                     "/settings/devices/sign-out-others",
                     "/advisors/<int:advisor_id>/undo", "/advisors/<int:advisor_id>/delete",
                     "/push/subscriptions/<int:subscription_id>/delete", "/unsubscribe/<token>",
                     "/advisors/<int:advisor_id>/contacts/<int:contact_id>/delete"})
UPLOADS = ["/import", "/import/vcard"]
# JSON endpoints (method, rule) with a valid body; "mine" and the like name an advisor.
JSON_ENDPOINTS = {
    ("POST", "/push/subscriptions"): SUBSCRIPTION,
    ("DELETE", "/push/subscriptions"): {"endpoint": SUBSCRIPTION["endpoint"]},
    ("POST", "/push/snooze"): {"advisor": "mine"},
}
EXTRA_FIELDS = ["from", "next", "token", "page", "csrf_token", "role", "x\x00y", ""]
SYNC_FIELDS = ["advisor", "key", "at", "happened_on", "kind", "notes", "thanked", "account"]
WTFORMS_WORDS = re.compile(r"Not a valid|This field is required|Field cannot be longer|"
                           r"Field must be|Invalid (sync key|email|input|Choice)")

TRICKY = st.sampled_from([
    "", " ", "\x00", "Dana\x00Reyes", "\x1f", "\x7f", "\u0085", "\r\n", "\t", "line\nbreak",
    "2026-02-30", "2026-13-01", "0000-00-00", "0001-01-01", "1899-12-31", "9999-12-31",
    "2026-1-5", "-1", "0", "1", "7", "60", "366", "9" * 30, "9" * 5000, "1e400", "NaN", "3.5",
    "true", "false", "y", "on", "null", "custom", "days", "weeks", "months", "years", "call",
    "in_person", "insight", "balance", "active", "paused", "alumni", "UTC", "Europe/Paris",
    "Etc/../../x", "09:00", "25:61", "1m", "2w", "6m", "due", "a1b2c3d4-e5f6", "not a key!",
    "x" * 10_001, "\U0001F600" * 3000, "<script>alert(1)</script>", "%00", "\ufeff", "\u202e",
])
UNICODE = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
FORM_VALUE = st.one_of(TRICKY, UNICODE, st.integers().map(str))
FIELD_VALUE = st.one_of(FORM_VALUE, st.lists(FORM_VALUE, min_size=2, max_size=3))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), TRICKY, UNICODE,
                        st.floats(allow_nan=False, allow_infinity=False))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(UNICODE, inner, max_size=3)), max_leaves=8)
RAW_BODIES = st.sampled_from([
    b"", b"{", b"null", b"[]", b'"text"', b"[" * 50_000 + b"]" * 50_000,
    b'{"advisor": NaN}', b'{"at": Infinity}', b"\xff\xfe\x00", b'{"a": 1e999999}',
    b'{"advisor": ' + b"9" * 5000 + b"}",
])
TARGETS = st.sampled_from(["mine", "mine", "mine", "mine", "theirs", "missing", "huge"])
TARGET_NAMES = ("mine", "theirs", "missing", "huge")
CSRF = st.sampled_from(["valid", "valid", "valid", "valid", "valid", "missing", "garbage"])


class World:
    """The app, one signed-in account with an advisor, and another account's advisor."""

    def __init__(self, database_url: str):
        self.app = create_app({
            "TESTING": True, "SECRET_KEY": "fuzz-secret", "DATABASE_URL": database_url,
            "BASE_URL": "http://advisory.test", "LOGIN_RATE_LIMIT": "100000 per minute",
            "RESET_RATE_LIMIT": "100000 per minute",
            # Email on, so the digest and password reset are reachable (requests only queue).
            "MAIL_SERVER": "127.0.0.1",
        })
        self.user = make_user("ada@example.com")
        other = make_user("grace@example.com")
        self.theirs = add_advisor(other, name="Private Person", notes="secret")
        self.theirs.log_contact(happened_on=other.today() - timedelta(days=3), kind="call")
        self.their_device = PushSubscription.store(other, "https://fcm.googleapis.com/fcm/send/"
                                                   "grace", "B" + "A" * 86, "A" * 22, "Phone")
        self.other_id = other.id
        self.forgetful = make_user("reset@example.com")  # whose password the reset page sets
        self.fields = {route: self.field_names(form) for route, form in FORM_OF_ROUTE.items()}
        self.sign_in()

    def field_names(self, form_class) -> list[str]:
        with self.app.test_request_context():
            return [field.name for field in form_class(meta={"csrf": False})]

    def sign_in(self) -> None:
        self.client = self.app.test_client()
        self.client.post("/login", data={"email": self.user.email, "password": PASSWORD,
                                         "csrf_token": self.token("/login")})
        self.csrf = self.token("/settings")

    def token(self, path) -> str:
        html = self.client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def mine(self) -> Advisor:
        """The account's advisor, added again if an example deleted it."""
        return (Advisor.get_or_none(Advisor.user == self.user.id)
                or add_advisor(User.get_by_id(self.user.id), name="Dana Reyes"))

    def my_device(self) -> PushSubscription:
        """The account's push subscription, added again if an example removed it."""
        return (PushSubscription.get_or_none(PushSubscription.user == self.user.id)
                or PushSubscription.store(self.user.id, SUBSCRIPTION["endpoint"],
                                          SUBSCRIPTION["keys"]["p256dh"],
                                          SUBSCRIPTION["keys"]["auth"], "Laptop"))

    def advisor_id(self, target: str) -> int:
        return {"mine": lambda: self.mine().id, "theirs": lambda: self.theirs.id,
                "missing": lambda: 987654, "huge": lambda: 10 ** 30}[target]()

    def subscription_id(self, target: str) -> int:
        return {"mine": lambda: self.my_device().id, "theirs": lambda: self.their_device.id,
                "missing": lambda: 987654, "huge": lambda: 10 ** 30}[target]()

    def url_token(self, rule: str, target: str) -> str:
        """A valid token for "mine" (a fresh reset link, the digest's unsubscribe link),
        else a forged or malformed one: another account's valid link is its own business."""
        with self.app.app_context():
            valid = (mail.reset_token(User.get_by_id(self.forgetful.id)) if "reset" in rule
                     else mail.unsubscribe_token(self.user))
        return {"mine": valid, "theirs": valid[:-2] + "xx", "missing": "x",
                "huge": "A" * 5000}[target]

    def url(self, rule: str, target: str) -> str:
        """`rule` with its parts filled for `target` (call before check() takes its snapshot)."""
        url = rule.replace("<int:advisor_id>", str(self.advisor_id(target)))
        url = url.replace("<int:subscription_id>", str(self.subscription_id(target)))
        url = url.replace("<int:contact_id>", "1")  # the other account's contact
        return url.replace("<token>", self.url_token(rule, target)) if "<token>" in url else url

    def write_rules(self) -> set[tuple[str, str]]:
        """(method, rule) of every route that may change something."""
        return {(method, rule.rule) for rule in self.app.url_map.iter_rules()
                for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}

    def get_rules(self) -> list[str]:
        return sorted(rule.rule for rule in self.app.url_map.iter_rules()
                      if "GET" in rule.methods and rule.endpoint != "static")


def every_row() -> dict:
    """Every row of every table, to compare before and after a refused request."""
    database = db.database
    return {table: sorted(map(repr, database.execute_sql(f'SELECT * FROM "{table}"').fetchall()))
            for table in database.get_tables()}


def rows_of(user_id: int) -> list:
    """The other account's rows: never changed by this one, whatever it sends."""
    return [list(User.select().where(User.id == user_id).dicts()),
            list(Advisor.select().where(Advisor.user == user_id).dicts()),
            list(Contact.select().join(Advisor).where(Advisor.user == user_id).dicts()),
            list(FeedToken.select().where(FeedToken.user == user_id).dicts()),
            list(PushSubscription.select().where(PushSubscription.user == user_id).dicts()),
            list(Delivery.select().where(Delivery.user == user_id).dicts())]


@pytest.fixture(scope="module")
def world(databases):
    """One world for the module, on a database of this run (SQLite or PostgreSQL)."""
    url = databases.create(migrated=True)
    world = World(url)
    yield world
    close_database(world.app.config["DATABASE"])
    databases.drop(url)


def check(world: World, send) -> None:
    """Send one request and hold the app to the properties in this module's docstring."""
    before, theirs_before = every_row(), rows_of(world.other_id)
    response = send()
    body = response.get_data().decode(errors="replace")  # an icon is not UTF-8
    response.close()  # a file response (favicon) keeps its file open until closed
    assert response.status_code < 500, body[:2000]
    assert not WTFORMS_WORDS.search(body), WTFORMS_WORDS.search(body).group(0)
    if 400 <= response.status_code < 500:
        assert every_row() == before, f"a refused request ({response.status_code}) changed rows"
    assert rows_of(world.other_id) == theirs_before, "another account's rows changed"
    location = response.headers.get("Location", "")
    if response.status_code == 401 or location.startswith("/login") or "_user_id" not in (
            world.client.get_cookie("session") and session_of(world) or {}):
        world.sign_in()  # signed out by the example (logout, or a password change)


def session_of(world: World) -> dict:
    with world.client.session_transaction() as session:
        return dict(session)


def headers(world: World, csrf: str, htmx: bool) -> dict:
    token = {"valid": world.csrf, "missing": None, "garbage": "x" * 40}[csrf]
    return {**({"X-CSRFToken": token} if token else {}),
            **({"HX-Request": "true", "HX-Request-Type": "partial"} if htmx else {})}


@st.composite
def form_posts(draw, world: World, rule: str):
    """A POST to `rule` in any encoding: a valid submission with fields broken."""
    names = list(dict.fromkeys([*world.fields.get(rule, []), *VALID.get(rule, {}), *EXTRA_FIELDS]))
    # One field broken for sure (dropped or garbage), sometimes others too; the rest valid.
    broken, how = draw(st.sampled_from(names)), draw(st.sampled_from(["drop", "garbage"]))
    more = draw(st.booleans())
    fields = {}
    for name in names:
        change = how if name == broken else "keep"
        if more and name != broken:
            change = draw(st.sampled_from(["keep", "keep", "keep", "drop", "garbage"]))
        if change == "garbage":
            fields[name] = draw(FIELD_VALUE)
        elif change == "keep" and name in VALID.get(rule, {}):
            fields[name] = VALID[rule][name]
    encoding = draw(st.sampled_from(["form", "form", "form", "multipart", "json"]))
    if encoding == "json":
        fields = draw(st.one_of(
            st.fixed_dictionaries({}, optional={name: JSON_VALUE for name in names}), JSON_VALUE))
    return rule, fields, encoding, draw(TARGETS), draw(CSRF), draw(st.booleans())


@pytest.mark.parametrize("rule", FORM_POSTS)
@given(data=st.data())
def test_no_form_post_is_a_server_error_or_a_silent_change(world, rule, data):
    rule, fields, encoding, target, csrf, htmx = data.draw(form_posts(world, rule))
    url = world.url(rule, target)
    if rule == "/setup":
        url += "?token=" + data.draw(FORM_VALUE)
    kwargs = {"headers": headers(world, csrf, htmx)}
    if encoding == "json":
        kwargs["json"] = fields
    else:
        token = {"csrf_token": world.csrf} if csrf == "valid" and "csrf_token" not in fields else {}
        kwargs["data"] = {**fields, **token}
        if encoding == "multipart":
            kwargs["content_type"] = "multipart/form-data"
    check(world, lambda: world.client.post(url, **kwargs))


SWEEP = [None, "\x00", "2026-02-30", "9" * 30, "Zoë"]


@pytest.mark.parametrize("rule", FORM_POSTS)
def test_each_field_missing_or_tricky_alone_is_never_a_server_error(world, rule):
    """The systematic half: a valid submission with one field missing (None) or set to
    each tricky value in turn, for every field of every form."""
    for name, value in itertools.product(world.fields.get(rule, ["from"]), SWEEP):
        fields = {**VALID.get(rule, {}), name: value, "csrf_token": world.csrf}
        fields = {key: value for key, value in fields.items() if value is not None}
        target = world.url(rule, "mine")  # before check() takes its snapshot
        check(world, lambda: world.client.post(target, data=fields))


@given(payload=st.one_of(
    st.fixed_dictionaries({}, optional={name: JSON_VALUE for name in SYNC_FIELDS}),
    st.fixed_dictionaries({"advisor": TARGETS, "key": st.one_of(TRICKY, UNICODE)},
                          optional={name: JSON_VALUE for name in SYNC_FIELDS[2:]}),
    JSON_VALUE, RAW_BODIES), csrf=CSRF)
def test_no_sync_request_is_a_server_error_or_a_silent_change(world, payload, csrf):
    if isinstance(payload, dict) and payload.get("advisor") in ("mine", "theirs", "missing", "huge"):
        payload = {**payload, "advisor": world.advisor_id(payload["advisor"])}
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    check(world, lambda: world.client.post("/sync/contacts", data=body,
                                           content_type="application/json",
                                           headers=headers(world, csrf, False)))


@st.composite
def json_bodies(draw, valid):
    """A JSON body: the valid one with members kept, dropped or garbage (nested objects
    too), or any JSON value, or bytes that are not JSON at all."""
    shape = draw(st.sampled_from(["valid", "mutated", "mutated", "mutated", "any", "raw"]))
    if shape == "valid":
        return valid
    if shape == "any":
        return draw(JSON_VALUE)
    if shape == "raw":
        return draw(RAW_BODIES)

    def mutated(value):
        if not isinstance(value, dict):
            return value
        body = {}
        for name, member in value.items():
            change = draw(st.sampled_from(["keep", "keep", "keep", "drop", "garbage"]))
            if change == "garbage":
                body[name] = draw(st.one_of(JSON_VALUE, TRICKY))
            elif change == "keep":
                body[name] = mutated(member)
        unknown = st.sampled_from([name for name in SYNC_FIELDS if name not in value])
        return {**body, **draw(st.dictionaries(unknown, JSON_VALUE, max_size=2))}
    return mutated(valid)


@pytest.mark.parametrize("method, rule", sorted(JSON_ENDPOINTS))
@given(data=st.data())
def test_no_json_request_is_a_server_error_or_a_silent_change(world, method, rule, data):
    payload, csrf = data.draw(json_bodies(JSON_ENDPOINTS[method, rule])), data.draw(CSRF)
    if isinstance(payload, dict) and payload.get("advisor") in TARGET_NAMES:
        payload = {**payload, "advisor": world.advisor_id(payload["advisor"])}
    if method == "DELETE":
        world.my_device()  # something to remove
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    check(world, lambda: world.client.open(rule, method=method, data=body,
                                           content_type="application/json",
                                           headers=headers(world, csrf, False)))


@st.composite
def files(draw):
    """An upload's bytes: an export or a vCard, whole or with a part made garbage, or
    anything at all."""
    kind = draw(st.sampled_from(["export", "export", "vcard", "vcard", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "vcard":
        lines = list(VCARD) * draw(st.integers(1, 3))
        if draw(st.booleans()):
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = draw(st.sampled_from([lines[index], "FN:", "EMAIL:", ""])) + \
                draw(st.one_of(TRICKY, UNICODE))
        return "\r\n".join(lines).encode(draw(st.sampled_from(["utf-8", "utf-16"])))
    document = json.loads(json.dumps(EXPORT))
    parts = [document, document["account"], document["advisors"][0],
             document["advisors"][0]["contacts"][0]]
    if draw(st.booleans()):
        part = draw(st.sampled_from(parts))
        part[draw(st.sampled_from([*part, "extra"]))] = draw(st.one_of(JSON_VALUE, TRICKY))
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


@pytest.mark.parametrize("rule", UPLOADS)
@given(contents=files(), name=st.sampled_from(["export.json", "contacts.vcf", "", "a\x00.vcf"]),
       extra=st.dictionaries(st.sampled_from(EXTRA_FIELDS), FORM_VALUE, max_size=2),
       csrf=CSRF, htmx=st.booleans())
def test_no_upload_is_a_server_error_or_a_silent_change(world, rule, contents, name, extra,
                                                        csrf, htmx):
    fields = {**extra, "file": (io.BytesIO(contents), name)}
    if csrf == "valid" and "csrf_token" not in extra:
        fields["csrf_token"] = world.csrf
    check(world, lambda: world.client.post(rule, data=fields, content_type="multipart/form-data",
                                           headers=headers(world, csrf, htmx)))


@given(data=st.data())
def test_no_page_is_a_server_error_whatever_its_query(world, data):
    rule = data.draw(st.sampled_from(world.get_rules()))
    url = rule.replace("<int:advisor_id>", str(world.advisor_id(data.draw(TARGETS))))
    url = url.replace("<int:contact_id>", "1").replace("<token>", data.draw(st.sampled_from(["x", "A" * 43, "%00", "..%2f"])))
    url = url.replace("<any(advisors, contacts):table>", data.draw(st.sampled_from(
        ["advisors", "contacts", "users"])))
    query = data.draw(st.dictionaries(st.sampled_from(["page", "next", "token", "role", "page"]),
                                      FORM_VALUE, max_size=2))
    htmx = data.draw(st.booleans())
    check(world, lambda: world.client.get(url, query_string=query,
                                          headers=headers(world, "missing", htmx)))


def test_the_fuzzing_reaches_every_form_and_json_endpoint(world):
    """Every route that may change something is fuzzed, those with a form with its own
    field names: a new route fails here until it is added to FORM_POSTS (and its form to
    FORM_OF_ROUTE and VALID), UPLOADS or JSON_ENDPOINTS."""
    fuzzed = {("POST", rule) for rule in [*FORM_POSTS, *UPLOADS, "/sync/contacts"]}
    assert world.write_rules() == fuzzed | set(JSON_ENDPOINTS)
    assert "notes" in world.fields["/advisors/<int:advisor_id>/log"]
    assert set(VALID) <= set(FORM_OF_ROUTE) and set(FORM_OF_ROUTE) - set(VALID) == {"/setup"}
