"""Forms for managing staff accounts (/manage/users)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from ..models import Role


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class InChoices:
    """The submitted value must be one of the field's choices (WTForms' own check says "Not a valid choice")."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data not in {str(value) for value, _label in field.choices}:
            raise ValidationError(self.message)


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in Role]


def role_hints() -> list[dict]:
    """Params for GovRadioInput: each role's description as the hint under its radio."""
    return [{"hint": {"text": role.description}} for role in Role]


class InviteUserForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the person's full name")),
            Length(max=120, message=_l("Full name must be 120 characters or fewer")),
        ],
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        description=_l("Their work email address. The invitation is sent here."),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter their email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
        ],
    )
    role = RadioField(
        _l("Role"),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[DataRequired(message=_l("Select a role")), InChoices(_l("Select a role"))],
    )
    organisation = SelectField(
        _l("Organisation"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Select the organisation they work for")),
            InChoices(_l("Select the organisation they work for")),
        ],
    )
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.organisation.choices = [("", _l("Choose an organisation"))] + [
            (str(organisation.id), organisation.name) for organisation in organisations
        ]


class ChangeRoleForm(FlaskForm):
    role = RadioField(
        _l("Role"),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[DataRequired(message=_l("Select a role")), InChoices(_l("Select a role"))],
    )
    submit = SubmitField(_l("Change role"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
