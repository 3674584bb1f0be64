"""The forms of accounts: signing in, set-up, passwords, settings."""
import gzip
from functools import cache
from pathlib import Path

from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField
from wtforms.validators import (
    AnyOf, Email, EqualTo, InputRequired, Length, NumberRange, Optional, ValidationError,
)

from advisory.base_form import PRESET_CHOICES, Form, offer_zones, one_of, timezone_field
from advisory.core.vocabulary import REVIEW_PERIODS, ROLES, choices

MIN_PASSWORD = 12  # OWASP ASVS level 1


@cache
def common_passwords() -> frozenset[str]:
    """Django's list of 20,000 common and breached passwords (BSD licence), bundled."""
    with gzip.open(Path(__file__).with_name("common-passwords.txt.gz"), "rt") as lines:
        return frozenset(line.strip() for line in lines)


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, in words that say what to do, or None."""
    if not MIN_PASSWORD <= len(password) <= 200:
        return f"Use between {MIN_PASSWORD} and 200 characters; a few words make a good one."
    if password.casefold() in common_passwords() or len(set(password)) < 4:
        return "That password is one of the most common ones. Choose one that is yours alone."
    return None


def new_password(form, field):
    if problem := password_problem(field.data or ""):
        raise ValidationError(problem)


class LoginForm(Form):
    email = EmailField("Email", validators=[InputRequired("Enter your email."), Length(max=254)],
                       render_kw={"autofocus": True, "autocomplete": "username"})
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device", default=True)


class PasswordFields:
    """The new-password pair shared by set-up and change-password forms."""
    password = PasswordField("Password", validators=[
        InputRequired("Choose a password."), new_password],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD},
        description=f"At least {MIN_PASSWORD} characters, not a common password; a few words "
                    "make a good one.")
    confirm = PasswordField("Repeat the password", validators=[
        InputRequired("Repeat the password."),
        EqualTo("password", message="The two passwords differ.")])


class SetupForm(PasswordFields, Form):
    email = EmailField("Email", validators=[
        InputRequired("Enter your email."), Length(max=254),
        Email("Enter an email address like name@example.com.")])
    timezone = timezone_field(default="UTC", render_kw={"data-browser-timezone": "1"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_zones(self.timezone)


class PasswordForm(PasswordFields, Form):
    current = PasswordField("Current password",
                            validators=[InputRequired("Enter your current password.")],
                            render_kw={"autocomplete": "current-password"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.label.text = "New password"


def role_cadence(role: str) -> SelectField:
    """The default-cadence picker for one role on the settings page."""
    return SelectField(ROLES[role].name, choices=PRESET_CHOICES, validate_choice=False,
                       validators=one_of(PRESET_CHOICES, "Pick one of the listed cadences."))


class SettingsForm(Form):
    timezone = timezone_field()
    due_soon_days = IntegerField("“Due this week” looks ahead (days)",
                                 invalid_value_message="Enter a whole number of days, from 0 to 60.",
                                 validators=[
        InputRequired("Enter a number of days."),
        NumberRange(0, 60, "Use 0 to 60 days.")])
    messages_count = BooleanField("A message counts as keeping in touch")
    # Left out of a post (an older page): the account keeps its choice.
    review_every = SelectField("Board review", choices=choices(REVIEW_PERIODS),
                               validate_choice=False, validators=[
        Optional(), AnyOf(list(REVIEW_PERIODS), message="Pick how often to review.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_zones(self.timezone)

    @classmethod
    def for_roles(cls, *args, **kwargs) -> "SettingsForm":
        """The form with a default-cadence field per role of ROLES, named by its key."""
        return _with_roles(tuple(ROLES))(*args, **kwargs)

    def role_fields(self):
        return [self[key] for key in ROLES]


@cache
def _with_roles(keys: tuple[str, ...]) -> type[SettingsForm]:
    return type("SettingsForm", (SettingsForm,), {key: role_cadence(key) for key in keys})


class ForgotForm(Form):
    email = EmailField("Email", validators=[
        InputRequired("Enter your email."), Length(max=254),
        Email("Enter an email address like name@example.com.")])


class ResetForm(PasswordFields, Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.label.text = "New password"
