"""Form fields that more than one part of the product uses."""

import time
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import Field, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from .domain.shared.errors import Refused
from .domain.thread import about_you
from .domain.thread.contributions import ABOUT_YOU_FIELDS

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


def date_parts(formdata, name: str) -> dict[str, str]:
    """What was typed in the three boxes <name>-day, <name>-month and <name>-year."""
    return {part: (formdata.get(f"{name}-{part}") or "").strip()[:20] for part in DATE_PARTS}


def date_from_parts(
    parts: dict[str, str], label: str, after_2000: bool = False
) -> tuple[date | None, str | None]:
    """(the date, None), (None, None) when all three boxes are empty, or (None, what is wrong),
    with the GOV.UK date input messages. Shared by GovukDateField and survey date questions."""
    missing = tuple(part for part in DATE_PARTS if not parts.get(part))
    if len(missing) == 3:
        return None, None
    if missing:
        return None, _missing_message(missing, label)
    if not all(parts[part].isdigit() for part in DATE_PARTS):
        return None, _("%(label)s must be a real date", label=label)
    if len(parts["year"]) != 4:
        return None, _("Year must include 4 numbers")
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return None, _("%(label)s must be a real date", label=label)
    if after_2000 and value.year < 2000:
        return None, _("%(label)s must be after 1 January 2000", label=label)
    if not 1900 <= value.year <= 2999:
        return None, _("%(label)s must be a real date", label=label)
    return value, None


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
        self.parts = date_parts(formdata, self.name)
        self.raw_data = [self.parts[part] for part in DATE_PARTS]
        self.data, error = date_from_parts(
            self.parts, str(self.label.text), after_2000=self.after_2000
        )
        if error:
            self.process_errors.append(error)

    def _value(self):
        return " ".join(self.raw_data)


def show_problems(
    form, refused: Refused, field_for: dict | None = None, default: str | None = None
) -> list[dict]:
    """Put each of the domain's messages next to its field on the form. A message about no
    field, or a field the form does not have, goes next to the `default` field when there is
    one; otherwise it is returned as an error summary item ({"text": message}).

    `field_for` maps the domain's field names to the form's where they differ.
    """
    summary = []
    for name, message in refused.problems:
        name = (field_for or {}).get(name, name)
        field = form._fields.get(name) if name else None
        if field is None and default:
            field = form._fields[default]
        if field is not None:
            field.errors = [*field.errors, str(message)]
        else:
            summary.append({"text": str(message)})
    return summary


def submit(form, check, save):
    """Read the form and, when everything typed could be read, `save()` and return what it
    returns; what the domain refuses is shown next to the fields and None returned. When some of
    what was typed cannot be read, `check()` still says what else is wrong, so a person sees
    every problem at once. None when the form was not sent."""
    if not form.is_submitted():
        return None
    read = form.validate()
    try:
        if read:
            return save()
        check()
    except Refused as refused:
        show_problems(form, refused)
    return None


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


def about_you_fields() -> tuple:
    """The optional "About you" questions, worded the same wherever they are asked ("Tell us"
    feedback, surveys, paper survey entry), in the order of ABOUT_YOU_FIELDS. Made fresh for each
    form, so they take their place among the form's own fields:

        (relationship_to_child, district, age_group, need, setting, ehc_plan) = about_you_fields()

    Stored values are the codes in `domain.about_you`; every question may be left unanswered.
    Mix `AboutYouAnswers` into the form too.
    """
    return (
        ChoiceRadioField(
            _l("Which best describes you?"),
            widget=GovRadioInput(),
            choices=about_you.RELATIONSHIPS,
            invalid_message=_l("Select who you are from the list"),
        ),
        ChoiceSelectField(
            _l("Which district do you live in?"),
            widget=GovSelect(),
            choices=[],
            invalid_message=_l("Select a district from the list"),
        ),
        ChoiceRadioField(
            _l("How old is the child or young person?"),
            widget=GovRadioInput(),
            choices=about_you.AGE_GROUPS,
            invalid_message=_l("Select an age group from the list"),
        ),
        ChoiceRadioField(
            _l("What is their main area of need?"),
            widget=GovRadioInput(),
            choices=about_you.NEEDS,
            invalid_message=_l("Select an area of need from the list"),
        ),
        ChoiceRadioField(
            _l("Where do they learn?"),
            widget=GovRadioInput(),
            choices=about_you.SETTINGS,
            invalid_message=_l("Select where they learn from the list"),
        ),
        ChoiceRadioField(
            _l("Do they have an education, health and care (EHC) plan?"),
            widget=GovRadioInput(),
            choices=about_you.EHC_PLAN,
            invalid_message=_l("Select whether they have an EHC plan from the list"),
        ),
    )


class AboutYouAnswers:
    """Mix into a form that has the `about_you_fields()`: the district choices, and the answers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district.choices = [("", str(_l("Choose a district")))] + about_you.districts()

    @property
    def about_you_answers(self) -> dict[str, str]:
        return {
            name: getattr(self, name).data for name in ABOUT_YOU_FIELDS if getattr(self, name).data
        }

    @property
    def about_you_started(self) -> bool:
        return any(
            getattr(self, name).data or getattr(self, name).errors for name in ABOUT_YOU_FIELDS
        )


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: for pages that ask "Are you sure?" and buttons that only post."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
