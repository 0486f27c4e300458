"""Forms for managing staff accounts (/manage/users)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from ..forms import ChoiceRadioField, ChoiceSelectField, trimmed
from ..models import Role


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in Role]


def role_hints() -> list[dict]:
    """Params for GovRadioInput: each role's description as the hint under its radio."""
    return [{"hint": {"text": role.description}} for role in Role]


class InviteUserForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter the person's full name")),
            Length(max=120, message=_l("Full name must be 120 characters or fewer")),
        ],
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        description=_l("Their work email address. The invitation is sent here."),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter their email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
        ],
    )
    role = ChoiceRadioField(
        _l("Role"),
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select a role"))],
        invalid_message=_l("Select a role"),
    )
    organisation = ChoiceSelectField(
        _l("Organisation"),
        widget=GovSelect(),
        validators=[DataRequired(message=_l("Select the organisation they work for"))],
        invalid_message=_l("Select the organisation they work for"),
    )
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.organisation.choices = [("", _l("Choose an organisation"))] + [
            (str(organisation.id), organisation.name) for organisation in organisations
        ]


class ChangeRoleForm(FlaskForm):
    role = ChoiceRadioField(
        _l("Role"),
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select a role"))],
        invalid_message=_l("Select a role"),
    )
    submit = SubmitField(_l("Change role"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class TwoStepRolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roles that must use two-step sign-in"),
        widget=GovCheckboxesInput(),
        description=_l(
            "People in these roles set up an authenticator app at their next sign-in, before "
            "they can use the staff pages. Anyone can turn it on for themselves."
        ),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = role_choices()
