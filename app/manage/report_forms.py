"""The board report's period choice, and publishing a report."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import HiddenField, SelectField
from wtforms.validators import ValidationError

from ..forms import GovukDateField


class ReportPeriodForm(FlaskForm):
    """A GET form: a recent quarter from the list, or any dates from and to."""

    class Meta:
        csrf = False  # a GET form that only reads

    period = SelectField(_l("Quarter"), widget=GovSelect(), validate_choice=False)
    date_from = GovukDateField(_l("From"), id="date_from-day", after_2000=True)
    date_to = GovukDateField(_l("To"), id="date_to-day", after_2000=True)

    def __init__(self, quarters, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = [("", _l("Choose dates instead"))] + [
            (quarter.slug, quarter.label) for quarter in quarters
        ]

    def validate_period(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Select a quarter from the list"))

    @property
    def dates_given(self) -> bool:
        return bool(self.date_from.data or self.date_to.data)


class PublishReportForm(FlaskForm):
    period = HiddenField()
