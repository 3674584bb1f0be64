"""The base of every form: rules that hold for all fields, so no form can forget them.

- A text field that was not sent is "" (never None), whatever the form.
- Text that no database can store, or that makes no sense in a name or a note (NUL and
  other control characters, lone surrogates), is refused with a message saying so.
- Dates lie in a sane range; a value that does not parse says what to enter.
- WTForms' own wording never reaches a person: its default messages are replaced here.
- A file field reads only uploaded files, and only a file field reads them.
"""
import re
from datetime import date

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import DateField, FileField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, StopValidation, ValidationError

from advisory.core import zones
from advisory.core.cadence import PRESETS, is_timezone
from advisory.core.characters import first_refused

EARLIEST_DATE = date(1900, 1, 1)
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")

# Messages WTForms uses when a form gives none; each is replaced by one saying what to enter.
OWN_WORDS = {
    "Not a valid date value.": "Enter a date as YYYY-MM-DD.",
    "Not a valid integer value.": "Enter a whole number.",
    "Not a valid time value.": "Enter a time like 09:00.",
    "Not a valid datetime value.": "Enter a date and time like 2026-03-14 09:00.",
    "Not a valid decimal value.": "Enter a number.",
    "Not a valid float value.": "Enter a number.",
    "This field is required.": "Fill this in.",
    "Not a valid choice.": "Pick one of the listed options.",
    "Invalid Choice: could not coerce.": "Pick one of the listed options.",
    "Invalid email address.": "Enter an email address like name@example.com.",
    "Invalid input.": "Check what you entered.",
    "Field cannot be longer than %(max)d character.": "Use at most %(max)d character.",
    "Field cannot be longer than %(max)d characters.": "Use at most %(max)d characters.",
    "Field must be at least %(min)d character long.": "Use at least %(min)d character.",
    "Field must be at least %(min)d characters long.": "Use at least %(min)d characters.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Use %(min)d to %(max)d characters.",
    "Field must be equal to %(other_name)s.": "The two entries differ.",
    "Number must be at least %(min)s.": "Use %(min)s or more.",
    "Number must be at most %(max)s.": "Use %(max)s or less.",
    "Number must be between %(min)s and %(max)s.": "Use %(min)s to %(max)s.",
}


class OwnWords:
    """A WTForms translations object that speaks in the app's own words."""

    def gettext(self, string):
        return OWN_WORDS.get(string, string)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


def text_or_empty(value):
    """A text field's value: a field that was not sent is "", not None."""
    return "" if value is None else value


def storable_text(form, field):
    """Refuse characters a name or a note cannot hold (a newline or tab only in notes)."""
    what = first_refused(field.data or "", multi_line=isinstance(field, TextAreaField))
    if what:
        raise StopValidation(f"Remove {what}: it cannot be saved in this field.")


def sane_date(form, field):
    """Refuse dates before 1900: a typo (0026 for 2026), not a conversation."""
    if field.data and field.data < EARLIEST_DATE:
        raise ValidationError("Enter a date in 1900 or later, as YYYY-MM-DD.")


def from_request(form) -> MultiDict:
    """What a form reads from the request: its fields, and uploads only for its file
    fields (a file sent in place of a text field is ignored, never read as its value);
    from a JSON body, the object's plain values."""
    if request.is_json:
        return form_fields(request.get_json(silent=True))
    uploads = MultiDict((field.name, upload) for field in form
                        if isinstance(field, FileField)
                        for upload in request.files.getlist(field.name))
    return CombinedMultiDict((uploads, request.form)) if uploads else request.form


def form_fields(payload) -> MultiDict:
    """A form's fields from a JSON object: its plain values, as a browser would send them."""
    fields = MultiDict()
    for name, value in (payload.items() if isinstance(payload, dict) else ()):
        if value is True:
            fields.add(name, "y")
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            fields.add(name, str(value))
    return fields


class Form(FlaskForm):
    """FlaskForm with the rules above applied to every field of every form."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            kwargs = unbound_field.kwargs
            if issubclass(unbound_field.field_class, StringField):
                options["filters"] = [text_or_empty, *kwargs.get("filters", ())]
                options["validators"] = [storable_text, *kwargs.get("validators", ())]
            elif issubclass(unbound_field.field_class, DateField):
                options["validators"] = [*kwargs.get("validators", ()), sane_date]
            return super().bind_field(form, unbound_field, options)

        def get_translations(self, form):
            return OwnWords()

        def wrap_formdata(self, form, formdata):
            if formdata is not None and not hasattr(formdata, "getlist"):
                # Flask-WTF's "from the request", read the safer way above.
                return from_request(form) if request.method in SUBMIT_METHODS else None
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators=None) -> bool:
        """Validate, then say why a date that looks like one does not parse."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, DateField) and field.process_errors and field.raw_data:
                typed = str(field.raw_data[0]).strip()
                if ISO_DATE.match(typed):
                    field.errors = [f"Enter a real date as YYYY-MM-DD ({typed} does not exist)."]
        return valid


# Shared by the areas' forms.

PRESET_CHOICES = {c.code(): c.label() for c in PRESETS}
DATE_MESSAGE = "Enter a date as YYYY-MM-DD."


def one_of(choices, message: str) -> list:
    """Validators for a choice field whose refusal says what to pick."""
    return [InputRequired(message), AnyOf(list(choices), message=message)]


def valid_timezone(form, field):
    if not is_timezone(field.data or ""):
        raise ValidationError("Pick a time zone from the list, such as Europe/Paris.")


def timezone_field(**kwargs) -> SelectField:
    """The time-zone picker: common zones first, then every place (core/zones.py), with a
    search box where scripts run (static/js/zone-search.js). Any known zone is accepted."""
    return SelectField("Time zone", validate_choice=False, validators=[valid_timezone],
                       render_kw={"data-searchable": "1", **kwargs.pop("render_kw", {})},
                       **kwargs)


def offer_zones(field) -> None:
    """Fill `field`'s choices, keeping its current value among them."""
    field.choices = zones.choices(field.data)


class TodayAware(Form):
    """A form that knows today's date in the account's time zone."""

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def not_in_future(self, field):
        if field.data and self.today and field.data > self.today:
            raise ValidationError("That date is in the future; pick today or earlier.")
