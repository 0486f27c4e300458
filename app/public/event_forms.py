"""Registering for a co-production event, and cancelling a place."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from ..domain.engagement.events import (
    ATTENDEE_TYPES,
    MAX_ACCESS_NEEDS_LENGTH,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
)
from ..domain.shared.text import clean_line, clean_text
from ..forms import ChoiceRadioField, no_longer_than


def _access_needs_too_long(length, **numbers):
    return ngettext(
        "Access needs and support must be %(max)s characters or fewer. You have entered %(count)s "
        "character.",
        "Access needs and support must be %(max)s characters or fewer. You have entered %(count)s "
        "characters.",
        length,
        **numbers,
    )


class RegistrationForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        widget=GovTextInput(),
        filters=[clean_line],
        validators=[
            DataRequired(message=_l("Enter your name")),
            Length(max=MAX_NAME_LENGTH, message=_l("Name must be 120 characters or fewer")),
        ],
    )
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l("We send your confirmation and your cancel link to this address"),
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(
                max=MAX_EMAIL_LENGTH, message=_l("Email address must be 254 characters or fewer")
            ),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
    )
    attendee_type = ChoiceRadioField(
        _l("Are you a…"),
        widget=GovRadioInput(),
        choices=ATTENDEE_TYPES,
        validators=[
            DataRequired(
                message=_l(
                    "Select whether you are a parent or carer, a young person or a professional"
                )
            )
        ],
        invalid_message=_l(
            "Select whether you are a parent or carer, a young person or a professional"
        ),
    )
    access_needs = StringField(
        _l("Access needs and support to take part (optional)"),
        widget=GovCharacterCount(),
        filters=[clean_text],
        description=_l("Only the event organisers see this"),
        validators=[no_longer_than(MAX_ACCESS_NEEDS_LENGTH, _access_needs_too_long)],
    )
    # A trap for robots: people never see it, so it stays empty.
    website = StringField(_l("Leave this empty"), filters=[clean_line])
    submit = SubmitField(_l("Register"), widget=GovSubmitInput())

    def __init__(self, *args, young_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.young_person = young_person
        if young_person:
            self._use_young_person_wording()

    def _use_young_person_wording(self) -> None:
        """Spoken to a young person signing up for themselves; the checks stay the same."""
        self.email.label.text = _l("Your email address")
        self.email.description = _l(
            "We will email you to confirm your place, with a link to cancel if you cannot come"
        )
        self.attendee_type.label.text = _l("Who are you?")
        self.access_needs.label.text = _l("Anything you need so you can take part (optional)")
        self.access_needs.description = _l(
            "For example breaks, a quiet space, or someone coming with you. Only the people "
            "running the event see this."
        )


class CancelPlaceForm(FlaskForm):
    """Only the CSRF token and the button: the link's token says whose place it is."""

    submit = SubmitField(_l("Cancel my place"), widget=GovSubmitInput())
