"""The forms of the board: advisors, contacts, snoozes."""
import re
from datetime import timedelta

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from advisory.base_form import DATE_MESSAGE, PRESET_CHOICES, Form, TodayAware, one_of
from advisory.core import snoozing
from advisory.core.cadence import MAX_DAYS, UNITS, Cadence
from advisory.core.vocabulary import KINDS, LIMITS, ROLES, STAGES, choices, spoken

CUSTOM = "custom"
CADENCE_CHOICES = {**PRESET_CHOICES, CUSTOM: "Custom…"}
UNIT_CHOICES = {unit: unit for unit in UNITS}
ROLE_CHOICES = {role.key: role.name for role in ROLES.values()}
SYNC_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")


def sync_key_or_empty(value):
    """A well-formed idempotency key, else "": the log is then stored as one without a key.

    The key is a hidden field the person can neither see nor fix, so a malformed one is
    dropped rather than refused; only a crafted request sends one.
    """
    return value if isinstance(value, str) and SYNC_KEY.fullmatch(value) else ""


class CadenceFields:
    """A preset cadence, or a custom number of days, weeks or months."""
    cadence = SelectField("How often", choices=CADENCE_CHOICES, default="1m", validate_choice=False,
                          validators=one_of(CADENCE_CHOICES, "Pick how often to keep in touch."))
    cadence_count = IntegerField("Every", validators=[Optional()],
                                 invalid_value_message="Enter a whole number, such as 3.",
                                 render_kw={"min": 1, "max": MAX_DAYS, "inputmode": "numeric"})
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


# "When did you last talk?" on the add form: a rough answer is enough, so nobody added is
# due on day one by mistake. Each choice stands for a day in the middle of its span.
LAST_TALKED = {"week": "This week", "month": "This month", "months": "A few months ago",
               "longer": "Longer ago", "never": "Never, or not yet", "date": "On this date:"}
LAST_TALKED_DAYS = {"week": 3, "month": 15, "months": 90, "longer": 365}


class AdvisorForm(CadenceFields, TodayAware):
    name = StringField("Name", validators=[
        InputRequired("Enter their name."),
        Length(max=LIMITS["name"],
               message=f"Keep the name under {LIMITS['name']} characters.")])
    role = RadioField("Role on your board", choices=ROLE_CHOICES, validate_choice=False,
                      validators=one_of(ROLE_CHOICES, "Pick the one role they play."))
    stage = SelectField("Stage", choices=STAGES, default="active", validate_choice=False,
                        validators=one_of(STAGES, f"Pick a stage: {spoken(STAGES)}."))
    paused_until = DateField("Paused until", validators=[Optional()],
                             render_kw={"placeholder": "YYYY-MM-DD"})
    email = EmailField("Email", validators=[
        Optional(), Length(max=LIMITS["email"]), Email("Enter an email address like name@example.com.")])
    phone = StringField("Phone", validators=[Length(max=LIMITS["phone"])], render_kw={"inputmode": "tel"})
    organisation = StringField("Organisation", validators=[Length(max=LIMITS["organisation"])])
    why = TextAreaField("Why they are on your board", validators=[Length(max=LIMITS["why"])])
    offer = TextAreaField("What you can offer them", validators=[Length(max=LIMITS["offer"])])
    meeting_style = StringField("Meeting style", validators=[Length(max=LIMITS["meeting_style"])],
                                render_kw={"placeholder": "Coffee, a walk, a call with questions…"})
    meeting_kind = SelectField("Usual way you talk", choices=choices(KINDS), default="call",
                               validate_choice=False,
                               validators=one_of(KINDS, f"Pick {spoken(KINDS)}."))
    horizon = StringField("How long you expect it to last",
                          validators=[Length(max=LIMITS["horizon"])],
                          render_kw={"placeholder": "A year, while I am in this role…"})
    agenda = TextAreaField("Next time", validators=[Length(max=LIMITS["agenda"])],
                           render_kw={"placeholder": "Topics, questions, homework you promised"})
    notes = TextAreaField("Notes", validators=[Length(max=LIMITS["notes"])])
    last_talked = RadioField("When did you last talk?", choices=LAST_TALKED,
                             validate_choice=False,
                             validators=[Optional(), AnyOf(list(LAST_TALKED),
                                                           message="Pick one of the choices.")])
    last_spoke_on = DateField("Last spoke on", validators=[Optional()],
                              render_kw={"placeholder": "YYYY-MM-DD"})

    def validate_paused_until(self, field):
        if self.stage.data == "paused" and field.data and self.today and field.data <= self.today:
            raise ValidationError("Pick a date after today, or leave it empty to pause indefinitely.")

    def validate_last_spoke_on(self, field):
        self.not_in_future(field)

    def validate_last_talked(self, field):
        if field.data == "date" and not self.last_spoke_on.data and not self.last_spoke_on.errors:
            raise ValidationError("Enter the date you last talked, or pick another choice.")

    def talked_on(self):
        """The "last spoke" date the answers give: a day within the span picked, the date
        typed, or none (never: they are due the day they are added)."""
        days = LAST_TALKED_DAYS.get(self.last_talked.data)
        if days is not None and self.today:
            return self.today - timedelta(days=days)
        return None if self.last_talked.data == "never" else self.last_spoke_on.data


class ContactForm(TodayAware):
    happened_on = DateField("When", validators=[InputRequired(DATE_MESSAGE)])
    kind = RadioField("How", choices=choices(KINDS), default="call", validate_choice=False,
                      validators=one_of(KINDS, f"Pick how you talked: {spoken(KINDS)}."))
    notes = TextAreaField("Notes", validators=[Length(max=LIMITS["notes"])])
    thanked = BooleanField("I thanked them")
    key = HiddenField(filters=[sync_key_or_empty])

    def validate_happened_on(self, field):
        self.not_in_future(field)


class PromiseLine(Form):
    """One promise line of the Log form: what, and optionally by when."""
    class Meta:
        csrf = False  # a part of the Log form, whose token covers it

    text = StringField("What", validators=[Length(max=LIMITS["promise"])])
    due_on = DateField("By", validators=[Optional()])

    def validate_due_on(self, field):
        if field.data and not self.text.data.strip():
            raise ValidationError("Say what was promised, or clear its date.")


# The Log form's repeated lines: list name -> rows shown (more are added by a script).
LINES = {"promised": 2, "offered": 1, "advice": 2}
MAX_LINES = 20
# A line's field as the form posts it (and the outbox sends it): promised-0-text, advice-1.
LINE_NAME = re.compile(r"(promised|offered)-\d{1,2}-(text|due_on)|advice-\d{1,2}")


class LogForm(ContactForm):
    """The Log form after a conversation: the contact, the agenda for next time, and the
    promises both ways and the advice that came out of it (models.promises.log_conversation)."""
    agenda = TextAreaField("Next time", validators=[Length(max=LIMITS["agenda"])])
    promised = FieldList(FormField(PromiseLine), "I promised", min_entries=LINES["promised"],
                         max_entries=MAX_LINES)
    offered = FieldList(FormField(PromiseLine), "They offered", min_entries=LINES["offered"],
                        max_entries=MAX_LINES)
    advice = FieldList(TextAreaField(validators=[Length(max=LIMITS["advice"])]),
                       "Advice they gave", min_entries=LINES["advice"], max_entries=MAX_LINES)

    @property
    def errors(self):
        """The lines' errors as one list of messages per list ("Line 2: ..."), so the
        summary and the sync endpoint read them like any field's."""
        found = dict(super().errors)
        for name in LINES:
            if name in found:
                found[name] = [f"line {number}: {message}"
                               for number, entry in enumerate(self[name].entries, start=1)
                               for message in line_messages(entry.errors)]
        return found

    def log_values(self) -> dict:
        """What models.promises.log_conversation stores."""
        return {"happened_on": self.happened_on.data, "kind": self.kind.data,
                "notes": self.notes.data.strip(), "thanked": self.thanked.data,
                "key": self.key.data or None, "agenda": self.new_agenda(),
                "promises": self.promises(), "advice": self.advice_given()}

    def new_agenda(self) -> str | None:
        """The agenda to store, or None to keep it (a request without the field: a log
        from an older page or a one-tap log sent offline)."""
        return self.agenda.data.strip() if self.agenda.raw_data else None

    def promises(self) -> list[tuple]:
        """(text, owed_by, due_on) for each filled promise line."""
        return [(line.text.data.strip(), owed_by, line.due_on.data)
                for owed_by, name in (("me", "promised"), ("them", "offered"))
                for line in self[name] if line.text.data.strip()]

    def advice_given(self) -> list[str]:
        return [text.strip() for text in self.advice.data if text and text.strip()]


def line_messages(errors) -> list[str]:
    """A line's messages, whether it is one field (a list) or several (a dict)."""
    if isinstance(errors, dict):
        return [message for messages in errors.values() for message in messages]
    return list(errors)


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


class StageForm(Form):
    """Moving someone between prospect, active and paused from their page ("Resume",
    "Make active", and the Undo of either); alumni are reached by bringing it to a close."""
    stage = SelectField(choices=STAGES, validate_choice=False,
                        validators=one_of(("prospect", "active", "paused"), "Pick a stage."))
    paused_until = DateField(validators=[Optional()])


class UndoForm(Form):
    contact = IntegerField(validators=[Optional(), NumberRange(1, 2**63 - 1)])
