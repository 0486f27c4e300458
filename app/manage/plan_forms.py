"""Forms for the staff improvement-plan pages.

The forms only read what was typed (a whole number, a real date); the plan's rules (what is
required, how long, unique references and numbers) are the domain's, in domain/plan/rules.py.
Choices (organisations, areas) come from the view, so the forms never query the database.
"""

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from ..domain.shared.ids import valid_id
from ..forms import GovukDateField, IdCheckboxesField, area_choices, trimmed
from ..models import ActionStatus
from ..models.plan import STATUS_LABELS

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_DIGITS = re.compile(r"[0-9]+")


class WholeNumberField(IntegerField):
    """An integer field with our own message when the text is not a whole number."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a whole number")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        if not text:
            self.data = None
            return
        if not _WHOLE_NUMBER.fullmatch(text):
            self.data = None
            raise ValueError(str(self.invalid_message))
        self.data = int(text)


class TranslatedDateInput(GovDateInput):
    """GOV.UK date input with translated Day/Month/Year labels that never fails on odd input.

    The error summary links to the day box (the field's id); the error message sits on the group.
    """

    def map_gov_params(self, field, **kwargs):
        kwargs["id"] = field.name
        params = super(GovDateInput, self).map_gov_params(field, **kwargs)
        raw = (
            field.raw_data
            if isinstance(field.raw_data, list) and len(field.raw_data) == 3
            else None
        )
        if raw is not None:
            day, month, year = raw
        elif isinstance(field.data, date):
            day, month, year = str(field.data.day), str(field.data.month), str(field.data.year)
        else:
            day = month = year = ""
        error_class = "govuk-input--error" if field.errors else ""
        params.setdefault("fieldset", {"legend": {"text": field.label.text}})
        params["items"] = [
            {
                "label": _("Day"),
                "id": f"{field.name}-day",
                "name": field.name,
                "classes": f"govuk-input--width-2 {error_class}".strip(),
                "value": day,
            },
            {
                "label": _("Month"),
                "id": f"{field.name}-month",
                "name": field.name,
                "classes": f"govuk-input--width-2 {error_class}".strip(),
                "value": month,
            },
            {
                "label": _("Year"),
                "id": f"{field.name}-year",
                "name": field.name,
                "classes": f"govuk-input--width-4 {error_class}".strip(),
                "value": year,
            },
        ]
        return params


class AreaForm(FlaskForm):
    number = WholeNumberField(
        _l("Area number"),
        widget=GovTextInput(),
        description=_l("A whole number from 1 to 99, as numbered in the inspection report."),
        invalid_message=_l("Area number must be a whole number, like 3"),
        render_kw={"required": True},
    )
    title = StringField(_l("Title"), widget=GovTextInput(), render_kw={"required": True})
    finding = TextAreaField(
        _l("The inspection's finding"),
        widget=GovTextArea(),
        description=_l("In the inspection report's own words."),
        render_kw={"required": True},
    )
    plain_summary = TextAreaField(
        _l("Summary in plain English (optional)"),
        widget=GovTextArea(),
        description=_l("What the finding means, for parents and carers."),
    )
    young_person_summary = TextAreaField(
        _l("Summary for young people (optional)"),
        widget=GovTextArea(),
        description=_l("Short sentences and everyday words."),
    )
    submit = SubmitField(_l("Save area"), widget=GovSubmitInput())


class StatusRadioField(RadioField):
    """Radios where a submission without a choice means no choice (not the previous value)."""

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else None


def status_choices() -> list[tuple[str, object]]:
    return [(status.value, STATUS_LABELS[status]) for status in ActionStatus]


class ActionForm(FlaskForm):
    """Edit an action. Status and progress are not here: they change only through progress
    updates."""

    reference = StringField(
        _l("Reference"),
        widget=GovTextInput(),
        filters=[trimmed],
        description=_l("Letters, numbers, dots and hyphens, like APP-3.2"),
        render_kw={"required": True},
    )
    title = StringField(_l("Title"), widget=GovTextInput(), render_kw={"required": True})
    description = TextAreaField(_l("Description (optional)"), widget=GovTextArea())
    owner_organisation_id = SelectField(
        _l("Owner"),
        widget=GovSelect(),
        description=_l("The organisation responsible for this action."),
        coerce=valid_id,
        validate_choice=False,
    )
    lead = StringField(
        _l("Lead (optional)"),
        widget=GovTextInput(),
        description=_l("The person or role leading the work, like Head of SEND Operations."),
    )
    due_date = GovukDateField(
        _l("Due date (optional)"),
        id="due_date-day",
        widget=TranslatedDateInput(),
        one_name=True,
        name_in_messages=_l("Due date"),
        description=_l("For example, 31 3 2026"),
    )
    areas = IdCheckboxesField(
        _l("Areas of weakness"),
        description=_l("Select all the areas this action helps to fix."),
        invalid_message=_l("Select areas of weakness from the list"),
    )
    submit = SubmitField(_l("Save action"), widget=GovSubmitInput())

    def __init__(self, *args, organisations=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_organisation_id.choices = [("", _("Choose an organisation"))] + [
            (organisation.id, organisation.name) for organisation in organisations
        ]
        self.areas.choices = area_choices(areas)

    @staticmethod
    def data_for(action) -> dict:
        return {
            "reference": action.reference,
            "title": action.title,
            "description": action.description,
            "owner_organisation_id": action.owner_organisation_id,
            "lead": action.lead,
            "due_date": action.due_date,
            "areas": [area.id for area in action.areas],
        }


class NewActionForm(ActionForm):
    """A new action also gets its starting status and progress."""

    status = StatusRadioField(
        _l("Status"),
        widget=GovRadioInput(),
        default=ActionStatus.NOT_STARTED.value,
        validate_choice=False,
    )
    progress = WholeNumberField(
        _l("Progress"),
        widget=GovTextInput(),
        default=0,
        description=_l("Per cent complete, a whole number from 0 to 100."),
        invalid_message=_l("Progress must be a whole number, like 40"),
        render_kw={"required": True},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = status_choices()


class ProgressUpdateForm(FlaskForm):
    status = StatusRadioField(
        _l("Status"),
        widget=GovRadioInput(),
        validate_choice=False,
    )
    progress = WholeNumberField(
        _l("Progress"),
        widget=GovTextInput(),
        description=_l("Per cent complete, a whole number from 0 to 100."),
        invalid_message=_l("Progress must be a whole number, like 40"),
        render_kw={"required": True},
    )
    note = TextAreaField(
        _l("What has changed"),
        widget=GovTextArea(),
        description=_l(
            "This is published on the action's public page. "
            "Do not include anyone's personal details."
        ),
        render_kw={"required": True},
    )
    submit = SubmitField(_l("Post update"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = status_choices()


class ImportForm(FlaskForm):
    csv_file = FileField(
        _l("Upload a CSV file"),
        widget=GovFileInput(),
        description=_l("Save your spreadsheet as 'CSV UTF-8'. Up to 1,000 actions at a time."),
        validators=[FileRequired(message=_l("Choose a CSV file to import"))],
    )
    submit = SubmitField(_l("Import actions"), widget=GovSubmitInput())
