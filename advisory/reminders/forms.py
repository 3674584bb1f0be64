"""The reminder settings form, and the form adding a notification channel."""
from datetime import time

from wtforms import RadioField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length

from advisory.base_form import Form, one_of
from advisory.core.reminders import DIGEST_CHOICES, WEEKDAYS
from advisory.models import NotifyChannel

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


class ChannelForm(Form):
    """A channel to add: a name for it and its Apprise URL (checked by the view: which
    addresses the server may call is outbound.check's to say)."""
    label = StringField("Name", filters=[str.strip], validators=[
        DataRequired("Give it a name, such as Phone (ntfy)."),
        Length(max=NotifyChannel.LABEL_LIMIT)])
    url = StringField("Apprise URL", filters=[str.strip], validators=[
        DataRequired("Enter its Apprise URL, such as ntfys://ntfy.sh/your-topic."),
        Length(max=NotifyChannel.URL_LIMIT)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false",
                   "inputmode": "url"})
