"""Forms for "You said, we did" staff pages. Every field says clearly what is wrong with it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
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
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..domain.shared.ids import valid_id, valid_ids
from ..domain.thread.contributions import EVIDENCE_STATES
from ..domain.thread.publishing import (
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    WHAT_CHANGED_MAX,
    EvidenceFilter,
    ResponseFields,
)
from ..forms import QueryForm, action_choices, area_and_action_fields, area_choices
from ..models import ApprovalState, ContributionState, WeDidStatus


class ResponseForm(FlaskForm):
    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        description=_l(
            "A short summary people will recognise, for example "
            "“Waiting times for EHC needs assessments”."
        ),
        validators=[
            DataRequired(message=_l("Enter a title")),
            Length(
                max=TITLE_MAX,
                message=_l("Title must be %(max)d characters or fewer", max=TITLE_MAX),
            ),
        ],
    )
    you_said = TextAreaField(
        _l("You said"),
        widget=GovTextArea(),
        description=_l(
            "What people told us, in plain English. Say how many people and what they said most."
        ),
        validators=[
            Length(
                max=TEXT_MAX,
                message=_l("“You said” must be %(max)d characters or fewer", max=TEXT_MAX),
            ),
        ],
    )
    we_did = TextAreaField(
        _l("We did"),
        widget=GovTextArea(),
        description=_l("What changed or will change because of it, and when."),
        validators=[
            Length(
                max=TEXT_MAX,
                message=_l("“We did” must be %(max)d characters or fewer", max=TEXT_MAX),
            ),
        ],
    )
    status = RadioField(
        _l("Status"),
        widget=GovRadioInput(),
        choices=[],  # set per request so the labels are in the reader's language
        validate_choice=False,
        validators=[DataRequired(message=_l("Select a status"))],
    )
    status_reason = TextAreaField(
        _l("Why it is not possible"),
        widget=GovTextArea(),
        description=_l("Only needed when the status is “Not possible”."),
        validators=[
            Length(
                max=REASON_MAX,
                message=_l("The reason must be %(max)d characters or fewer", max=REASON_MAX),
            )
        ],
    )
    organisation = SelectField(
        _l("Organisation responsible"),
        widget=GovSelect(),
        coerce=valid_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Select an organisation"))],
    )
    areas, actions = area_and_action_fields(_l("Select all that apply."))
    draft_from_evidence = SubmitField(
        _l("Draft “You said” from the evidence"), widget=GovSubmitInput()
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
    preview = SubmitField(_l("Save and preview"), widget=GovSubmitInput())
    # On a new response started from areas or actions: save it with their contributions.
    use_all = SubmitField(_l("Save and use them all as evidence"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = WeDidStatus.choices()

    def set_choices(self, choices) -> None:
        self.organisation.choices = [("", _l("Choose an organisation"))] + [
            (o.id, o.name) for o in choices.organisations
        ]
        self.areas.choices = area_choices(choices.areas)
        self.actions.choices = action_choices(choices.actions)

    def validate_status(self, field):
        if field.data not in {s.value for s in WeDidStatus}:
            raise ValidationError(_l("Select a status"))

    def validate_status_reason(self, field):
        if self.status.data == WeDidStatus.NOT_POSSIBLE.value and not (field.data or "").strip():
            raise ValidationError(_l("Enter why it is not possible"))

    def validate_organisation(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Select an organisation"))

    def fields(self) -> ResponseFields:
        return ResponseFields(
            title=self.title.data or "",
            you_said=self.you_said.data or "",
            we_did=self.we_did.data or "",
            status=self.status.data or "",
            status_reason=self.status_reason.data or "",
            organisation_id=self.organisation.data,
            area_ids=list(self.areas.data or []),
            action_ids=list(self.actions.data or []),
        )

    def fill_from(self, response) -> None:
        self.title.data = response.title
        self.you_said.data = response.you_said
        self.we_did.data = response.we_did
        self.status.data = response.status
        self.status_reason.data = response.status_reason
        self.organisation.data = response.organisation_id
        self.areas.data = [a.id for a in response.areas]
        self.actions.data = [a.id for a in response.actions]

    def fill_from_fields(self, fields, what_changed: str = "") -> None:
        """From a change waiting for approval (publishing.ResponseFields)."""
        self.title.data = fields.title
        self.you_said.data = fields.you_said
        self.we_did.data = fields.we_did
        self.status.data = fields.status
        self.status_reason.data = fields.status_reason
        self.organisation.data = fields.organisation_id
        self.areas.data = list(fields.area_ids)
        self.actions.data = list(fields.action_ids)
        if hasattr(self, "what_changed"):
            self.what_changed.data = what_changed


def starting_ids(values) -> dict[str, list[int]]:
    """What a new response starts from, as sent in the address or the form: `area`, `action`,
    `theme` and `contribution`, each repeatable; anything that is not an id is ignored."""
    return {
        name: valid_ids(values.getlist(name))
        for name in ("area", "action", "theme", "contribution")
    }


class PublishedEditForm(ResponseForm):
    what_changed = TextAreaField(
        _l("What changed"),
        widget=GovCharacterCount(),
        description=_l("This is shown publicly as “Updated on (date): what changed”."),
        validators=[
            DataRequired(message=_l("Enter what changed")),
            Length(
                max=WHAT_CHANGED_MAX,
                message=_l(
                    "What changed must be %(max)d characters or fewer", max=WHAT_CHANGED_MAX
                ),
            ),
        ],
    )
    submit = SubmitField(_l("Publish the change"), widget=GovSubmitInput())


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you returning it?"),
        widget=GovTextArea(),
        description=_l("The author sees this in the response's history."),
        validators=[
            DataRequired(message=_l("Enter why the response is being returned")),
            Length(
                max=REASON_MAX,
                message=_l("The reason must be %(max)d characters or fewer", max=REASON_MAX),
            ),
        ],
    )
    submit = SubmitField(_l("Return to draft"), widget=GovSubmitInput())


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it being withdrawn?"),
        widget=GovTextArea(),
        description=_l("This is shown publicly on the response's page."),
        validators=[
            DataRequired(message=_l("Enter why the response is being withdrawn")),
            Length(
                max=REASON_MAX,
                message=_l("The reason must be %(max)d characters or fewer", max=REASON_MAX),
            ),
        ],
    )
    submit = SubmitField(_l("Withdraw response"), widget=GovSubmitInput())


class EvidenceFilterForm(QueryForm):
    """GET filters for choosing evidence; unknown values are simply ignored."""

    area = SelectField(
        _l("Area of weakness"), widget=GovSelect(), coerce=valid_id, validate_choice=False
    )
    action = SelectField(
        _l("Plan action"), widget=GovSelect(), coerce=valid_id, validate_choice=False
    )
    theme = SelectField(_l("Theme"), widget=GovSelect(), coerce=valid_id, validate_choice=False)
    state = SelectField(_l("State"), widget=GovSelect(), validate_choice=False)
    # "all" when the officer widened the search beyond the response's areas and actions
    scope = HiddenField()
    q = StringField(
        _l("Words in the text"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message=_l("Search words must be 200 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Apply filters"), widget=GovSubmitInput())

    def set_choices(self, choices) -> None:
        anything = ("", _l("Any"))
        self.area.choices = [anything] + [
            (a.id, _("Area %(number)d: %(title)s", number=a.number, title=a.title))
            for a in choices.areas
        ]
        self.action.choices = [anything] + [(a.id, a.reference) for a in choices.actions]
        self.theme.choices = [anything] + [(t.id, t.name) for t in choices.themes]
        self.state.choices = [anything] + [
            (state, ContributionState(state).label) for state in EVIDENCE_STATES
        ]

    @property
    def widened(self) -> bool:
        return self.scope.data == "all"

    def evidence_filter(self, scope=((), ())) -> EvidenceFilter:
        """The filters chosen; `scope` (the response's area and action ids) applies unless the
        search was widened."""

        def known(field):
            return field.data if field.data in {value for value, _label in field.choices} else None

        text = (self.q.data or "").strip()
        return EvidenceFilter(
            area_id=known(self.area),
            action_id=known(self.action),
            theme_id=known(self.theme),
            state=known(self.state) or None,
            text=text if len(text) <= 200 else "",
            scope_area_ids=[] if self.widened else list(scope[0]),
            scope_action_ids=[] if self.widened else list(scope[1]),
        )


class EvidenceForm(FlaskForm):
    """Ticked contributions to add or remove."""

    contribution_ids = SelectMultipleField(coerce=valid_id, validate_choice=False)
    add = SubmitField(_l("Add selected contributions"), widget=GovSubmitInput())
    add_all = SubmitField(_l("Add all matching"), widget=GovSubmitInput())
    confirm_all = HiddenField()  # "yes" once the officer confirmed adding a large number
    remove = SubmitField(_l("Remove selected contributions"), widget=GovSubmitInput())

    def chosen(self) -> list[int]:
        return [value for value in (self.contribution_ids.data or []) if value is not None][:1000]


def state_filter_items(current: str | None) -> list[dict]:
    """Options for the list page's state filter (a GET form)."""
    return [{"value": "", "text": str(_l("All")), "selected": not current}] + [
        {"value": value, "text": label, "selected": value == current}
        for value, label in ApprovalState.choices()
    ]


class ApproveForm(FlaskForm):
    """ "Approve": carries the version the approver was shown, so an approval given on a page
    opened before a change is refused."""

    version = HiddenField()

    def seen_version(self) -> int | None:
        value = (self.version.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None

    submit = SubmitField(_l("Approve and publish"), widget=GovSubmitInput())


class CrossOrganisationForm(FlaskForm):
    allowed = RadioField(
        _l("Who may approve a response?"),
        widget=GovRadioInput(),
        choices=[
            (
                "no",
                _l("Only officers from the organisation it is published for, or an administrator"),
            ),
            ("yes", _l("Any officer or administrator, from any organisation")),
        ],
        validators=[DataRequired(message=_l("Select who may approve a response"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
