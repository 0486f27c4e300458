"""Forms for building surveys. They parse what was typed and say plainly what is wrong with it;
the rules about surveys (dates in order, unique links, enough options, conditions pointing
backwards) live in app/domain/survey_builder.py and survey_structure.py.

Dates and times are typed in UK local time, as on the event pages, and turned into naive UTC
here, so the domain only ever sees UTC.
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from ..domain.shared.ids import valid_id
from ..domain.shared.text import clean_line, clean_text
from ..domain.surveys.builder import MAX_ESTIMATED_MINUTES, SurveyDetails
from ..domain.surveys.questions import DEFAULT_RATING_POINTS, QuestionDetails, SectionDetails
from ..domain.surveys.structure import DEFAULT_LONG_TEXT_LENGTH, DEFAULT_SHORT_TEXT_LENGTH
from ..forms import GovukDateField, action_choices, area_and_action_fields, area_choices
from ..models import QuestionKind
from .event_forms import TimeField
from .plan_forms import WholeNumberField

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class YesNoField(RadioField):
    """Yes or no radios whose data is the text; `value` is the boolean."""

    def __init__(self, label=None, validators=None, missing_message=None, **kwargs):
        super().__init__(
            label,
            validators,
            choices=YES_NO,
            validate_choice=False,
            widget=GovRadioInput(),
            **kwargs,
        )
        self.missing_message = missing_message

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else None

    def pre_validate(self, form):
        if self.data not in ("yes", "no"):
            raise ValidationError(str(self.missing_message))

    @property
    def value(self) -> bool:
        return self.data == "yes"


class IdSelectField(SelectField):
    """A select whose values are ids or "" (none). Text that is not an id is an error, never a 500;
    whether the id is allowed is the domain's to say."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(
            label,
            validators,
            coerce=valid_id,
            validate_choice=False,
            widget=GovSelect(),
            **kwargs,
        )
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        self.data = valid_id(text)
        if text and self.data is None:
            raise ValueError(str(self.invalid_message))


class LinksMixin:
    """Fills the choices of the `areas` and `actions` fields made by `_link_fields()`."""

    def set_link_choices(self, areas, actions) -> None:
        self.areas.choices = area_choices(areas)
        self.actions.choices = action_choices(actions, separator=": ")


def _link_fields():
    """Areas of weakness and plan actions: answers inherit these as a starting point for coding."""
    return area_and_action_fields(
        _l("Answers are linked to these, as a starting point for coding. Select all that apply."),
        optional=True,
    )


def _local(day, at) -> datetime | None:
    """A UK date and time as naive UTC."""
    return to_utc(datetime.combine(day, at)) if day is not None and at is not None else None


def _when_pair(day_field, time_field, day_message, time_message) -> None:
    """A date and a time that go together: both or neither."""
    if day_field.errors or time_field.errors:
        return
    if time_field.data and day_field.data is None:
        day_field.errors = [*day_field.errors, str(day_message)]
    elif day_field.data is not None and not time_field.data:
        time_field.errors = [*time_field.errors, str(time_message)]


class PairedForm(FlaskForm):
    """A form whose dates and times are checked together once every field has been checked
    (an inline validator cannot add an error to a field validated before it)."""

    def check_pairs(self) -> None:
        raise NotImplementedError

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.check_pairs()
        return valid and not self.errors


def _local_parts(value: datetime | None) -> tuple:
    if value is None:
        return None, ""
    local = to_user_timezone(value)
    return local.date(), local.strftime("%H:%M")


def _opening_fields(required: bool = False):
    return (
        GovukDateField(_l("Opening date"), id="opens_day-day", after_2000=True),
        TimeField(
            _l("Opening time"),
            description=_l("UK time, 24-hour clock, like 09:00"),
            required=required,
            missing_message=_l("Enter the time the survey opens, like 09:00"),
            invalid_message=_l(
                "Enter the opening time as hours and minutes on the 24-hour clock, like 09:00"
            ),
        ),
    )


def _closing_fields(required: bool = False):
    return (
        GovukDateField(_l("Closing date"), id="closes_day-day", after_2000=True),
        TimeField(
            _l("Closing time"),
            description=_l("UK time, 24-hour clock, like 23:59"),
            required=required,
            missing_message=_l("Enter the time the survey closes, like 23:59"),
            invalid_message=_l(
                "Enter the closing time as hours and minutes on the 24-hour clock, like 23:59"
            ),
        ),
    )


class SurveyForm(LinksMixin, PairedForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l(
            "What people will see in the list of surveys, like “Short breaks and holiday "
            "activities”."
        ),
    )
    slug = StringField(
        _l("Link"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l(
            "The end of the survey’s web address: lower-case letters, numbers and hyphens. "
            "Leave it empty to make it from the title. It cannot change once the survey is "
            "published."
        ),
    )
    summary = TextAreaField(
        _l("Summary"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("What the survey is about, in a sentence or two."),
    )
    audience = TextAreaField(
        _l("Who it is for"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("For example, parents and carers of children waiting for an assessment."),
    )
    use_of_answers = TextAreaField(
        _l("What happens with the answers"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("Who reads them, and where we will say what we did."),
    )
    estimated_minutes = WholeNumberField(
        _l("Estimated time to answer, in minutes"),
        widget=GovTextInput(),
        default=10,
        description=_l(
            "A whole number from 1 to %(max)d, shown on the start page.", max=MAX_ESTIMATED_MINUTES
        ),
        invalid_message=_l("Estimated time must be a whole number of minutes, like 10"),
    )
    opens_day, opens_time = _opening_fields()
    closes_day, closes_time = _closing_fields()
    young_person_version = YesNoField(
        _l("Does it offer a young-person version?"),
        description=_l("Young people can choose easier wording, which you add as translations."),
        missing_message=_l("Select yes if the survey offers a young-person version"),
        default="no",
    )
    about_you = YesNoField(
        _l("Does it include the optional “About you” section?"),
        description=_l(
            "Questions about who is answering, so we can see who we are not reaching. People can "
            "skip it."
        ),
        missing_message=_l("Select yes if the survey includes the “About you” section"),
        default="yes",
    )
    ask_consent_to_quote = YesNoField(
        _l("Does it ask for consent to quote answers?"),
        description=_l(
            "A separate question asking whether we may quote their words without their name."
        ),
        missing_message=_l("Select yes if the survey asks for consent to quote"),
        default="yes",
    )
    areas, actions = _link_fields()
    submit = SubmitField(_l("Save survey"), widget=GovSubmitInput())

    def validate_title(self, field):
        if not field.data:
            raise ValidationError(_("Enter a title"))

    def validate_estimated_minutes(self, field):
        if field.data is None and not field.errors:
            raise ValidationError(_("Enter the estimated time to answer, in minutes"))

    def check_pairs(self) -> None:
        _when_pair(
            self.opens_day,
            self.opens_time,
            _l("Enter the date the survey opens"),
            _l("Enter the time the survey opens, like 09:00"),
        )
        _when_pair(
            self.closes_day,
            self.closes_time,
            _l("Enter the date the survey closes"),
            _l("Enter the time the survey closes, like 23:59"),
        )

    def details(self) -> SurveyDetails:
        return SurveyDetails(
            title=self.title.data or "",
            slug=self.slug.data or "",
            summary=self.summary.data or "",
            audience=self.audience.data or "",
            use_of_answers=self.use_of_answers.data or "",
            estimated_minutes=self.estimated_minutes.data or 0,
            opens_at=_local(self.opens_day.data, self.opens_time.time),
            closes_at=_local(self.closes_day.data, self.closes_time.time),
            young_person_version=self.young_person_version.value,
            about_you=self.about_you.value,
            ask_consent_to_quote=self.ask_consent_to_quote.value,
            area_ids=list(self.areas.data or []),
            action_ids=list(self.actions.data or []),
        )

    @staticmethod
    def data_for(survey) -> dict:
        opens_day, opens_time = _local_parts(survey.opens_at)
        closes_day, closes_time = _local_parts(survey.closes_at)
        return {
            "title": survey.title,
            "slug": survey.slug,
            "summary": survey.summary,
            "audience": survey.audience,
            "use_of_answers": survey.use_of_answers,
            "estimated_minutes": survey.estimated_minutes,
            "opens_day": opens_day,
            "opens_time": opens_time,
            "closes_day": closes_day,
            "closes_time": closes_time,
            "young_person_version": "yes" if survey.young_person_version else "no",
            "about_you": "yes" if survey.about_you else "no",
            "ask_consent_to_quote": "yes" if survey.ask_consent_to_quote else "no",
            "areas": [a.id for a in survey.areas],
            "actions": [a.id for a in survey.actions],
        }

    # The domain names details as SurveyDetails does; these are the fields that show them.
    FIELD_FOR = {"opens_at": "opens_day", "closes_at": "closes_day"}


class PublishForm(PairedForm):
    """Open now (no opening date, or one already past) or schedule for a later opening."""

    opens_day, opens_time = _opening_fields()
    closes_day, closes_time = _closing_fields()
    submit = SubmitField(_l("Publish survey"), widget=GovSubmitInput())

    def check_pairs(self) -> None:
        _when_pair(
            self.opens_day,
            self.opens_time,
            _l("Enter the date the survey opens"),
            _l("Enter the time the survey opens, like 09:00"),
        )
        _when_pair(
            self.closes_day,
            self.closes_time,
            _l("Enter the date the survey closes"),
            _l("Enter the time the survey closes, like 23:59"),
        )

    def opens_at(self) -> datetime | None:
        """None: open now."""
        return _local(self.opens_day.data, self.opens_time.time)

    def closes_at(self) -> datetime | None:
        return _local(self.closes_day.data, self.closes_time.time)

    FIELD_FOR = {"opens_at": "opens_day", "closes_at": "closes_day"}


class ReopenForm(PairedForm):
    closes_day, closes_time = _closing_fields(required=True)
    submit = SubmitField(_l("Reopen survey"), widget=GovSubmitInput())

    def check_pairs(self) -> None:
        if self.closes_day.data is None and not self.closes_day.errors:
            self.closes_day.errors = [_("Enter the new closing date")]

    def closes_at(self) -> datetime | None:
        return _local(self.closes_day.data, self.closes_time.time)

    FIELD_FOR = {"closes_at": "closes_day"}


# Sections and questions ------------------------------------------------------------------------


def condition_items(choices) -> list[tuple]:
    return [("", _("Always"))] + [
        (
            choice.option_id,
            _(
                "Only when the answer to question %(number)d, “%(question)s”, is “%(option)s”",
                number=choice.question_number,
                question=choice.question_text,
                option=choice.option_label,
            ),
        )
        for choice in choices
    ]


class SectionForm(FlaskForm):
    title = StringField(
        _l("Section title"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l("The heading of the page, like “Keeping you informed”."),
    )
    description = TextAreaField(
        _l("Introduction (optional)"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("A sentence or two shown under the heading."),
    )
    condition = IdSelectField(
        _l("When to show this section"),
        description=_l(
            "A section can depend on the answer to a single-choice or yes or no question in an "
            "earlier section."
        ),
        invalid_message=_l("Choose when to show this section from the list"),
    )
    submit = SubmitField(_l("Save section"), widget=GovSubmitInput())

    def validate_title(self, field):
        if not field.data:
            raise ValidationError(_("Enter a title for the section"))

    def details(self) -> SectionDetails:
        return SectionDetails(
            title=self.title.data or "",
            description=self.description.data or "",
            condition_option_id=self.condition.data,
        )


KIND_HINTS = {
    QuestionKind.SHORT_TEXT: _l("A line of text, like a name or a few words."),
    QuestionKind.LONG_TEXT: _l("Paragraphs of text, with a character count."),
    QuestionKind.SINGLE_CHOICE: _l("One answer from a list."),
    QuestionKind.MULTIPLE_CHOICE: _l(
        "Any number of answers from a list, with “Other, please say” if you want."
    ),
    QuestionKind.RATING: _l("A scale with a label on each point, like “Very poor” to “Very good”."),
    QuestionKind.YES_NO: _l("Yes or no."),
    QuestionKind.NUMBER: _l("A whole number, with a lowest and highest if you want."),
    QuestionKind.DATE: _l("A day, month and year."),
}


class KindForm(FlaskForm):
    """Choose the type of a question: before adding one, or to change one."""

    kind = RadioField(
        _l("What type of question is it?"), widget=GovRadioInput(), validate_choice=False
    )
    options = TextAreaField(
        _l("Options, if the new type needs them"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l(
            "Only for single choice, multiple choice and rating scale questions that have no "
            "options "
            "yet: one on each line, in order (a rating scale from lowest to highest). Other types "
            "keep the options they have; yes or no questions get “Yes” and “No”."
        ),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = QuestionKind.choices()

    def validate_kind(self, field):
        if field.data not in {kind.value for kind in QuestionKind}:
            raise ValidationError(_("Select the type of question"))

    def radio_params(self) -> dict:
        return {
            "items": [{"hint": {"text": str(KIND_HINTS[kind])}} for kind in QuestionKind],
            "fieldset": {
                "legend": {"text": self.kind.label.text, "classes": "govuk-fieldset__legend--m"}
            },
        }

    @property
    def new_options(self) -> list[str]:
        return (self.options.data or "").split("\n")


class QuestionForm(LinksMixin, FlaskForm):
    """A question's wording and settings. Only the settings of its type are shown; the others
    are ignored. Existing options get a field each (see `question_form`)."""

    text = StringField(
        _l("Question"),
        widget=GovTextInput(),
        filters=[clean_line],
        description=_l("Ask one thing, in plain English."),
    )
    hint = TextAreaField(
        _l("Hint (optional)"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("Help to answer, shown under the question, like “Select all that apply.”"),
    )
    required = YesNoField(
        _l("Must people answer it?"),
        missing_message=_l("Select yes if people must answer the question"),
        default="no",
    )
    max_length = WholeNumberField(
        _l("Character limit (optional)"),
        widget=GovTextInput(),
        invalid_message=_l("Character limit must be a whole number, like 500"),
    )
    min_value = WholeNumberField(
        _l("Lowest number allowed (optional)"),
        widget=GovTextInput(),
        invalid_message=_l("Lowest number allowed must be a whole number, like 0"),
    )
    max_value = WholeNumberField(
        _l("Highest number allowed (optional)"),
        widget=GovTextInput(),
        invalid_message=_l("Highest number allowed must be a whole number, like 100"),
    )
    allow_other = BooleanField(
        _l("Offer “Other, please say”, with a box to type in"), widget=GovCheckboxInput()
    )
    options = TextAreaField(_l("Options"), widget=GovTextArea(), filters=[clean_text])
    condition = IdSelectField(
        _l("When to show this question"),
        description=_l(
            "A question can depend on the answer to an earlier single-choice or yes or no question."
        ),
        invalid_message=_l("Choose when to show this question from the list"),
    )
    section = IdSelectField(
        _l("Section"),
        description=_l("Moving it to another section puts it at the end."),
        invalid_message=_l("Choose a section from the list"),
    )
    areas, actions = _link_fields()
    submit = SubmitField(_l("Save question"), widget=GovSubmitInput())

    def configure(self, kind: QuestionKind, question=None) -> None:
        """Labels that fit the type, and for a new rating scale the usual five points."""
        self.kind = kind
        self.question = question
        self.option_ids = [o.id for o in question.options] if question is not None else []
        if kind.is_free_text:
            default = (
                DEFAULT_LONG_TEXT_LENGTH
                if kind == QuestionKind.LONG_TEXT
                else DEFAULT_SHORT_TEXT_LENGTH
            )
            self.max_length.description = _(
                "The most characters people can type. If empty, %(default)s.",
                default=f"{default:,}",
            )
        rating = kind == QuestionKind.RATING
        if question is None:
            self.options.label.text = _("Points on the scale") if rating else _("Options")
            self.options.description = (
                _("One on each line, from the lowest (like “Very poor”) to the highest.")
                if rating
                else _("One on each line, in the order people will see them.")
            )
            if rating and not self.is_submitted() and not self.options.data:
                self.options.data = "\n".join(DEFAULT_RATING_POINTS)
        else:
            self.options.label.text = (
                _("Add points (optional)") if rating else _("Add options (optional)")
            )
            self.options.description = (
                _("One on each line. They are added at the top of the scale.")
                if rating
                else _("One on each line. They are added at the end.")
            )

    def validate_text(self, field):
        if not field.data:
            raise ValidationError(_("Enter the question"))

    def details(self) -> QuestionDetails:
        kind = self.kind
        labels, removed = {}, set()
        for option_id in self.option_ids:
            labels[option_id] = self[f"option_{option_id}"].data or ""
            if self[f"remove_{option_id}"].data:
                removed.add(option_id)
        return QuestionDetails(
            text=self.text.data or "",
            hint=self.hint.data or "",
            required=self.required.value,
            max_length=self.max_length.data if kind.is_free_text else None,
            min_value=self.min_value.data if kind == QuestionKind.NUMBER else None,
            max_value=self.max_value.data if kind == QuestionKind.NUMBER else None,
            allow_other=bool(self.allow_other.data)
            if kind == QuestionKind.MULTIPLE_CHOICE
            else False,
            new_options=(self.options.data or "").split("\n") if kind.has_options else [],
            option_labels=labels,
            remove_option_ids=removed,
            condition_option_id=self.condition.data,
            section_id=self.section.data if self.question is not None else None,
            area_ids=list(self.areas.data or []),
            action_ids=list(self.actions.data or []),
        )

    @staticmethod
    def data_for(question) -> dict:
        data = {
            "text": question.text,
            "hint": question.hint,
            "required": "yes" if question.required else "no",
            "max_length": question.max_length,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "allow_other": question.allow_other,
            "section": question.section_id,
            "areas": [a.id for a in question.areas],
            "actions": [a.id for a in question.actions],
        }
        for option in question.options:
            data[f"option_{option.id}"] = option.label
        return data


def question_form(kind: QuestionKind, question=None, **kwargs) -> QuestionForm:
    """A QuestionForm with a wording box and a "Remove" checkbox for each existing option."""
    form_class = QuestionForm
    if question is not None and question.options:
        rating = kind == QuestionKind.RATING
        last = len(question.options)

        class _Form(QuestionForm):
            pass

        for number, option in enumerate(question.options, start=1):
            if rating and number == 1:
                label = _l("Point %(number)d (lowest)", number=number)
            elif rating and number == last:
                label = _l("Point %(number)d (highest)", number=number)
            elif rating:
                label = _l("Point %(number)d", number=number)
            else:
                label = _l("Option %(number)d", number=number)
            setattr(
                _Form,
                f"option_{option.id}",
                StringField(label, widget=GovTextInput(), filters=[clean_line]),
            )
            setattr(
                _Form,
                f"remove_{option.id}",
                BooleanField(
                    _l("Remove option %(number)d", number=number), widget=GovCheckboxInput()
                ),
            )
        form_class = _Form
    form = form_class(**kwargs)
    form.configure(kind, question)
    return form
