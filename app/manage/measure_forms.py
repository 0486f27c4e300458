"""Forms for outcome measures on plan actions: a measure, a value, a correction, a CSV of values.

The forms only read what was typed (a number, a real date); whether it is acceptable (ranges,
one value per date, dates not in the future) is the domain's, in domain/plan/measures.py.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, Field, StringField, SubmitField, TextAreaField

from ..domain.plan.measures import parse_number
from ..forms import GovukDateField, trimmed
from ..models import BetterDirection, MeasureUnit
from .plan_forms import StatusRadioField, TranslatedDateInput


class NumberField(Field):
    """A number as people type it ("62", "62.5", "1,250", "62%"); the typed text is kept."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a number, like 62 or 62.5")
        self.typed = ""

    def process_formdata(self, valuelist):
        self.typed = (valuelist[0] if valuelist else "")[:40]
        if not self.typed.strip():
            self.data = None
            return
        self.data = parse_number(self.typed)
        if self.data is None:
            raise ValueError(str(self.invalid_message))

    def _value(self):
        if self.raw_data:
            return self.typed
        if self.data is None:
            return ""
        return f"{self.data:g}" if abs(self.data) < 1e15 else str(self.data)


def _date_field(label, name_in_messages, field_id, description):
    return GovukDateField(
        label,
        id=f"{field_id}-day",
        widget=TranslatedDateInput(),
        one_name=True,
        name_in_messages=name_in_messages,
        description=description,
    )


class MeasureForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        filters=[trimmed],
        description=_l("What is measured, like EHC plans issued within 20 weeks."),
        render_kw={"required": True},
    )
    description = TextAreaField(
        _l("What it means, in plain English"),
        widget=GovTextArea(),
        filters=[trimmed],
        description=_l("Shown to parents and young people on the action's page when public."),
    )
    unit = StatusRadioField(_l("Unit"), widget=GovRadioInput(), validate_choice=False)
    better = StatusRadioField(
        _l("Which way is better"), widget=GovRadioInput(), validate_choice=False
    )
    baseline_value = NumberField(
        _l("Baseline value"),
        widget=GovTextInput(),
        description=_l("Where the measure stood before the action started."),
        invalid_message=_l("The baseline value must be a number, like 62 or 62.5"),
    )
    baseline_date = _date_field(
        _l("Baseline date"), _l("Baseline date"), "baseline_date", _l("For example, 31 3 2026")
    )
    target_value = NumberField(
        _l("Target value"),
        widget=GovTextInput(),
        invalid_message=_l("The target value must be a number, like 62 or 62.5"),
    )
    target_date = _date_field(
        _l("Target date"), _l("Target date"), "target_date", _l("For example, 31 3 2027")
    )
    source = StringField(
        _l("Source of the figures"),
        widget=GovTextInput(),
        filters=[trimmed],
        description=_l("For example, KCC EHC plan data or ICB waiting list."),
    )
    public = BooleanField(
        _l("Show this measure on the public pages and in open data"), widget=GovCheckboxInput()
    )
    submit = SubmitField(_l("Save measure"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = MeasureUnit.choices()
        self.better.choices = BetterDirection.choices()

    def values(self) -> dict:
        return {
            "name": self.name.data or "",
            "description": self.description.data or "",
            "unit": self.unit.data,
            "better": self.better.data,
            "baseline_value": self.baseline_value.data,
            "baseline_date": self.baseline_date.data,
            "target_value": self.target_value.data,
            "target_date": self.target_date.data,
            "source": self.source.data or "",
            "public": bool(self.public.data),
        }

    @staticmethod
    def data_for(measure) -> dict:
        return {
            name: getattr(measure, name)
            for name in (
                "name",
                "description",
                "unit",
                "better",
                "baseline_value",
                "baseline_date",
                "target_value",
                "target_date",
                "source",
                "public",
            )
        }


class ValueForm(FlaskForm):
    measured_on = _date_field(
        _l("Date"),
        _l("The date"),
        "measured_on",
        _l("The day the figure is for, like the last day of a month: 31 10 2026"),
    )
    value = NumberField(_l("Value"), widget=GovTextInput())
    note = TextAreaField(
        _l("Note (optional)"),
        widget=GovTextArea(),
        filters=[trimmed],
        description=_l("Published with the value. Do not include anyone's personal details."),
    )
    submit = SubmitField(_l("Record value"), widget=GovSubmitInput())


class CorrectionForm(FlaskForm):
    value = NumberField(_l("New value"), widget=GovTextInput())
    reason = TextAreaField(
        _l("Reason for the correction"),
        widget=GovTextArea(),
        filters=[trimmed],
        description=_l(
            "Published in the measure's history with the old and new values, like: late returns "
            "from two teams were added."
        ),
    )
    submit = SubmitField(_l("Correct value"), widget=GovSubmitInput())


class ValuesImportForm(FlaskForm):
    csv_file = FileField(
        _l("Upload a CSV file"),
        widget=GovFileInput(),
        description=_l("Save your spreadsheet as 'CSV UTF-8'. Up to 1,000 values at a time."),
        validators=[FileRequired(message=_l("Choose a CSV file to import"))],
    )
    submit = SubmitField(_l("Import values"), widget=GovSubmitInput())
