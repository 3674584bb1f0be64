"""One form class per form; every message says what to fix."""
import gzip
import re
from datetime import time
from functools import cache
from pathlib import Path

from wtforms import (
    BooleanField, DateField, EmailField, HiddenField, IntegerField, PasswordField,
    RadioField, SelectField, StringField, TextAreaField, TimeField,
)
from wtforms.validators import (
    AnyOf, Email, EqualTo, InputRequired, Length, NumberRange, Optional, ValidationError,
)

from . import snoozing
from .base_form import Form
from .cadence import KINDS, PRESETS, STAGES, UNITS, Cadence, all_timezones, is_timezone
from .calendar_feed import STYLES as CALENDAR_STYLES
from .roles import ROLES

CUSTOM = "custom"
PRESET_CHOICES = {c.code(): c.label() for c in PRESETS}
CADENCE_CHOICES = {**PRESET_CHOICES, CUSTOM: "Custom…"}
UNIT_CHOICES = {unit: unit for unit in UNITS}
ROLE_CHOICES = {role.key: role.name for role in ROLES.values()}
DATE_MESSAGE = "Enter a date as YYYY-MM-DD."
SYNC_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")


def sync_key_or_empty(value):
    """A well-formed idempotency key, else "": the log is then stored as one without a key.

    The key is a hidden field the person can neither see nor fix, so a malformed one is
    dropped rather than refused; only a crafted request sends one.
    """
    return value if isinstance(value, str) and SYNC_KEY.fullmatch(value) else ""


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


def one_of(choices, message: str) -> list:
    """Validators for a choice field whose refusal says what to pick."""
    return [InputRequired(message), AnyOf(list(choices), message=message)]


def valid_timezone(form, field):
    if not is_timezone(field.data or ""):
        raise ValidationError("Pick a time zone from the list, such as Europe/Paris.")


def timezone_choices():
    return {name: name.replace("_", " ") for name in all_timezones()}


class TodayAware(Form):
    """A form that knows today's date in the account's time zone."""

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def not_in_future(self, field):
        if field.data and self.today and field.data > self.today:
            raise ValidationError("That date is in the future; pick today or earlier.")


class LoginForm(Form):
    email = EmailField("Email", validators=[InputRequired("Enter your email."), Length(max=254)],
                       render_kw={"autofocus": True, "autocomplete": "username"})
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device", default=True)


class PasswordFields:
    """The new-password pair shared by set-up and change-password forms."""
    password = PasswordField("Password", validators=[
        InputRequired("Choose a password."), new_password],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD})
    confirm = PasswordField("Repeat the password", validators=[
        InputRequired("Repeat the password."),
        EqualTo("password", message="The two passwords differ.")])


class SetupForm(PasswordFields, Form):
    email = EmailField("Email", validators=[
        InputRequired("Enter your email."), Length(max=254),
        Email("Enter an email address like name@example.com.")])
    timezone = SelectField("Time zone", default="UTC", validate_choice=False,
                           validators=[valid_timezone], render_kw={"data-browser-timezone": "1"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class PasswordForm(PasswordFields, Form):
    current = PasswordField("Current password", validators=[
        InputRequired("Enter your current password.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.label.text = "New password"


class CadenceFields:
    """A preset cadence, or a custom number of days, weeks or months."""
    cadence = SelectField("How often", choices=CADENCE_CHOICES, default="1m", validate_choice=False,
                          validators=one_of(CADENCE_CHOICES, "Pick how often to keep in touch."))
    cadence_count = IntegerField("Every", validators=[Optional()],
                                 invalid_value_message="Enter a whole number, such as 3.",
                                 render_kw={"min": 1, "max": 731, "inputmode": "numeric"})
    cadence_unit = SelectField("Unit", choices=UNIT_CHOICES, default="weeks", validate_choice=False)

    def validate_cadence(self, field):
        if field.data == CUSTOM:
            message = Cadence.validate(self.cadence_count.data, self.cadence_unit.data)
            if message:
                raise ValidationError(message)

    def chosen_cadence(self) -> Cadence:
        if self.cadence.data == CUSTOM:
            return Cadence(self.cadence_count.data, self.cadence_unit.data)
        return Cadence.parse(self.cadence.data)

    def show_cadence(self, value: Cadence) -> None:
        if value.code() in PRESET_CHOICES:
            self.cadence.data = value.code()
        else:
            self.cadence.data = CUSTOM
            self.cadence_count.data, self.cadence_unit.data = value.count, value.unit


class AdvisorForm(CadenceFields, TodayAware):
    name = StringField("Name", validators=[
        InputRequired("Enter their name."),
        Length(max=120, message="Keep the name under 120 characters.")])
    role = RadioField("Role on your board", choices=ROLE_CHOICES, validate_choice=False,
                      validators=one_of(ROLE_CHOICES, "Pick the one role they play."))
    stage = SelectField("Stage", choices=STAGES, default="active", validate_choice=False,
                        validators=one_of(STAGES, "Pick a stage: prospect, active, paused or alumni."))
    paused_until = DateField("Paused until", validators=[Optional()],
                             render_kw={"placeholder": "YYYY-MM-DD"})
    email = EmailField("Email", validators=[
        Optional(), Length(max=254), Email("Enter an email address like name@example.com.")])
    phone = StringField("Phone", validators=[Length(max=40)], render_kw={"inputmode": "tel"})
    organisation = StringField("Organisation", validators=[Length(max=120)])
    why = TextAreaField("Why they are on your board", validators=[Length(max=2000)])
    offer = TextAreaField("What you can offer them", validators=[Length(max=2000)])
    meeting_style = StringField("Meeting style", validators=[Length(max=200)],
                                render_kw={"placeholder": "Coffee, a walk, a call with questions…"})
    meeting_kind = SelectField("Usual way you talk", choices=KINDS, default="call",
                               validate_choice=False,
                               validators=one_of(KINDS, "Pick in person, call, video or message."))
    horizon = StringField("How long you expect it to last", validators=[Length(max=120)],
                          render_kw={"placeholder": "A year, while I am in this role…"})
    agenda = TextAreaField("Next time", validators=[Length(max=4000)],
                           render_kw={"placeholder": "Topics, questions, homework you promised"})
    notes = TextAreaField("Notes", validators=[Length(max=10000)])
    last_spoke_on = DateField("Last spoke on", validators=[Optional()],
                              render_kw={"placeholder": "YYYY-MM-DD"})

    def validate_paused_until(self, field):
        if self.stage.data == "paused" and field.data and self.today and field.data <= self.today:
            raise ValidationError("Pick a date after today, or leave it empty to pause indefinitely.")

    def validate_last_spoke_on(self, field):
        self.not_in_future(field)


class ContactForm(TodayAware):
    happened_on = DateField("When", validators=[InputRequired(DATE_MESSAGE)])
    kind = RadioField("How", choices=KINDS, default="call", validate_choice=False,
                      validators=one_of(KINDS, "Pick how you talked: in person, call, video or message."))
    notes = TextAreaField("Notes", validators=[Length(max=10000)])
    thanked = BooleanField("I thanked them")
    key = HiddenField(filters=[sync_key_or_empty])

    def validate_happened_on(self, field):
        self.not_in_future(field)


class QuickLogForm(Form):
    key = HiddenField(filters=[sync_key_or_empty])


class SnoozeForm(TodayAware):
    days = IntegerField(
        validators=[Optional(), NumberRange(1, snoozing.MAX_DAYS,
                                            f"Snooze for 1 to {snoozing.MAX_DAYS} days.")],
        invalid_value_message=f"Enter a whole number of days, from 1 to {snoozing.MAX_DAYS}.")
    skip = BooleanField()  # "Skip this time": one cadence past the due date
    until = DateField("Until", validators=[Optional()])

    def __init__(self, *args, due=None, cadence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.due, self.cadence = due, cadence

    def validate_until(self, field):
        if self.days.data or self.skip.data:  # a tapped choice wins; the date beside it is ignored
            return
        if field.data and self.today:
            message = snoozing.problem(field.data, self.due or self.today, self.today)
            if message:
                raise ValidationError(message)

    def snooze_date(self):
        """The tapped choice wins over a date typed alongside it; a number of days counts
        from the due date while it lies ahead, so a snooze never brings it earlier."""
        due = self.due or self.today
        if self.skip.data and self.cadence:
            return self.cadence.after(snoozing.start(due, self.today))
        if self.days.data:
            return snoozing.until(due, self.today, self.days.data)
        return self.until.data


class UnsnoozeForm(Form):
    """Ending a snooze; undoing one also names it and the snooze it replaced."""
    snoozed = DateField(validators=[Optional()])
    restore = DateField(validators=[Optional()])


class UndoForm(Form):
    contact = IntegerField(validators=[Optional(), NumberRange(1, 2**63 - 1)])


def role_cadence(role: str) -> SelectField:
    """The default-cadence picker for one role on the settings page."""
    return SelectField(ROLES[role].name, choices=PRESET_CHOICES, validate_choice=False,
                       validators=one_of(PRESET_CHOICES, "Pick one of the listed cadences."))


class SettingsForm(Form):
    timezone = SelectField("Time zone", validate_choice=False, validators=[valid_timezone])
    due_soon_days = IntegerField("“Due this week” looks ahead (days)",
                                 invalid_value_message="Enter a whole number of days, from 0 to 60.",
                                 validators=[
        InputRequired("Enter a number of days."),
        NumberRange(0, 60, "Use 0 to 60 days.")])
    messages_count = BooleanField("A message counts as keeping in touch")
    insight = role_cadence("insight")
    expertise = role_cadence("expertise")
    perspective = role_cadence("perspective")
    wisdom = role_cadence("wisdom")
    balance = role_cadence("balance")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()

    def role_fields(self):
        return [self[key] for key in ROLES]


class CalendarForm(Form):
    """What the private calendar feed carries: details, and an alarm on the day."""
    include_details = BooleanField("Include agendas and notes")
    alarm_on = BooleanField("Add an alarm on the day")
    alarm_time = TimeField("Alarm time", validators=[Optional()], default=time(9, 0),
                           invalid_value_message="Enter a time like 09:00.")
    # Optional: a form posted without it (an older page) keeps the account's choice.
    calendar_style = RadioField("Events", choices=CALENDAR_STYLES, validate_choice=False,
                                validators=[Optional(), AnyOf(list(CALENDAR_STYLES),
                                                              message="Pick one of the two.")])

    def validate(self, extra_validators=None):
        # Here, not in validate_alarm_time: Optional() stops an empty field's own checks.
        valid = super().validate(extra_validators)
        if valid and self.alarm_on.data and self.alarm_time.data is None:
            self.alarm_time.errors.append("Enter a time like 09:00, or turn the alarm off.")
            return False
        return valid

    def alarm(self) -> str | None:
        """The alarm as stored on the account: "HH:MM", or None for no alarm."""
        return f"{self.alarm_time.data:%H:%M}" if self.alarm_on.data else None
