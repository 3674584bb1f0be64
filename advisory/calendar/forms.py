"""The calendar feed's options."""
from datetime import time

from wtforms import BooleanField, RadioField, TimeField
from wtforms.validators import AnyOf, Optional

from advisory.base_form import Form
from advisory.core.calendar_feed import STYLES as CALENDAR_STYLES


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
