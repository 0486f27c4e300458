"""The form staff use to type in "Tell us" feedback that reached them by phone, email, letter,
in person or at an event.

The questions, and every message about them, are the public form's (`FeedbackQuestions`), worded
for staff; this form adds only what staff give: how and when it reached us, the event, the
language, the person's agreement to it being recorded and to being contacted, and the token that
makes pressing the button twice store it once.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..domain.shared.dates import local_today
from ..domain.shared.text import clean_line
from ..forms import ChoiceRadioField, ChoiceSelectField, GovukDateField
from ..models import Channel
from ..public.feedback_forms import FeedbackQuestions

NO_EVENT = ""

# How each channel is offered, in the order of STAFF_ENTRY_CHANNELS.
CHANNEL_CHOICES = [
    (Channel.PHONE.value, _l("By phone")),
    (Channel.EMAIL.value, _l("By email")),
    (Channel.LETTER.value, _l("By letter")),
    (Channel.IN_PERSON.value, _l("In person")),
    (Channel.EVENT.value, _l("At an event")),
]


class FeedbackEntryForm(FeedbackQuestions):
    channel = ChoiceRadioField(
        _l("How did the feedback reach you?"),
        widget=GovRadioInput(),
        choices=CHANNEL_CHOICES,
        invalid_message=_l("Select how the feedback reached you"),
    )
    event = ChoiceSelectField(
        _l("Which event? (optional)"),
        widget=GovSelect(),
        choices=[],
        default=NO_EVENT,
        invalid_message=_l("Select the event from the list"),
    )
    received_on = GovukDateField(_l("Date received"), id="received_on-day")
    language = ChoiceSelectField(
        _l("Language they used"),
        widget=GovSelect(),
        choices=[],
        default="en",
        invalid_message=_l("Select the language from the list"),
    )
    agreed_to_record = BooleanField(
        _l("They agreed to their feedback being recorded here"), widget=GovCheckboxInput()
    )
    wants_contact = ChoiceRadioField(
        _l("Did they agree to be contacted about their feedback?"),
        widget=GovRadioInput(),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        validators=[
            DataRequired(
                message=_l("Select yes if they agreed to be contacted, or no if they did not")
            )
        ],
        invalid_message=_l("Select yes if they agreed to be contacted, or no if they did not"),
    )
    contact_name = StringField(
        _l("Their name (optional)"),
        widget=GovTextInput(),
        filters=[clean_line],
        validators=[Length(max=120, message=_l("Name must be 120 characters or fewer"))],
    )

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.event.choices = [(NO_EVENT, _l("Not one of these events"))] + [
            (str(event.id), f"{event.title} ({event.starts_at:%d/%m/%Y})") for event in events
        ]
        self.language.choices = list(current_app.config["LANGUAGES"].items())
        self.text.label.text = _l("What happened?")
        self.text.description = _l(
            "Write down what they told you, in their own words where you can. Leave out names "
            "and anything else that could identify them or their child."
        )
        self.rating.label.text = _l("How did they rate their experience? (optional)")
        self.email.label.text = _l("Their email address")
        self.consent_to_quote.label.text = _l(
            "Did they agree to be quoted, without their name or details?"
        )
        if not self.is_submitted() and self.received_on.data is None:
            self.received_on.process(None, local_today())

    def validate(self, extra_validators=None) -> bool:
        """Contact details only with the agreement to be contacted; with it, an address to
        reply to."""
        valid = super().validate(extra_validators)
        if self.wants_contact.data == "yes" and not self.email.data and not self.email.errors:
            self.email.errors = [
                str(
                    _l(
                        "Enter their email address, or select no if they did not agree to be "
                        "contacted"
                    )
                )
            ]
            return False
        return valid

    @property
    def event_id(self) -> int | None:
        return int(self.event.data) if self.event.data and self.event.data.isdigit() else None

    @property
    def contact_email(self) -> str | None:
        return (self.email.data or None) if self.wants_contact.data == "yes" else None
