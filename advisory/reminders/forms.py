"""The reminder settings form."""
from datetime import time

from wtforms import RadioField, SelectField, TimeField
from wtforms.validators import InputRequired

from advisory.base_form import Form, one_of
from advisory.core.reminders import DIGEST_CHOICES, WEEKDAYS

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
