"""The form around the questions when staff type in a paper or event survey response.

The survey's own questions are read and checked by `domain.survey_answering`, exactly as for
people answering online; this form holds what only staff give: how the response arrived, its
language and version, "About you", consent to quote, and the token that makes a double post
store one response.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect
from wtforms import BooleanField
from wtforms.validators import DataRequired

from ..forms import (
    AboutYouAnswers,
    ChoiceRadioField,
    ChoiceSelectField,
    SentOnce,
    about_you_fields,
)
from ..models import Channel
from ..public.survey_forms import CONSENT_CHOICES


class SurveyEntryForm(SentOnce, AboutYouAnswers, FlaskForm):
    channel = ChoiceRadioField(
        _l("How did this response reach you?"),
        widget=GovRadioInput(),
        choices=[
            (Channel.PAPER.value, _l("On a paper form")),
            (Channel.EVENT.value, _l("At an event")),
        ],
        validators=[DataRequired(message=_l("Select how this response reached you"))],
        invalid_message=_l("Select how this response reached you"),
    )
    language = ChoiceSelectField(
        _l("Language of the form"),
        widget=GovSelect(),
        choices=[],
        default="en",
        invalid_message=_l("Select the language of the form from the list"),
    )
    young_person = BooleanField(
        _l("This was the young person's version"), widget=GovCheckboxInput()
    )
    (relationship_to_child, district, age_group, need, setting, ehc_plan) = about_you_fields()
    consent_to_quote = ChoiceRadioField(
        _l("Did they agree to be quoted, without their name or details?"),
        widget=GovRadioInput(),
        choices=CONSENT_CHOICES,
        invalid_message=_l("Select yes if they agreed to be quoted, or no if they did not"),
    )

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(current_app.config["LANGUAGES"].items())
        if survey is not None and not survey.young_person_version:
            del self.young_person
        if survey is not None and not survey.ask_consent_to_quote:
            del self.consent_to_quote
