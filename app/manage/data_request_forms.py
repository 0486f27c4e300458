"""Forms for families' data requests (/manage/data-requests)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..domain.people.data_rights import REASON_LIMIT, WHAT_THEY_SAID
from ..forms import ChoiceRadioField, trimmed


class FindForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        description=_l("The address the person gave us, for example with feedback or an event."),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter the email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )


class DownloadForm(FlaskForm):
    email = HiddenField(filters=[trimmed])


class EraseForm(FlaskForm):
    email = HiddenField(filters=[trimmed])
    what_they_said = ChoiceRadioField(
        _l("What they said"),
        widget=GovRadioInput(),
        choices=WHAT_THEY_SAID,
        description=_l(
            "Contact details, subscriptions, event registrations and emails are always deleted."
        ),
        validators=[
            DataRequired(
                message=_l("Select whether to keep what they said anonymously or remove it")
            )
        ],
    )
    reason = TextAreaField(
        _l("Reason"),
        widget=GovTextArea(),
        description=_l(
            "For the audit log: for example the person’s request, when it came and who checked "
            "their identity. Do not include their email address."
        ),
        filters=[trimmed],
        validators=[
            DataRequired(
                message=_l("Enter the reason, for example the person’s request and its date")
            ),
            Length(
                max=REASON_LIMIT,
                message=_l("The reason must be %(limit)d characters or fewer", limit=REASON_LIMIT),
            ),
        ],
    )
