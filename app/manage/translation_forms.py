"""One form field per translatable text, built for the texts of the thing being translated."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField

from ..domain.engagement.translations import TextGroup
from ..domain.shared.text import clean_text
from ..forms import no_longer_than


def _too_long(length, **numbers):
    return ngettext(
        "This must be %(max)s characters or fewer. You have entered %(count)s character.",
        "This must be %(max)s characters or fewer. You have entered %(count)s characters.",
        length,
        **numbers,
    )


class _TranslationForm(FlaskForm):
    submit = SubmitField(_l("Save translations"), widget=GovSubmitInput())


def translation_form(groups: list[TextGroup], variant: str):
    """A form with a field named after each text's key, filled with the current translation
    (or, on a POST, with what was sent)."""

    class TranslationForm(_TranslationForm):
        pass

    for text in (t for g in groups for t in g.texts):
        kind = TextAreaField if text.multiline else StringField
        widget = GovTextArea() if text.multiline else GovTextInput()
        setattr(
            TranslationForm,
            text.key,
            kind(
                text.label,
                widget=widget,
                filters=[clean_text],
                validators=[no_longer_than(text.max_length, _too_long)],
                default=text.current(variant),
            ),
        )
    return TranslationForm()
