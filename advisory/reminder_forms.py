"""Forms for reminders and password reset (one class per form; messages say what to fix)."""
from datetime import time

from wtforms import EmailField, RadioField, SelectField, TimeField
from wtforms.validators import Email, InputRequired, Length

from .base_form import Form
from .forms import PasswordFields, one_of
from .reminders import DIGEST_CHOICES, WEEKDAYS

WEEKDAY_CHOICES = {str(number): name for number, name in enumerate(WEEKDAYS)}


class ReminderForm(Form):
    """When reminders come, and whether an email digest comes with them."""
    reminder_time = TimeField("Reminder time", default=time(8, 0), validators=[
        InputRequired("Enter a time like 08:00.")],
        invalid_value_message="Enter a time like 08:00.")
    digest = RadioField("Email digest", choices=DIGEST_CHOICES, default="off",
                        validators=one_of(DIGEST_CHOICES, "Pick off, every day or once a week."))
    digest_weekday = SelectField("Day of the week", choices=WEEKDAY_CHOICES,
                                 default="0", validators=one_of(
                                     WEEKDAY_CHOICES, "Pick a day of the week."))


class ForgotForm(Form):
    email = EmailField("Email", validators=[
        InputRequired("Enter your email."), Length(max=254),
        Email("Enter an email address like name@example.com.")])


class ResetForm(PasswordFields, Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.label.text = "New password"
