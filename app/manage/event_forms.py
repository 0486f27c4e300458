"""Forms for the staff event pages.

Times are typed in UK local time as HH:MM (24-hour) and turned into naive UTC here, with
flask_babel.to_utc, so the domain only ever sees UTC. Every field says plainly what is wrong.
"""

import re
from datetime import date, datetime, time
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..domain.shared.ids import valid_id
from ..forms import ChoiceSelectField, GovukDateField, IdCheckboxesField, area_choices, trimmed
from .plan_forms import WholeNumberField

_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")

ACCESS_FEATURES = (
    ("step_free", _l("Step-free access")),
    ("hearing_loop", _l("Hearing loop")),
    ("quiet_room", _l("Quiet room")),
    ("parking", _l("Parking")),
)


def parse_time(text: str | None) -> time | None:
    """ "14:30" (or "9:05", or "14.30") as a time; anything else is None."""
    found = _TIME.fullmatch((text or "").strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


class TimeField(StringField):
    """A 24-hour time typed as HH:MM; `time` is the parsed value (None when empty or wrong)."""

    widget = GovTextInput()

    def __init__(
        self,
        label=None,
        validators=None,
        missing_message=None,
        invalid_message=None,
        required=True,
        **kwargs,
    ):
        super().__init__(label, validators, filters=[trimmed], **kwargs)
        self.missing_message = missing_message
        self.invalid_message = invalid_message
        self.required = required

    @property
    def time(self) -> time | None:
        return parse_time(self.data)

    def pre_validate(self, form):
        if not self.data:
            if self.required:
                raise ValidationError(str(self.missing_message))
            return
        if self.time is None:
            raise ValidationError(str(self.invalid_message))


def _https_link(form, field):
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme != "https" or not parts.netloc or any(ch.isspace() for ch in field.data):
        raise ValidationError(
            _(
                "Enter an online link that starts with https://, like https://meet.example.org/send-forum"
            )
        )


class EventForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter a title")),
            Length(max=300, message=_l("Title must be 300 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        widget=GovTextArea(),
        filters=[trimmed],
        description=_l("What the event is for and who should come."),
        validators=[Length(max=5000, message=_l("Description must be 5,000 characters or fewer"))],
    )
    day = GovukDateField(_l("Date"), id="day-day", after_2000=True)
    start_time = TimeField(
        _l("Start time"),
        description=_l("UK time, 24-hour clock, like 14:30"),
        missing_message=_l("Enter a start time, like 14:30"),
        invalid_message=_l(
            "Enter a start time as hours and minutes on the 24-hour clock, like 14:30"
        ),
    )
    end_time = TimeField(
        _l("End time"),
        description=_l("UK time, 24-hour clock, like 16:00"),
        missing_message=_l("Enter an end time, like 16:00"),
        invalid_message=_l(
            "Enter an end time as hours and minutes on the 24-hour clock, like 16:00"
        ),
    )
    venue = StringField(
        _l("Venue (optional if the event is online)"),
        widget=GovTextInput(),
        filters=[trimmed],
        description=_l("The name of the place, like Maidstone Community Hub."),
        validators=[Length(max=300, message=_l("Venue must be 300 characters or fewer"))],
    )
    address = TextAreaField(
        _l("Address (optional)"),
        widget=GovTextArea(),
        filters=[trimmed],
        validators=[Length(max=1000, message=_l("Address must be 1,000 characters or fewer"))],
    )
    online_link = StringField(
        _l("Online link (optional if the event has a venue)"),
        widget=GovTextInput(),
        filters=[trimmed],
        description=_l("A link that starts with https://. Only people with a place are sent it."),
        validators=[
            Length(max=500, message=_l("Online link must be 500 characters or fewer")),
            _https_link,
        ],
    )
    access = SelectMultipleField(
        _l("Access at the venue"),
        widget=GovCheckboxesInput(),
        description=_l("Select all that apply."),
        choices=ACCESS_FEATURES,
        validate_choice=False,
    )
    access_notes = TextAreaField(
        _l("Access notes (optional)"),
        widget=GovTextArea(),
        filters=[trimmed],
        description=_l(
            "For example, where the accessible entrance is, or that there are breaks every hour."
        ),
        validators=[Length(max=2000, message=_l("Access notes must be 2,000 characters or fewer"))],
    )
    capacity = WholeNumberField(
        _l("Number of places"),
        widget=GovTextInput(),
        description=_l(
            "A whole number from 1 to 10,000. When it is full, people join a waiting list."
        ),
        invalid_message=_l("Number of places must be a whole number, like 30"),
        validators=[
            InputRequired(message=_l("Enter the number of places")),
            NumberRange(
                min=1, max=10000, message=_l("Number of places must be between 1 and 10,000")
            ),
        ],
    )
    closes_day = GovukDateField(
        _l("Date registration closes"), id="closes_day-day", after_2000=True
    )
    closes_time = TimeField(
        _l("Time registration closes"),
        description=_l("UK time, 24-hour clock, like 17:00"),
        required=False,
        missing_message=_l("Enter the time registration closes, like 17:00"),
        invalid_message=_l(
            "Enter the time registration closes as hours and minutes on the 24-hour clock, "
            "like 17:00"
        ),
    )
    consultation = ChoiceSelectField(
        _l("Consultation (optional)"),
        widget=GovSelect(),
        description=_l("The event is listed on this consultation’s page."),
        invalid_message=_l("Select a consultation from the list"),
    )
    published = RadioField(
        _l("Show this event on the public site?"),
        widget=GovRadioInput(),
        choices=[("yes", _l("Yes")), ("no", _l("No, keep it as a draft"))],
        default="yes",
        validate_choice=False,
    )
    submit = SubmitField(_l("Save event"), widget=GovSubmitInput())

    def __init__(self, *args, consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation.choices = [("", _l("None"))] + [
            (str(c_id), title) for c_id, title in consultations
        ]

    @property
    def consultation_id(self) -> int | None:
        return valid_id(self.consultation.data)

    def validate_day(self, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(_("Enter the date of the event"))

    def validate_end_time(self, field):
        start, end = self.start_time.time, field.time
        if start is not None and end is not None and end <= start:
            raise ValidationError(_("End time must be after the start time"))

    def validate_venue(self, field):
        if not field.data and not self.online_link.data:
            raise ValidationError(_("Enter a venue or an online link"))

    def validate_access(self, field):
        known = {value for value, _label in ACCESS_FEATURES}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_("Select access features from the list"))

    def validate_closes_day(self, field):
        if field.data is None and not field.process_errors and self.closes_time.data:
            raise ValidationError(_("Enter the date registration closes"))

    def validate_closes_time(self, field):
        if self.closes_day.data is not None and not field.data:
            raise ValidationError(_("Enter the time registration closes, like 17:00"))
        closes, starts = self._closes_at(), self._starts_at()
        if closes is not None and starts is not None and closes >= starts:
            raise ValidationError(_("Registration must close before the event starts"))

    def validate_published(self, field):
        if field.data not in ("yes", "no"):
            raise ValidationError(_("Select yes if the event should be shown on the public site"))

    # Values -----------------------------------------------------------------------------------

    @staticmethod
    def _local(day: date | None, at: time | None) -> datetime | None:
        return to_utc(datetime.combine(day, at)) if day is not None and at is not None else None

    def _starts_at(self):
        return self._local(self.day.data, self.start_time.time)

    def _closes_at(self):
        return self._local(self.closes_day.data, self.closes_time.time)

    def values(self) -> dict:
        """What the domain stores: times in naive UTC, access features as booleans."""
        access = set(self.access.data or [])
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "starts_at": self._starts_at(),
            "ends_at": self._local(self.day.data, self.end_time.time),
            "venue": self.venue.data or "",
            "address": self.address.data or "",
            "online_link": self.online_link.data or "",
            **{name: name in access for name, _label in ACCESS_FEATURES},
            "access_notes": self.access_notes.data or "",
            "capacity": self.capacity.data,
            "registration_closes_at": self._closes_at(),
            "consultation_id": self.consultation_id,
            "published": self.published.data == "yes",
        }

    @staticmethod
    def data_for(event) -> dict:
        """The form's starting values for an existing event, shown in UK time."""
        starts, ends = to_user_timezone(event.starts_at), to_user_timezone(event.ends_at)
        closes = (
            to_user_timezone(event.registration_closes_at) if event.registration_closes_at else None
        )
        return {
            "title": event.title,
            "description": event.description,
            "day": starts.date(),
            "start_time": starts.strftime("%H:%M"),
            "end_time": ends.strftime("%H:%M"),
            "venue": event.venue,
            "address": event.address,
            "online_link": event.online_link,
            "access": [name for name, _label in ACCESS_FEATURES if getattr(event, name)],
            "access_notes": event.access_notes,
            "capacity": event.capacity,
            "closes_day": closes.date() if closes else None,
            "closes_time": closes.strftime("%H:%M") if closes else "",
            "consultation": str(event.consultation_id) if event.consultation_id else "",
            "published": "yes" if event.published else "no",
        }


class CancelEventForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the event cancelled?"),
        widget=GovTextArea(),
        filters=[trimmed],
        description=_l("Everyone registered or on the waiting list is emailed this reason."),
        validators=[
            DataRequired(message=_l("Enter why the event is cancelled")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Cancel the event and email everyone"), widget=GovSubmitInput())


class AttendanceForm(FlaskForm):
    attended = IdCheckboxesField(
        _l("Who came"),
        description=_l(
            "Select everyone who came. Anyone not selected is recorded as not attending."
        ),
        invalid_message=_l("Select people from the list"),
    )
    submit = SubmitField(_l("Save attendance"), widget=GovSubmitInput())

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attended.choices = [(r.id, r.name) for r in registrations]


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("What was said"),
        widget=GovCharacterCount(),
        filters=[trimmed],
        description=_l(
            "One note for each point or group of points. Each note goes to the inbox to be coded."
        ),
        validators=[
            DataRequired(message=_l("Enter what was said")),
            Length(max=10000, message=_l("The note must be 10,000 characters or fewer")),
        ],
    )
    areas = IdCheckboxesField(
        _l("Areas of weakness it is about (optional)"),
        description=_l("A starting point for coding. You can change it in the inbox."),
        invalid_message=_l("Select areas of weakness from the list"),
    )
    submit = SubmitField(_l("Add note"), widget=GovSubmitInput())

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas.choices = area_choices(areas)
