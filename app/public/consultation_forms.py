"""Forms for commenting on a consultation and reporting a comment. No account, no email."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..domain.engagement.consultations import GENERAL
from ..domain.engagement.moderation import MAX_COMMENT_LENGTH, MAX_NAME_LENGTH, MAX_REASON_LENGTH
from ..domain.shared.ids import valid_id
from ..domain.shared.text import clean_line, clean_text
from ..forms import BotTrap, ChoiceRadioField, hear_back_email, no_longer_than


def _comment_too_long(length, **numbers):
    return ngettext(
        "Your comment must be %(max)s characters or fewer. You have entered %(count)s character.",
        "Your comment must be %(max)s characters or fewer. You have entered %(count)s characters.",
        length,
        **numbers,
    )


def _reason_too_long(length, **numbers):
    return ngettext(
        "The reason must be %(max)s characters or fewer. You have entered %(count)s character.",
        "The reason must be %(max)s characters or fewer. You have entered %(count)s characters.",
        length,
        **numbers,
    )


class CommentForm(BotTrap, FlaskForm):
    about = ChoiceRadioField(
        _l("What is your comment about?"),
        widget=GovRadioInput(),
        choices=[],
        # Nothing ticked in advance: a comment with no choice is about the consultation as a whole.
        invalid_message=_l("Select what your comment is about"),
    )
    display_name = StringField(
        _l("Your name (optional)"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l(
            "Shown with your comment. Leave it empty to be shown as “Anonymous”. "
            "You can use a first name or a nickname."
        ),
        validators=[
            Length(max=MAX_NAME_LENGTH, message=_l("Your name must be 100 characters or fewer"))
        ],
    )
    text = StringField(
        _l("Your comment"),
        widget=GovCharacterCount(),
        filters=[clean_text],
        description=_l(
            "Do not include anything that could identify you or your child, such as names, "
            "schools or health details."
        ),
        validators=[
            DataRequired(message=_l("Enter your comment")),
            no_longer_than(MAX_COMMENT_LENGTH, _comment_too_long),
        ],
    )
    email = hear_back_email()
    consent = BooleanField(
        _l("I agree that my comment, and the name I give, will be shown publicly on this page"),
        widget=GovCheckboxInput(),
        validators=[
            DataRequired(
                message=_l(
                    "Tick the box to agree to your comment being shown publicly. We need your "
                    "agreement because "
                    "anyone can read the comments on this page."
                )
            )
        ],
    )
    submit = SubmitField(_l("Send comment"), widget=GovSubmitInput())

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.about.choices = [(str(p_id), title) for p_id, title in proposals] + [
            (GENERAL, str(_l("The consultation as a whole")))
        ]

    def prefill(self, about: str | None) -> None:
        if about and about in {value for value, _label in self.about.choices}:
            self.about.data = about

    @property
    def proposal_id(self) -> int | None:
        value = self.about.data or GENERAL
        return valid_id(value) if value != GENERAL else None


class ReportForm(BotTrap, FlaskForm):
    reason = StringField(
        _l("Why are you reporting this comment?"),
        widget=GovCharacterCount(),
        filters=[clean_text],
        description=_l("For example, it includes someone’s personal details, or it is offensive."),
        validators=[
            DataRequired(message=_l("Enter why you are reporting this comment")),
            no_longer_than(MAX_REASON_LENGTH, _reason_too_long),
        ],
    )
    submit = SubmitField(_l("Report this comment"), widget=GovSubmitInput())
