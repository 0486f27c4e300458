"""Forms for the reach page's filters and for reach baselines."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import ValidationError

from ..forms import GovukDateField, trimmed


class ReachFilterForm(FlaskForm):
    """A GET form that only reads: the period and what to count."""

    class Meta:
        csrf = False

    date_from = GovukDateField(_l("From"), id="date_from-day", name_in_messages=_l("Date from"))
    date_to = GovukDateField(_l("To"), id="date_to-day", name_in_messages=_l("Date to"))
    activity = SelectField(_l("What to count"), validate_choice=False)

    def __init__(self, activity_groups: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_groups = activity_groups
        self.offered = {value for items in activity_groups.values() for value, _t in items}

    def validate_activity(self, field):
        if field.data and field.data not in self.offered:
            raise ValidationError(_l("Select everything, or a survey, consultation or event"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and self.date_from.data > field.data:
            raise ValidationError(_l("Date to must be the same as or after date from"))


def share_field_name(index: int) -> str:
    return f"share_{index}"


class BaselineForm(FlaskForm):
    """One dimension's baselines: a share for each group (fields added per group by the view),
    where the figures come from, and the date they describe."""

    source = StringField(
        _l("Source"),
        widget=GovTextInput(),
        description=_l("Where the figures come from, like 'KCC SEN2 return, January 2026'"),
        filters=[trimmed],
    )
    as_of = GovukDateField(_l("Date the figures describe"), id="as_of-day", after_2000=True)
    submit = SubmitField(_l("Save baselines"), widget=GovSubmitInput())


def baseline_form(groups: list[tuple[str, str]], *args, **kwargs) -> BaselineForm:
    """The form with one share box for each group, in order."""

    class Form(BaselineForm):
        pass

    for index, (_code, label) in enumerate(groups):
        setattr(
            Form,
            share_field_name(index),
            StringField(
                label,
                widget=GovTextInput(),
                filters=[trimmed],
            ),
        )
    return Form(*args, **kwargs)


class BaselineImportForm(FlaskForm):
    csv_file = FileField(
        _l("Upload a CSV file"),
        widget=GovFileInput(),
        description=_l("Save your spreadsheet as 'CSV UTF-8'. Up to 500 baselines at a time."),
        validators=[FileRequired(message=_l("Choose a CSV file to import"))],
    )
    submit = SubmitField(_l("Import baselines"), widget=GovSubmitInput())
