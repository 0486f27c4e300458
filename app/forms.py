"""Form fields that more than one part of the product uses."""

import hashlib
import re
import secrets
import time
from datetime import date

from flask import current_app, g
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.utils import unset_value
from wtforms.validators import Email, Length, Optional, ValidationError

from .domain.shared.dates import DATE_PARTS, date_from_parts, date_parts
from .domain.shared.errors import Refused
from .domain.shared.ids import valid_id
from .domain.shared.text import clean_line
from .domain.thread import about_you
from .domain.thread.contributions import ABOUT_YOU_FIELDS


def trimmed(value):
    """What was typed, without spaces at either end and without NUL characters (nobody types
    one, and PostgreSQL refuses them); line endings are kept as sent."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class GovukDateField(Field):
    """A GOV.UK date input: day, month and year boxes. Empty is allowed (no date).

    Whatever was typed is kept in `parts` (and `raw_data`) to show again; a stored date fills the
    boxes when the page first opens. The boxes are <name>-day, <name>-month and <name>-year, or,
    with `one_name`, three boxes all called <name> (forms drawn by the field's widget). Give the
    field the day box's id (id="<name>-day") so the error summary links to it.

    What is wrong is said with the messages of `date_from_parts`, naming the date by
    `name_in_messages` (its label unless given). A filter can say it in two messages instead:
    `missing_message` when some boxes are empty, `invalid_message` for anything else. With
    `after_2000`, earlier dates are refused: nothing in the service is older than that.
    """

    def __init__(
        self,
        label=None,
        validators=None,
        after_2000: bool = False,
        one_name: bool = False,
        name_in_messages=None,
        missing_message=None,
        invalid_message=None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.after_2000 = after_2000
        self.one_name = one_name
        self.name_in_messages = name_in_messages
        self.missing_message = missing_message
        self.invalid_message = invalid_message
        self.parts = dict.fromkeys(DATE_PARTS, "")

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.data = None
        self.raw_data = []
        self.parts = dict.fromkeys(DATE_PARTS, "")
        if formdata is None:
            if data is unset_value:
                data = self.default() if callable(self.default) else self.default
            if isinstance(data, date):
                self.data = data
                self.parts = {
                    "day": str(data.day),
                    "month": str(data.month),
                    "year": str(data.year),
                }
            return
        sent = formdata.getlist(self.name) if self.one_name else []
        if self.one_name:
            typed = [str(value).strip()[:20] for value in sent[:3]]
            self.parts = dict(zip(DATE_PARTS, typed + [""] * (3 - len(typed)), strict=True))
        else:
            self.parts = date_parts(formdata, self.name)
        self.raw_data = [self.parts[part] for part in DATE_PARTS]
        name = str(self.name_in_messages or self.label.text)
        if len(sent) > 3:
            self.process_errors.append(_("%(label)s must be a real date", label=name))
            return
        self.data, error = date_from_parts(self.parts, name, after_2000=self.after_2000)
        if error and self.missing_message and not all(self.parts.values()):
            error = str(self.missing_message)
        elif error and self.invalid_message:
            error = str(self.invalid_message)
        if error:
            self.process_errors.append(error)

    def _value(self):
        return " ".join(self.raw_data)


class IdCheckboxesField(SelectMultipleField):
    """Checkboxes whose values are ids of records offered in `choices`; each id counts once.

    A value that is not one of them (forged, or a record removed since the page was drawn) is
    never a 500 and never saved: the form is refused with `invalid_message` next to the field.
    A form that only adds links (bulk coding) may leave out `invalid_message`: such values are
    then dropped, since leaving one out changes nothing that was there.
    """

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        kwargs.setdefault("widget", GovCheckboxesInput())
        super().__init__(label, validators, coerce=valid_id, validate_choice=False, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        self.data = list(dict.fromkeys(valid_id(value) for value in valuelist))

    def pre_validate(self, form):
        offered = {value for value, _label in self.choices or ()}
        if self.invalid_message is None:
            self.data = [value for value in self.data or () if value in offered]
        elif any(value is None or value not in offered for value in self.data or ()):
            raise ValidationError(str(self.invalid_message))


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


def show_import_problems(field, result) -> list[dict]:
    """A CSV import that changed nothing, shown on its upload field: the file's own problem, or
    how many rows were wrong next to the field and each row's problem in the error summary,
    linking to the field. `result` has `file_error` and `problems`, as every import returns."""
    if result.file_error:
        field.errors = [result.file_error]
        return []
    field.errors = [
        ngettext(
            "The file has %(num)d problem. Nothing was imported. Fix it and upload the file again.",
            "The file has %(num)d problems. Nothing was imported. Fix them and upload the file "
            "again.",
            len(result.problems),
        )
    ]
    return [{"text": str(problem), "href": "#" + field.id} for problem in result.problems]


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


def area_choices(areas) -> list[tuple[int, str]]:
    """Areas of weakness to tick, each as "Area 3: <title>"."""
    return [(a.id, _("Area %(number)d: %(title)s", number=a.number, title=a.title)) for a in areas]


def action_choices(actions, separator: str = " ") -> list[tuple[int, str]]:
    """Plan actions to tick, each as its reference and title."""
    return [(a.id, f"{a.reference}{separator}{a.title}") for a in actions]


def area_and_action_fields(areas_description, actions_description=None, optional=False) -> tuple:
    """The "areas of weakness" and "plan actions" a record is linked to, worded the same wherever
    they are asked; fill their choices with `area_choices` and `action_choices`:

        areas, actions = area_and_action_fields(_l("What the links are for."))
    """
    return (
        IdCheckboxesField(
            _l("Areas of weakness (optional)") if optional else _l("Areas of weakness"),
            description=areas_description,
            invalid_message=_l("Select areas of weakness from the list"),
        ),
        IdCheckboxesField(
            _l("Plan actions (optional)") if optional else _l("Plan actions"),
            description=actions_description or _l("Select all that apply."),
            invalid_message=_l("Select plan actions from the list"),
        ),
    )


def no_longer_than(maximum: int, message):
    """A validator that refuses text over `maximum` characters and says how long it is, rather
    than cutting it short. `message(length, max=..., count=...)` is the field's own ngettext
    wording; both numbers come formatted for the reader's language."""

    def check(form, field):
        length = len(field.data or "")
        if length > maximum:
            raise ValidationError(
                message(length, max=format_number(maximum), count=format_number(length))
            )

    return check


class OneOfTheChoices:
    """Mix into a choice field: a value that is not one of the choices is refused with a clear
    message. An empty answer is left to the validators (DataRequired for a required question).
    """

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Select one of the options")

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError(self.invalid_message)


class ChoiceRadioField(OneOfTheChoices, RadioField):
    """Radios that refuse a value that is not one of the choices."""


class ChoiceSelectField(OneOfTheChoices, SelectField):
    """A select that refuses a value that is not one of the choices."""


class NeedsField(SelectMultipleField):
    """The "About you" areas of need, as checkboxes (a child may have more than one). Shows a
    stored answer ("a,b", or one code saved before several were allowed) ticked again; refuses
    a value that is not one of the choices."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        kwargs.setdefault("widget", GovCheckboxesInput())
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Select one of the options")

    def process_data(self, value):
        self.data = about_you.needs(value)

    def pre_validate(self, form):
        known = {str(value) for value, _label in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(self.invalid_message)


# The time the form was first shown, signed so it cannot be forged; people take longer than
# a few seconds to write, form-filling robots do not.
def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="feedback-form-started")


FORM_STARTED = "form_started_token"  # g: the start time this request's form was given


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


_SENT_ONCE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SentOnce:
    """Mix into a form whose sending stores something: a random token made each time the form is
    shown and sent back with it, so the same form sent twice (a double click, or sent again
    after the connection dropped before the answer came) is stored once. It is not derived from
    the CSRF token, which stays the same for every form in a session. A form that comes back
    without a well-formed token gets a new one, and is stored like any other."""

    token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not _SENT_ONCE_TOKEN.match(self.token.data or ""):
            self.token.data = secrets.token_urlsafe(24)

    def submission_key(self, *scope) -> str:
        """The key stored with what the form sent: its token within `scope` (what the form is,
        and who sent it when that is known), hashed to a fixed length."""
        return hashlib.sha256(":".join((*map(str, scope), self.token.data)).encode()).hexdigest()


class BotTrap:
    """Mix into a public form: a honeypot people never see and a signed "form shown at" time.

    Robots fill every field and post at once; people leave the trap empty and take a few
    seconds. Views treat a caught robot like a success so it learns nothing, and store nothing.
    """

    website = StringField(_l("Leave this empty"), filters=[clean_line])
    started = HiddenField()

    def start_clock(self) -> None:
        """Set the signed start time unless a genuine one came back with the form. A new one is
        noted for the request, so a page kept for others gets a fresh one (app/page_cache.py)."""
        if seconds_since_started(self.started.data) is None:
            self.started.data = started_token()
            setattr(g, FORM_STARTED, self.started.data)

    def looks_automated(self, min_seconds: float | None = None) -> bool:
        if self.website.data:
            return True
        if min_seconds is None:
            min_seconds = current_app.config["FEEDBACK_MIN_SECONDS"]
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
        NeedsField(
            _l("What are their areas of need?"),
            choices=about_you.NEEDS,
            description=_l("Select all that apply."),
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
        """The answers as stored (areas of need joined by commas)."""
        answers = {
            name: getattr(self, name).data for name in ABOUT_YOU_FIELDS if getattr(self, name).data
        }
        if "need" in answers:
            answers["need"] = about_you.stored_needs(answers["need"])
        return answers

    @property
    def about_you_started(self) -> bool:
        return any(
            getattr(self, name).data or getattr(self, name).errors for name in ABOUT_YOU_FIELDS
        )


class QueryForm(FlaskForm):
    """A form sent with GET that only reads (filters, look-ups): it needs no CSRF token."""

    class Meta:
        csrf = False


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: for pages that ask "Are you sure?" and buttons that only
    post."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


def hear_back_email(label=None) -> EmailField:
    """The optional "email me what happened" question on survey and comment forms: an address
    kept apart from what was said, used only to say what was done with it."""
    return EmailField(
        label or _l("Email address, if you want to hear what happened (optional)"),
        widget=GovTextInput(),
        filters=[clean_line],
        validators=[
            Optional(),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
    )
