"""Form fields that more than one part of the product uses."""

import time
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import Field, HiddenField, RadioField, SelectField, StringField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

DATE_PARTS = ("day", "month", "year")


def _missing_message(missing: tuple[str, ...], label: str) -> str:
    """What to say when some parts of a date are missing, as in the GOV.UK date input pattern."""
    messages = {
        ("day",): lambda: _("%(label)s must include a day", label=label),
        ("month",): lambda: _("%(label)s must include a month", label=label),
        ("year",): lambda: _("%(label)s must include a year", label=label),
        ("day", "month"): lambda: _("%(label)s must include a day and month", label=label),
        ("day", "year"): lambda: _("%(label)s must include a day and year", label=label),
        ("month", "year"): lambda: _("%(label)s must include a month and year", label=label),
    }
    return messages[missing]()


class GovukDateField(Field):
    """A GOV.UK date input: three boxes named <name>-day, <name>-month and <name>-year.

    Empty is allowed (no date). Whatever was typed is kept in `parts` to show again. Give the
    field the day box's id (id="<name>-day") so the error summary links to it. With
    `after_2000`, earlier dates are refused: nothing in the service is older than that.
    """

    def __init__(self, label=None, validators=None, after_2000: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.after_2000 = after_2000
        self.parts = dict.fromkeys(DATE_PARTS, "")

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.data = None
        self.raw_data = []
        if formdata is None:
            return
        self.parts = {part: (formdata.get(f"{self.name}-{part}") or "").strip()[:20] for part in DATE_PARTS}
        self.raw_data = [self.parts[part] for part in DATE_PARTS]
        missing = tuple(part for part in DATE_PARTS if not self.parts[part])
        if len(missing) == 3:
            return
        label = str(self.label.text)
        if missing:
            self.process_errors.append(_missing_message(missing, label))
            return
        if not all(self.parts[part].isdigit() for part in DATE_PARTS):
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        if len(self.parts["year"]) != 4:
            self.process_errors.append(_("Year must include 4 numbers"))
            return
        try:
            value = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except ValueError:
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        if self.after_2000 and value.year < 2000:
            self.process_errors.append(_("%(label)s must be after 1 January 2000", label=label))
            return
        if not 1900 <= value.year <= 2999:
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        self.data = value

    def _value(self):
        return " ".join(self.raw_data)


def clean_text(value):
    """Line endings as the browser counts them, and no NUL characters (PostgreSQL refuses them)."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def clean_line(value):
    value = clean_text(value)
    return value.strip() if isinstance(value, str) else value


class ChoiceRadioField(RadioField):
    """Radios that refuse a value that is not one of the choices with a clear message.

    An empty answer is left to the validators (DataRequired for a required question).
    """

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Select one of the options")

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError(self.invalid_message)


class ChoiceSelectField(SelectField):
    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Select one of the options")

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError(self.invalid_message)


# The time the form was first shown, signed so it cannot be forged; people take longer than
# a few seconds to write, form-filling robots do not.
def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="feedback-form-started")


def started_token(at: float | None = None) -> str:
    return _serializer().dumps(round(time.time() if at is None else at, 3))


def seconds_since_started(token: str | None) -> float | None:
    """How long ago the form was shown; None when the token is missing or forged."""
    if not token or len(token) > 200:
        return None
    try:
        started = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(started, (int, float)) or isinstance(started, bool):
        return None
    return time.time() - started


class BotTrap:
    """Mix into a public form: a honeypot people never see and a signed "form shown at" time.

    Robots fill every field and post at once; people leave the trap empty and take a few
    seconds. Views treat a caught robot like a success so it learns nothing, and store nothing.
    """

    website = StringField(_l("Leave this empty"), filters=[clean_line])
    started = HiddenField()

    def start_clock(self) -> None:
        """Set the signed start time unless a genuine one came back with the form."""
        if seconds_since_started(self.started.data) is None:
            self.started.data = started_token()

    def looks_automated(self, min_seconds: float | None = None) -> bool:
        if self.website.data:
            return True
        if min_seconds is None:
            min_seconds = current_app.config.get("FEEDBACK_MIN_SECONDS", 3)
        elapsed = seconds_since_started(self.started.data)
        return elapsed is None or elapsed < min_seconds
