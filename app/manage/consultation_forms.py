"""Forms for the staff consultation pages. Dates and times are typed in UK local time and
turned into naive UTC here, as the event forms do, so the domain only ever sees UTC."""

from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from ..domain.engagement.consultation_staff import (
    BACKGROUND_MAX,
    PROPOSAL_DESCRIPTION_MAX,
    SLUG_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    WHAT_WE_HEARD_MAX,
    ConsultationFields,
)
from ..domain.engagement.moderation import MAX_REASON_LENGTH
from ..domain.shared.ids import valid_id
from ..domain.shared.text import clean_line, clean_text
from ..forms import GovukDateField, action_choices, area_and_action_fields, area_choices
from ..models import Moderation, Stage
from .event_forms import TimeField

FOLLOW_DATES = "dates"
ALLOWED_TAGS_HINT = _l(
    "You can use headings (<h2>, <h3>), paragraphs (<p>), lists (<ul>, <ol>, <li>), links "
    '(<a href="https://…">) and emphasis (<strong>, <em>). Anything else is removed. Text '
    "with no tags becomes paragraphs, one for each block separated by a blank line."
)


class ConsultationForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[clean_line],
        validators=[
            DataRequired(message=_l("Enter a title")),
            Length(
                max=TITLE_MAX,
                message=_l("Title must be %(max)d characters or fewer", max=TITLE_MAX),
            ),
        ],
    )
    slug = StringField(
        _l("Web address (optional)"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l(
            "The end of the page’s address, like send-enquiries-hub. Leave it empty to make one "
            "from "
            "the title."
        ),
        validators=[
            Length(
                max=SLUG_MAX,
                message=_l("Web address must be %(max)d characters or fewer", max=SLUG_MAX),
            )
        ],
    )
    summary = TextAreaField(
        _l("Summary"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l(
            "One or two sentences in plain English, shown in the list of consultations."
        ),
        validators=[
            Length(
                max=SUMMARY_MAX,
                message=_l("Summary must be %(max)d characters or fewer", max=SUMMARY_MAX),
            )
        ],
    )
    background = TextAreaField(
        _l("Background"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=ALLOWED_TAGS_HINT,
        validators=[
            Length(
                max=BACKGROUND_MAX,
                message=_l("Background must be %(max)d characters or fewer", max=BACKGROUND_MAX),
            )
        ],
    )
    opens_day = GovukDateField(_l("Date it opens"), id="opens_day-day", after_2000=True)
    opens_time = TimeField(
        _l("Time it opens"),
        description=_l("UK time, 24-hour clock, like 09:00"),
        missing_message=_l("Enter the time it opens, like 09:00"),
        invalid_message=_l(
            "Enter the time it opens as hours and minutes on the 24-hour clock, like 09:00"
        ),
    )
    closes_day = GovukDateField(_l("Date it closes"), id="closes_day-day", after_2000=True)
    closes_time = TimeField(
        _l("Time it closes"),
        description=_l("UK time, 24-hour clock, like 23:59"),
        missing_message=_l("Enter the time it closes, like 23:59"),
        invalid_message=_l(
            "Enter the time it closes as hours and minutes on the 24-hour clock, like 23:59"
        ),
    )
    outcome_due_day = GovukDateField(
        _l("Date we expect to publish what we heard (optional)"),
        id="outcome_due_day-day",
        after_2000=True,
    )
    moderation = RadioField(
        _l("How are comments moderated?"),
        widget=GovRadioInput(),
        choices=[],
        default=Moderation.PRE.value,
        validate_choice=False,
    )
    survey = SelectField(
        _l("Survey (optional)"),
        widget=GovSelect(),
        coerce=valid_id,
        validate_choice=False,
        description=_l("A survey shown on the consultation’s page, with a link to start it."),
    )
    areas, actions = area_and_action_fields(
        _l("Comments are linked to these as a starting point for coding.")
    )
    published = RadioField(
        _l("Show this consultation on the public site?"),
        widget=GovRadioInput(),
        choices=[("yes", _l("Yes")), ("no", _l("No, keep it as a draft"))],
        default="no",
        validate_choice=False,
    )
    submit = SubmitField(_l("Save consultation"), widget=GovSubmitInput())

    def __init__(self, *args, surveys=(), areas=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.moderation.choices = Moderation.choices()
        self.survey.choices = [(None, _l("No survey"))] + list(surveys)
        self.areas.choices = area_choices(areas)
        self.actions.choices = action_choices(actions)

    # Validation ----------------------------------------------------------------------------------

    def validate_opens_day(self, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(_("Enter the date it opens"))

    def validate_closes_day(self, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(_("Enter the date it closes"))

    def validate_closes_time(self, field):
        opens, closes = self.opens_at, self.closes_at
        if opens is not None and closes is not None and closes <= opens:
            raise ValidationError(_("The consultation must close after it opens"))

    def validate_outcome_due_day(self, field):
        due, closes = self.outcome_due_at, self.closes_at
        if due is not None and closes is not None and due < closes:
            raise ValidationError(_("The outcome cannot be due before the consultation closes"))

    def validate_moderation(self, field):
        if field.data not in {m.value for m in Moderation}:
            raise ValidationError(_("Select how comments are moderated"))

    def validate_survey(self, field):
        if field.data is not None and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Select a survey from the list"))
        if field.data is None and field.raw_data and field.raw_data[0] not in ("", "None"):
            raise ValidationError(_("Select a survey from the list"))

    def validate_published(self, field):
        if field.data not in ("yes", "no"):
            raise ValidationError(
                _("Select yes if the consultation should be shown on the public site")
            )

    # Values -------------------------------------------------------------------------------------

    @staticmethod
    def _local(day: date | None, at: time | None) -> datetime | None:
        return to_utc(datetime.combine(day, at)) if day is not None and at is not None else None

    @property
    def opens_at(self):
        return self._local(self.opens_day.data, self.opens_time.time)

    @property
    def closes_at(self):
        return self._local(self.closes_day.data, self.closes_time.time)

    @property
    def outcome_due_at(self):
        return self._local(self.outcome_due_day.data, time(23, 59))  # by the end of that day

    def fields(self) -> ConsultationFields:
        return ConsultationFields(
            title=self.title.data or "",
            slug=self.slug.data or "",
            summary=self.summary.data or "",
            background=self.background.data or "",
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            outcome_due_at=self.outcome_due_at,
            moderation=self.moderation.data,
            published=self.published.data == "yes",
            survey_id=self.survey.data,
            area_ids=list(self.areas.data or []),
            action_ids=list(self.actions.data or []),
        )

    @staticmethod
    def data_for(consultation) -> dict:
        """The form's starting values for an existing consultation, in UK time."""
        opens, closes = (
            to_user_timezone(consultation.opens_at),
            to_user_timezone(consultation.closes_at),
        )
        due = to_user_timezone(consultation.outcome_due_at) if consultation.outcome_due_at else None
        return {
            "title": consultation.title,
            "slug": consultation.slug,
            "summary": consultation.summary,
            "background": consultation.background_html,
            "opens_day": opens.date(),
            "opens_time": opens.strftime("%H:%M"),
            "closes_day": closes.date(),
            "closes_time": closes.strftime("%H:%M"),
            "outcome_due_day": due.date() if due else None,
            "moderation": consultation.moderation,
            "survey": consultation.survey_id,
            "areas": [a.id for a in consultation.areas],
            "actions": [a.id for a in consultation.actions],
            "published": "yes" if consultation.published else "no",
        }


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l("A short name for the proposal or option, like “Text message updates”."),
        validators=[
            DataRequired(message=_l("Enter a title")),
            Length(
                max=TITLE_MAX,
                message=_l("Title must be %(max)d characters or fewer", max=TITLE_MAX),
            ),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("What it would mean for families, in plain English."),
        validators=[
            Length(
                max=PROPOSAL_DESCRIPTION_MAX,
                message=_l(
                    "Description must be %(max)d characters or fewer", max=PROPOSAL_DESCRIPTION_MAX
                ),
            )
        ],
    )
    submit = SubmitField(_l("Save proposal"), widget=GovSubmitInput())


class MoveForm(FlaskForm):
    direction = HiddenField()

    def validate_direction(self, field):
        if field.data not in ("up", "down"):
            raise ValidationError(_("Choose to move the proposal up or down"))


class StageForm(FlaskForm):
    stage = RadioField(
        _l("Which stage should the consultation show?"),
        widget=GovRadioInput(),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=_l("Select a stage"))],
    )
    reason = TextAreaField(
        _l("Why are you changing it? (optional)"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("Kept in the audit log."),
        validators=[Length(max=1000, message=_l("The reason must be 1,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Save stage"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [(FOLLOW_DATES, _l("Follow the dates"))] + Stage.choices()

    def validate_stage(self, field):
        if field.data not in {value for value, _label in self.stage.choices}:
            raise ValidationError(_("Select a stage"))

    @property
    def override(self) -> str | None:
        return None if self.stage.data == FOLLOW_DATES else self.stage.data


class WhatWeHeardForm(FlaskForm):
    text = TextAreaField(
        _l("What we heard"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=ALLOWED_TAGS_HINT,
        validators=[
            DataRequired(message=_l("Enter what we heard")),
            Length(
                max=WHAT_WE_HEARD_MAX,
                message=_l(
                    "What we heard must be %(max)d characters or fewer", max=WHAT_WE_HEARD_MAX
                ),
            ),
        ],
    )
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())


class ReasonForm(FlaskForm):
    """Hiding or restoring a comment: the reason is required."""

    reason = TextAreaField(
        _l("Reason"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(message=_l("Enter a reason")),
            Length(
                max=MAX_REASON_LENGTH,
                message=_l("The reason must be %(max)d characters or fewer", max=MAX_REASON_LENGTH),
            ),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
