"""Forms for teams (/manage/teams), handing a contribution over, and working a case."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..domain.thread.cases import (
    EMAIL_LIMIT,
    NAME_LIMIT,
    NOTE_LIMIT,
    OTHER_METHODS,
    REPLY_LIMIT,
    TeamDetails,
)
from ..forms import ChoiceRadioField, ChoiceSelectField, QueryForm, trimmed
from ..models import CaseState


class TeamForm(FlaskForm):
    name = StringField(
        _l("Team name"),
        widget=GovTextInput(),
        description=_l("For example, SEND casework (North Kent)."),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter the team’s name")),
            Length(
                max=NAME_LIMIT,
                message=_l("The name must be %(limit)d characters or fewer", limit=NAME_LIMIT),
            ),
        ],
    )
    organisation = ChoiceSelectField(
        _l("Organisation"),
        widget=GovSelect(),
        validators=[DataRequired(message=_l("Select the team’s organisation"))],
        invalid_message=_l("Select the team’s organisation"),
    )
    email = StringField(
        _l("Shared email address"),
        widget=GovTextInput(),
        description=_l(
            "The team’s shared inbox. It is told when a case is passed to the team, with a link "
            "to the case, never what the person said."
        ),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter the team’s shared email address")),
            Length(
                max=EMAIL_LIMIT,
                message=_l(
                    "Email address must be %(limit)d characters or fewer", limit=EMAIL_LIMIT
                ),
            ),
        ],
    )
    reply_days = StringField(
        _l("Target reply time, in working days"),
        widget=GovTextInput(),
        description=_l("From 1 to 60. Weekends and bank holidays are not counted."),
        default="10",
        filters=[trimmed],
        validators=[DataRequired(message=_l("Enter the target reply time in working days"))],
    )
    submit = SubmitField(_l("Save team"), widget=GovSubmitInput())

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [("", _l("Choose an organisation"))] + [
            (str(o.id), o.name) for o in organisations
        ]

    def validate_reply_days(self, field):
        if field.data and not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError(_l("Enter the target reply time as a whole number of days"))

    @property
    def details(self) -> TeamDetails:
        days = self.reply_days.data or ""
        return TeamDetails(
            name=self.name.data or "",
            organisation_id=int(self.organisation.data) if self.organisation.data else None,
            email=self.email.data or "",
            reply_days=int(days[:4]) if days.isascii() and days.isdigit() else None,
        )


class HandOffForm(FlaskForm):
    team = ChoiceRadioField(
        _l("Which team will take this case?"),
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select the team who will take this case"))],
        invalid_message=_l("Select the team who will take this case"),
    )
    person = ChoiceSelectField(
        _l("Which person will take it (optional)"),
        widget=GovSelect(),
        invalid_message=_l("Select a member of staff from the list"),
    )
    note = TextAreaField(
        _l("Note for staff (optional)"),
        widget=GovTextArea(),
        description=_l("Only staff see this. It is not sent in the team’s email."),
        validators=[
            Length(
                max=NOTE_LIMIT,
                message=_l("The note must be %(limit)d characters or fewer", limit=NOTE_LIMIT),
            )
        ],
    )
    submit = SubmitField(_l("Hand over"), widget=GovSubmitInput())

    def __init__(self, teams, staff, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = [
            (str(team.id), f"{team.name} ({team.organisation.name})") for team in teams
        ]
        self.person.choices = [("", _l("Nobody in particular"))] + [
            (str(user.id), user.name) for user in staff
        ]


class ReplyForm(FlaskForm):
    text = TextAreaField(
        _l("Your reply"),
        widget=GovTextArea(),
        description=_l("Sent by email to the address the person left, in a plain email."),
        validators=[
            DataRequired(message=_l("Enter your reply")),
            Length(
                max=REPLY_LIMIT,
                message=_l("The reply must be %(limit)d characters or fewer", limit=REPLY_LIMIT),
            ),
        ],
    )
    submit = SubmitField(_l("Send reply"), widget=GovSubmitInput())


class RecordReplyForm(FlaskForm):
    method = ChoiceRadioField(
        _l("How did you reply?"),
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select how you replied"))],
        invalid_message=_l("Select how you replied"),
    )
    text = TextAreaField(
        _l("What you told them"),
        widget=GovTextArea(),
        description=_l("A short summary for the case record. Only staff see it."),
        validators=[
            DataRequired(message=_l("Enter what you told them")),
            Length(
                max=REPLY_LIMIT,
                message=_l("The reply must be %(limit)d characters or fewer", limit=REPLY_LIMIT),
            ),
        ],
    )
    submit = SubmitField(_l("Record reply"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = [(m.value, m.label) for m in OTHER_METHODS]


class CloseForm(FlaskForm):
    note = TextAreaField(
        _l("Note (optional)"),
        widget=GovTextArea(),
        description=_l("Only staff see this."),
        validators=[
            Length(
                max=NOTE_LIMIT,
                message=_l("The note must be %(limit)d characters or fewer", limit=NOTE_LIMIT),
            )
        ],
    )
    submit = SubmitField(_l("Close case"), widget=GovSubmitInput())


ANY_TEAM = ""


class CaseFilterForm(QueryForm):
    team = ChoiceSelectField(
        _l("Team"), widget=GovSelect(), invalid_message=_l("Select a team from the list")
    )
    state = ChoiceSelectField(
        _l("State"), widget=GovSelect(), invalid_message=_l("Select a state from the list")
    )
    submit = SubmitField(_l("Show cases"), widget=GovSubmitInput())

    def __init__(self, teams, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = [(ANY_TEAM, _l("Every team"))] + [
            (str(team.id), team.name) for team in teams
        ]
        self.state.choices = [("open", _l("Open")), ("all", _l("Any state"))] + [
            (state.value, state.label) for state in CaseState
        ]
