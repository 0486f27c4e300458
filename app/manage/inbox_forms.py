"""Forms for the inbox, coding, quotes, themes and the safeguarding phrase list."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..domain.engagement.moderation import FLAGGED_REASON, MAX_REASON_LENGTH
from ..domain.shared.ids import valid_id, valid_ids
from ..domain.thread.inbox import CodingChoices, InboxFilters, StartingCodes
from ..forms import GovukDateField, IdCheckboxesField, QueryForm, action_choices, area_choices
from ..models import Channel, Contribution, ContributionSource, ContributionState, Sentiment

NOTE_MAX = 2000
QUOTE_MAX = 10000
SEARCH_MAX = 200
ANY_STATE = "any"


class IdListField(Field):
    """Ids from checkboxes drawn by the template (the rows of the inbox); bad values are ignored."""

    def process_formdata(self, valuelist):
        self.data = valid_ids(valuelist)[:500]

    def _value(self):
        return ""


class SelectionForm(FlaskForm):
    """The rows ticked in the inbox, to start a "You said, we did" response from."""

    contribution_ids = IdListField()

    def validate_contribution_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Select at least one contribution"))


def _choice_validator(message):
    def check(form, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(message)

    return check


def _area_label(area) -> str:
    return _("Area %(number)d: %(title)s", number=area.number, title=area.title)


def _action_label(action) -> str:
    return f"{action.reference} {action.title}"


def _theme_label(theme) -> str:
    return theme.name if theme.active else _("%(name)s (inactive)", name=theme.name)


class InboxFilterForm(QueryForm):
    q = StringField(
        _l("Search text or reference"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=SEARCH_MAX, message=_l("Search must be 200 characters or fewer")),
        ],
    )
    state = SelectField(
        _l("State"),
        widget=GovSelect(),
        default=ContributionState.NEW.value,
        validate_choice=False,
        validators=[_choice_validator(_l("Select a state from the list"))],
    )
    source = SelectField(
        _l("Source"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[_choice_validator(_l("Select a source from the list"))],
    )
    channel = SelectField(
        _l("Channel"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[_choice_validator(_l("Select a channel from the list"))],
    )
    area = SelectField(
        _l("Area of weakness"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[_choice_validator(_l("Select an area from the list"))],
    )
    action = SelectField(
        _l("Plan action"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[_choice_validator(_l("Select an action from the list"))],
    )
    theme = SelectField(
        _l("Theme"),
        widget=GovSelect(),
        validate_choice=False,
        validators=[_choice_validator(_l("Select a theme from the list"))],
    )
    date_from = GovukDateField(_l("Received from"), id="date_from-day", after_2000=True)
    date_to = GovukDateField(_l("Received to"), id="date_to-day", after_2000=True)

    FIELDS = ("q", "state", "source", "channel", "area", "action", "theme")

    def __init__(self, choices: CodingChoices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # New contributions first: what is waiting to be read is what the inbox opens on.
        self.state.choices = ContributionState.choices() + [(ANY_STATE, _l("Any state"))]
        self.source.choices = [("", _l("Any source"))] + ContributionSource.choices()
        self.channel.choices = [("", _l("Any channel"))] + Channel.choices()
        self.area.choices = [("", _l("Any area"))] + [
            (str(a.id), _area_label(a)) for a in choices.areas
        ]
        self.action.choices = [("", _l("Any action"))] + [
            (str(a.id), _action_label(a)) for a in choices.actions
        ]
        self.theme.choices = [("", _l("Any theme"))] + [
            (str(t.id), _theme_label(t)) for t in choices.themes
        ]

    def validate_date_to(self, field):
        if field.data and self.date_from.data and self.date_from.data > field.data:
            raise ValidationError(_l("Received to must be the same as or after received from"))

    @property
    def filters(self) -> InboxFilters:
        return InboxFilters(
            state=None if self.state.data in ("", ANY_STATE) else self.state.data,
            source=self.source.data or None,
            channel=self.channel.data or None,
            area_id=valid_id(self.area.data),
            action_id=valid_id(self.action.data),
            theme_id=valid_id(self.theme.data),
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            text=(self.q.data or "").strip() or None,
        )


def _set_coding_choices(
    form, choices: CodingChoices, contribution: Contribution | None = None
) -> None:
    form.areas.choices = area_choices(choices.areas)
    form.actions.choices = action_choices(choices.actions)
    form.themes.choices = [(t.id, _theme_label(t)) for t in choices.themes_for(contribution)]


BULK_STATES = (
    ("", _l("Leave as it is")),
    (ContributionState.CODED.value, _l("Coded (read, nothing more to do)")),
    (ContributionState.HIDDEN.value, _l("Hidden (not used anywhere)")),
)
# No "individual case" here: each one is handed to a team on its own hand-off page.


class BulkCodingForm(FlaskForm):
    """Code the contributions ticked on the inbox page. Links are added, never removed."""

    contribution_ids = IdListField()
    areas = IdCheckboxesField(_l("Add areas of weakness"))
    actions = IdCheckboxesField(_l("Add plan actions"))
    themes = IdCheckboxesField(_l("Add themes"))
    sentiment = RadioField(
        _l("Sentiment"),
        widget=GovRadioInput(),
        default="",
        validate_choice=False,
        validators=[_choice_validator(_l("Select a sentiment from the list"))],
    )
    state = RadioField(
        _l("State"),
        widget=GovRadioInput(),
        default="",
        validate_choice=False,
        validators=[_choice_validator(_l("Select a state from the list"))],
    )
    submit = SubmitField(_l("Code selected contributions"), widget=GovSubmitInput())

    def __init__(self, choices: CodingChoices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _set_coding_choices(self, choices)
        self.sentiment.choices = [("", _l("Leave as it is"))] + Sentiment.choices()
        self.state.choices = list(BULK_STATES)
        for radio in (self.sentiment, self.state):
            if radio.data is None:
                radio.data = ""

    def validate_contribution_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Select at least one contribution to code"))

    def validate_state(self, field):
        if not (
            self.areas.data
            or self.actions.data
            or self.themes.data
            or self.sentiment.data
            or field.data
        ):
            raise ValidationError(
                _l("Choose what to change: areas, actions, themes, sentiment or state")
            )

    @property
    def coding(self):
        from ..domain.thread.contributions import Coding

        return Coding(
            area_ids=self.areas.data or None,
            action_ids=self.actions.data or None,
            theme_ids=self.themes.data or None,
            sentiment=self.sentiment.data or None,
            state=self.state.data or None,
            add_only=True,
        )


class ContributionCodingForm(FlaskForm):
    """Code one contribution: what is chosen here replaces its links."""

    areas = IdCheckboxesField(
        _l("Areas of weakness"), invalid_message=_l("Select areas of weakness from the list")
    )
    actions = IdCheckboxesField(
        _l("Plan actions"), invalid_message=_l("Select plan actions from the list")
    )
    themes = IdCheckboxesField(_l("Themes"), invalid_message=_l("Select a theme from the list"))
    sentiment = RadioField(
        _l("Sentiment"),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[_choice_validator(_l("Select a sentiment from the list"))],
    )
    safeguarding = BooleanField(
        _l("Needs a safeguarding check (urgent; never shown publicly)"), widget=GovCheckboxInput()
    )
    personal_details = BooleanField(_l("Contains personal details"), widget=GovCheckboxInput())
    # Only for a contribution that came from a consultation comment and is not flagged yet.
    comment_reason = StringField(
        _l("If you flag it: reason shown in the comment’s place"),
        widget=GovTextInput(),
        description=_l(
            "It came from a public consultation comment. Flagging it hides the comment at once "
            "and shows “Hidden by a moderator:” and this reason instead. Do not mention "
            "safeguarding or the person."
        ),
        validators=[
            Length(
                max=MAX_REASON_LENGTH,
                message=_l("The reason must be %(max)d characters or fewer", max=MAX_REASON_LENGTH),
            )
        ],
    )
    state = RadioField(
        _l("State"),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[_choice_validator(_l("Select a state from the list"))],
    )
    note = TextAreaField(
        _l("Coordinator note"),
        widget=GovCharacterCount(),
        description=_l("Only staff see this. If you hide the contribution, say why here."),
        validators=[Length(max=NOTE_MAX, message=_l("Note must be 2000 characters or fewer"))],
    )
    save_and_next = SubmitField(_l("Save and go to the next uncoded"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save coding"), widget=GovSubmitInput())

    def __init__(
        self,
        choices: CodingChoices,
        contribution: Contribution,
        *args,
        starting: StartingCodes | None = None,
        **kwargs,
    ):
        if kwargs.get("formdata") is None and "obj" not in kwargs and "data" not in kwargs:
            kwargs["data"] = {
                "areas": starting.area_ids if starting else [a.id for a in contribution.areas],
                "actions": (
                    starting.action_ids if starting else [a.id for a in contribution.actions]
                ),
                "themes": [t.id for t in contribution.themes],
                "sentiment": contribution.sentiment or "",
                "safeguarding": contribution.safeguarding,
                "personal_details": contribution.personal_details,
                "state": (
                    contribution.state
                    if contribution.state != ContributionState.NEW.value
                    else ContributionState.CODED.value
                ),
                "note": contribution.note or "",
                "comment_reason": str(FLAGGED_REASON),
            }
        super().__init__(*args, **kwargs)
        self.from_public_comment = (
            contribution.source_type == ContributionSource.COMMENT.value
            and not contribution.safeguarding
        )
        _set_coding_choices(self, choices, contribution)
        self.sentiment.choices = [("", _l("Not set"))] + Sentiment.choices()
        states = [
            ContributionState.CODED,
            ContributionState.INDIVIDUAL_CASE,
            ContributionState.HIDDEN,
        ]
        if contribution.state == ContributionState.USED.value:
            states.insert(0, ContributionState.USED)
        self.state.choices = [(s.value, s.label) for s in states]
        if self.sentiment.data is None:
            self.sentiment.data = ""

    def validate_note(self, field):
        if self.state.data == ContributionState.HIDDEN.value and not (field.data or "").strip():
            raise ValidationError(_l("Enter why you are hiding this contribution"))

    def validate_state(self, field):
        if not field.data:
            raise ValidationError(_l("Select a state"))

    @property
    def coding(self):
        from ..domain.thread.contributions import Coding

        return Coding(
            area_ids=self.areas.data or [],
            action_ids=self.actions.data or [],
            theme_ids=self.themes.data or [],
            sentiment=self.sentiment.data or None,
            safeguarding=bool(self.safeguarding.data),
            personal_details=bool(self.personal_details.data),
            note=(self.note.data or "").strip(),
            state=self.state.data,
            add_only=False,
            public_reason=(self.comment_reason.data or "").strip() or None,
        )


class QuoteForm(FlaskForm):
    quote = TextAreaField(
        _l("Quote to approve"),
        widget=GovTextArea(),
        description=_l(
            "Email addresses, phone numbers and postcodes are masked for you. Remove anything else "
            "that could identify the person, such as names of children, schools or places."
        ),
        validators=[
            DataRequired(message=_l("Enter the quote to approve")),
            Length(max=QUOTE_MAX, message=_l("Quote must be 10000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Approve this quote"), widget=GovSubmitInput())


class ThemeForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter a name for the theme")),
            Length(max=120, message=_l("Name must be 120 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        widget=GovCharacterCount(),
        description=_l(
            "What contributions coded to this theme are about, so staff code consistently."
        ),
        validators=[Length(max=500, message=_l("Description must be 500 characters or fewer"))],
    )
    submit = SubmitField(_l("Save theme"), widget=GovSubmitInput())

    def __init__(self, *args, taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._taken = taken

    def validate_name(self, field):
        name = (field.data or "").strip()
        if not name:
            raise ValidationError(_l("Enter a name for the theme"))
        if self._taken and self._taken(name):
            raise ValidationError(_("A theme called “%(name)s” already exists", name=name))


class PhraseForm(FlaskForm):
    phrase = StringField(
        _l("Phrase"),
        widget=GovTextInput(),
        description=_l("A word or a few words, for example “scared to go home”."),
        validators=[
            DataRequired(message=_l("Enter a phrase")),
            Length(max=200, message=_l("Phrase must be 200 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Add phrase"), widget=GovSubmitInput())

    def __init__(self, *args, taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._taken = taken

    def validate_phrase(self, field):
        phrase = " ".join((field.data or "").split())
        if not phrase:
            raise ValidationError(_l("Enter a phrase"))
        if not any(ch.isalnum() for ch in phrase):
            raise ValidationError(_l("Phrase must include at least one letter or number"))
        if self._taken and self._taken(phrase):
            raise ValidationError(_("“%(phrase)s” is already on the list", phrase=phrase.lower()))
