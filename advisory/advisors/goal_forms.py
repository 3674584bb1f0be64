"""The forms of a member's goals (advisors/goals.py) and of bringing it to a close
(advisors/closing.py)."""
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    ValidationError,
)

from advisory.base_form import DATE_MESSAGE, Form, TodayAware, one_of
from advisory.core.vocabulary import CLOSE_REASONS, GOAL_STATES, KINDS, LIMITS

GOAL_CONVERSATIONS = 10  # how many recent conversations a progress note can point at


class GoalForm(Form):
    text = StringField("Goal", filters=[str.strip],
                       validators=[DataRequired("Say what you want to achieve."),
                                   Length(max=LIMITS["goal"])],
                       render_kw={"placeholder": "Get the director role"})


class GoalNoteForm(TodayAware):
    """A dated progress note, optionally from one of the latest conversations."""
    note = TextAreaField("Progress", filters=[str.strip],
                         validators=[DataRequired("Say what moved."),
                                     Length(max=LIMITS["goal_note"])])
    noted_on = DateField("When", validators=[InputRequired(DATE_MESSAGE)])
    contact = SelectField("From the conversation", validate_choice=False)

    def __init__(self, *args, conversations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contact.choices = [("", "None")] + [
            (str(c.id), f"{c.happened_on:%-d %b %Y} · {KINDS[c.kind]}") for c in conversations]
        if self.noted_on.data is None and not self.noted_on.raw_data:  # a fresh form
            self.noted_on.data = self.today

    def validate_noted_on(self, field):
        self.not_in_future(field)

    def validate_contact(self, field):
        if field.data and field.data not in dict(field.choices):
            raise ValidationError("Pick one of the conversations listed, or none.")

    def values(self) -> dict:
        return {"note": self.note.data, "noted_on": self.noted_on.data,
                "contact": int(self.contact.data) if self.contact.data else None}


class GoalStateForm(Form):
    state = SelectField(choices=GOAL_STATES, validate_choice=False,
                        validators=one_of(GOAL_STATES, "Pick achieved, dropped or open."))


# Bringing it to a close: how to thank them (Advisor.close).
THANK_CHOICES = {"thanked": "I thanked them", "remind": "Remind me to thank them",
                 "": "Neither, for now"}


class CloseForm(Form):
    reason = RadioField("Why it comes to a close", choices=CLOSE_REASONS,
                        validate_choice=False,
                        validators=one_of(CLOSE_REASONS, "Pick why it comes to a close."))
    lesson = TextAreaField("What I learned from them", filters=[str.strip],
                           validators=[Length(max=LIMITS["lesson"])])
    thank = RadioField("A last thank-you", choices=THANK_CHOICES, default="",
                       validate_choice=False,
                       validators=[AnyOf(list(THANK_CHOICES), message="Pick one of the choices.")])
    yearly_check_in = BooleanField("Stay in touch yearly")

    def values(self) -> dict:
        return {"reason": self.reason.data, "lesson": self.lesson.data,
                "thank": self.thank.data, "yearly_check_in": self.yearly_check_in.data}
