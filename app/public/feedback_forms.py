"""Forms for "Tell us" feedback and tracking a reference."""

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
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..domain.shared.text import clean_line, clean_text
from ..domain.thread import about_you
from ..domain.thread.feedback import MAX_TEXT_LENGTH, RATINGS, YOUNG_PERSON_RATINGS, topics
from ..domain.thread.references import normalise_reference
from ..forms import (
    AboutYouAnswers,
    BotTrap,
    ChoiceRadioField,
    QueryForm,
    SentOnce,
    about_you_fields,
    no_longer_than,
)

NO_RATING = "none"


def _what_happened_too_long(length, **numbers):
    return ngettext(
        "What happened must be %(max)s characters or fewer. You have entered %(count)s character.",
        "What happened must be %(max)s characters or fewer. You have entered %(count)s characters.",
        length,
        **numbers,
    )


class FeedbackQuestions(SentOnce, AboutYouAnswers, FlaskForm):
    """The questions of "Tell us", with their checks: the public form and staff entering feedback
    someone gave them by phone, email, letter or in person ask the same and say the same, and
    each form shown is stored once however often it is sent."""

    topic = ChoiceRadioField(
        _l("What is it about?"),
        widget=GovRadioInput(),
        choices=[],
        validators=[DataRequired(message=_l("Select what your feedback is about"))],
        invalid_message=_l("Select what your feedback is about"),
    )
    text = StringField(
        _l("What happened?"),
        widget=GovCharacterCount(),
        filters=[clean_text],
        description=_l(
            "Tell us what happened, when, and what difference it made to your child or family. "
            "You do not need to give names."
        ),
        validators=[
            DataRequired(message=_l("Enter what happened")),
            no_longer_than(MAX_TEXT_LENGTH, _what_happened_too_long),
        ],
    )
    rating = ChoiceRadioField(
        _l("How would you rate your experience? (optional)"),
        widget=GovRadioInput(),
        choices=[(str(value), label) for value, label in RATINGS]
        + [(NO_RATING, _l("Prefer not to say"))],
        invalid_message=_l("Select a rating from the list, or Prefer not to say"),
    )
    (relationship_to_child, district, age_group, need, setting, ehc_plan) = about_you_fields()
    email = EmailField(
        _l("Email address, if you want a reply (optional)"),
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
    consent_to_quote = ChoiceRadioField(
        _l("Can we quote what you wrote, without your name or details?"),
        widget=GovRadioInput(),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        invalid_message=_l("Select yes if we can quote what you wrote"),
    )

    def __init__(self, *args, young_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.young_person = young_person
        self.topic.choices = [
            (topic.value, str(topic.label_for(young_person))) for topic in topics()
        ]
        if young_person:
            self._use_young_person_wording()

    def _use_young_person_wording(self) -> None:
        """Spoken to the young person: shorter words, "you" and "your", their own "About you"
        questions and answers; the checks and their messages stay the same."""
        self.text.label.text = _l("What happened?")
        self.text.description = _l(
            "Tell us what happened and what difference it made to you. You do not need to use "
            "anyone's name."
        )
        self.rating.label.text = _l("How was it for you? (optional)")
        self.rating.choices = [(str(value), label) for value, label in YOUNG_PERSON_RATINGS] + [
            (NO_RATING, _l("I would rather not say"))
        ]
        self.email.label.text = _l("Your email address, if you want us to reply (optional)")
        self.consent_to_quote.label.text = _l(
            "Can we use your words, without your name or anything about you?"
        )
        for name, question in about_you.YOUNG_PERSON_QUESTIONS.items():
            field = getattr(self, name)
            field.label.text = question
            if name != "district":
                field.choices = about_you.young_person_choices(name)

    @property
    def topic_hints(self) -> list[dict]:
        """One item per topic for the radios' params: its hint, when it has one."""
        hints = [str(topic.hint_for(self.young_person)) for topic in topics()]
        return [{"hint": {"text": hint}} if hint else {} for hint in hints]

    @property
    def rating_value(self) -> int | None:
        return int(self.rating.data) if self.rating.data and self.rating.data != NO_RATING else None


class FeedbackForm(BotTrap, FeedbackQuestions):
    submit = SubmitField(_l("Send feedback"), widget=GovSubmitInput())


class TrackForm(QueryForm):
    """Looked up with GET, so the reference can be bookmarked; no CSRF token needed to read."""

    reference = StringField(
        _l("Your reference"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l("It is on your confirmation page, for example 7KM3-9PQR-XW2H"),
        validators=[
            DataRequired(message=_l("Enter your reference")),
            Length(
                max=40,
                message=_l("Enter your reference in the correct format, like 7KM3-9PQR-XW2H"),
            ),
        ],
    )

    def validate_reference(self, field):
        if normalise_reference(field.data) is None:
            raise ValidationError(
                _l("Enter your reference in the correct format, like 7KM3-9PQR-XW2H")
            )

    @property
    def normalised(self) -> str | None:
        return normalise_reference(self.reference.data)
