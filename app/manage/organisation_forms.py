"""The form for adding or renaming an organisation (/manage/organisations)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..domain.people.organisations import NAME_LIMIT, SHORT_NAME_LIMIT
from ..forms import trimmed


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        description=_l("In full, for example Kent County Council."),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter the organisation’s name")),
            Length(
                max=NAME_LIMIT,
                message=_l("The name must be %(limit)d characters or fewer", limit=NAME_LIMIT),
            ),
        ],
    )
    short_name = StringField(
        _l("Short name (optional)"),
        widget=GovTextInput(),
        description=_l("Shown where space is short, for example KCC."),
        filters=[trimmed],
        validators=[
            Length(
                max=SHORT_NAME_LIMIT,
                message=_l(
                    "The short name must be %(limit)d characters or fewer", limit=SHORT_NAME_LIMIT
                ),
            )
        ],
    )
