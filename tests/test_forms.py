"""Rules every form follows (advisory/base_form.py), checked on every form of the app."""
import importlib
import inspect
import io
import itertools
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField

import advisory
from advisory.base_form import OWN_WORDS, Form, TodayAware
from advisory.models import Advisor, Contact
from support import PASSWORD, add_advisor


def app_forms() -> list[type]:
    """Every form class defined in the app's modules, whatever it inherits."""
    found = []
    for module_info in pkgutil.walk_packages(advisory.__path__, "advisory."):
        module = importlib.import_module(module_info.name)
        found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__
                  and cls is not Form]
    return sorted(found, key=lambda cls: cls.__name__)


ALL_FORMS = app_forms()
WTFORMS_WORDS = ("Not a valid", "This field", "Field ", "Invalid", "Number must", "CSRF")


def bound(app, form_class, data):
    """`form_class` filled from a POST of `data`, as a view would build it."""
    with app.test_request_context(method="POST", data=data):
        form = form_class(meta={"csrf": False}, today=None) if issubclass(
            form_class, TodayAware) else form_class(meta={"csrf": False})
        form.validate()
        return form


def text_fields(app, form_class):
    form = bound(app, form_class, {})
    return [f for f in form if isinstance(f, StringField) and f.name != "key"]


def test_every_form_is_checked():
    assert {cls.__name__ for cls in ALL_FORMS} >= {
        "LoginForm", "SetupForm", "PasswordForm", "AdvisorForm", "ContactForm", "QuickLogForm",
        "SnoozeForm", "SettingsForm", "CalendarForm", "ReminderForm", "ForgotForm", "ResetForm",
        "UploadForm", "ConfirmImportForm", "PeopleForm", "DeleteAccountForm"}


@pytest.mark.parametrize("form_class", ALL_FORMS, ids=lambda c: c.__name__)
def test_every_form_inherits_the_base_form(form_class):
    """So the filters, refusals and messages above hold for it too."""
    assert issubclass(form_class, Form)


@pytest.mark.parametrize("form_class", ALL_FORMS, ids=lambda c: c.__name__)
def test_a_text_field_that_was_not_sent_is_empty_text(app, form_class):
    form = bound(app, form_class, {})
    assert all(f.data == "" for f in form if isinstance(f, StringField))


@pytest.mark.parametrize("form_class", ALL_FORMS, ids=lambda c: c.__name__)
def test_every_text_field_refuses_a_nul_and_says_what_to_fix(app, form_class):
    for field in text_fields(app, form_class):
        form = bound(app, form_class, {field.name: "Dana\x00Reyes"})
        assert form[field.name].errors == [
            "Remove the control character U+0000: it cannot be saved in this field."], field.name


@pytest.mark.parametrize("form_class", ALL_FORMS, ids=lambda c: c.__name__)
def test_line_breaks_and_tabs_only_in_multi_line_fields(app, form_class):
    for field in text_fields(app, form_class):
        form = bound(app, form_class, {field.name: "first line\r\n\tsecond"})
        if isinstance(field, TextAreaField):
            assert form[field.name].errors == [], field.name
        else:
            assert form[field.name].errors == [
                "Remove the line break: it cannot be saved in this field."], field.name


@pytest.mark.parametrize("form_class", ALL_FORMS, ids=lambda c: c.__name__)
def test_no_wtforms_wording_reaches_a_person(app, form_class):
    """Every field, given each kind of nonsense, answers in the app's own words."""
    names = [f.name for f in bound(app, form_class, {})]
    nonsense = ["", " ", "nonsense", "2026-02-30", "9" * 40, "-1", "\x01", "y" * 300]
    for name, value in itertools.product(names, nonsense):
        form = bound(app, form_class, {name: value})
        for message in itertools.chain.from_iterable(form.errors.values()):
            assert not message.startswith(WTFORMS_WORDS), (name, value, message)
            assert message not in OWN_WORDS, (name, value, message)


def test_dates_before_1900_are_refused_with_a_message(app):
    for form_class in ALL_FORMS:
        for field in bound(app, form_class, {}):
            if isinstance(field, DateField):
                form = bound(app, form_class, {field.name: "1899-12-31"})
                assert "Enter a date in 1900 or later, as YYYY-MM-DD." in form[field.name].errors


def test_an_impossible_date_says_it_does_not_exist(session, user):
    dana = add_advisor(user)
    response = session.post(f"/advisors/{dana.id}/log", {"happened_on": "2026-02-30",
                                                         "kind": "call"})
    assert response.status_code == 422
    assert "Enter a real date as YYYY-MM-DD (2026-02-30 does not exist)." in response.text
    assert Contact.select().count() == 0


def test_a_log_form_without_notes_is_logged(session, user):
    dana = add_advisor(user)
    response = session.post(f"/advisors/{dana.id}/log", {"happened_on": str(user.today()),
                                                         "kind": "call"})
    assert response.status_code == 303
    assert Contact.get().notes == ""


def test_a_nul_in_a_name_is_refused_with_422_and_nothing_saved(session, user):
    response = session.post("/advisors/new", {"name": "Dana\x00", "role": "insight",
                                              "stage": "active", "cadence": "1m",
                                              "meeting_kind": "call"})
    assert response.status_code == 422
    assert "Name: Remove the control character U+0000" in response.text
    assert Advisor.select().count() == 0


@pytest.mark.parametrize("action", ["log", "spoke-today"])
def test_a_malformed_sync_key_is_dropped_not_blamed_on_the_person(session, user, action):
    dana = add_advisor(user)
    fields = {"key": "not a key!", "happened_on": str(user.today()), "kind": "call"}
    response = session.post(f"/advisors/{dana.id}/{action}", fields)
    assert response.status_code == 303
    assert "Key:" not in response.text
    assert Contact.get().idempotency_key is None


def test_a_form_posted_as_nested_json_is_a_form_error_not_a_crash(session, user):
    session.post("/settings")  # fetch the CSRF token
    response = session.client.post("/advisors/new", json={"name": {"first": ["Dana"]}, "role": 3},
                                   headers={"X-CSRFToken": session.token})
    assert response.status_code == 422
    assert "Enter their name." in response.text
    assert Advisor.select().count() == 0


def test_a_file_sent_in_place_of_notes_is_ignored(session, user):
    dana = add_advisor(user)
    response = session.post(f"/advisors/{dana.id}/log", {
        "happened_on": str(user.today()), "kind": "call",
        "notes": (io.BytesIO(b"\x00\x01binary"), "notes.bin")})
    assert response.status_code == 303
    assert Contact.get().notes == ""


def test_a_file_sent_in_place_of_a_password_is_ignored(session, user):
    response = session.post("/account/delete", {"password": (io.BytesIO(PASSWORD.encode()), "p")},
                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Enter your password to delete your account." in response.get_data(as_text=True)


def test_a_file_field_reads_the_upload_and_only_the_upload(app):
    from advisory.data.forms import UploadForm
    with app.test_request_context(method="POST", data={"file": (io.BytesIO(b"{}"), "a.json")}):
        form = UploadForm(meta={"csrf": False})
        assert form.validate() and form.file.data.read() == b"{}"
    with app.test_request_context(method="POST", data={"file": "just text"}):
        form = UploadForm(meta={"csrf": False})
        assert not form.validate() and form.file.errors == ["Choose a file to import."]
