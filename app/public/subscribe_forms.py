"""The /subscribe form: what to hear about, and where to send it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, RadioField, SelectField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, ValidationError

from ..domain.mail.subscriptions import FREQUENCIES, OFFERED_TARGETS, Options
from ..domain.shared.ids import valid_id
from ..forms import trimmed

FREQUENCY_CHOICES = [
    ("immediate", _l("As it happens: an email each time something changes")),
    ("weekly", _l("A weekly summary: one email a week, only when something has changed")),
]


def frequency_field():
    return RadioField(
        _l("How often do you want emails?"),
        choices=FREQUENCY_CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        description=_l(
            "For a consultation we email you once, when what we heard is published, whichever "
            "you choose."
        ),
        validators=[
            InputRequired(message=_l("Choose how often you want emails")),
            AnyOf(FREQUENCIES, message=_l("Choose how often you want emails")),
        ],
    )


class FrequencyForm(FlaskForm):
    """A subscriber's own page, reached from every email: how often."""

    frequency = frequency_field()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class SubscribeForm(FlaskForm):
    target_type = RadioField(
        _l("What do you want email updates about?"),
        choices=[
            ("area", _l("An area of weakness")),
            ("action", _l("An action in the improvement plan")),
            ("consultation", _l("A consultation")),
        ],
        widget=GovRadioInput(),
        validate_choice=False,  # a forged value gets the message below, not WTForms' own
        validators=[
            InputRequired(message=_l("Choose what you want email updates about")),
            AnyOf(OFFERED_TARGETS, message=_l("Choose what you want email updates about")),
        ],
    )
    area = SelectField(
        _l("Area of weakness"),
        widget=GovSelect(),
        validate_choice=False,
        description=_l("If you chose an area of weakness, choose which one"),
    )
    action = SelectField(
        _l("Action in the improvement plan"),
        widget=GovSelect(),
        validate_choice=False,
        description=_l("If you chose an action, choose which one"),
    )
    consultation = SelectField(
        _l("Consultation"),
        widget=GovSelect(),
        validate_choice=False,
        description=_l(
            "If you chose a consultation, choose which one. We email you when "
            "what we heard is published."
        ),
    )
    frequency = frequency_field()
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        description=_l(
            "We will send you an email to confirm. We use your address only for these updates."
        ),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
        ],
    )
    submit = SubmitField(_l("Subscribe"), widget=GovSubmitInput())

    def __init__(self, options: Options, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.area.choices = [("", _l("Choose an area"))] + [
            (str(o.id), o.label) for o in options.areas
        ]
        self.action.choices = [("", _l("Choose an action"))] + [
            (str(o.id), o.label) for o in options.actions
        ]
        self.consultation.choices = [("", _l("Choose a consultation"))] + [
            (str(o.id), o.label) for o in options.consultations
        ]
        if not options.consultations:  # nothing to choose: do not offer it
            self.target_type.choices = [
                c for c in self.target_type.choices if c[0] != "consultation"
            ]

    def prefill(
        self, area: str | None, action: str | None, consultation: str | None = None
    ) -> None:
        """?area=<number>, ?action=<reference> or ?consultation=<slug> from a link on an area,
        action or consultation page."""
        area_id = self.options.area_id_for(area)
        action_id = self.options.action_id_for(action)
        consultation_id = self.options.consultation_id_for(consultation)
        if area_id:
            self.target_type.data, self.area.data = "area", str(area_id)
        elif action_id:
            self.target_type.data, self.action.data = "action", str(action_id)
        elif consultation_id:
            self.target_type.data, self.consultation.data = "consultation", str(consultation_id)

    def validate_target_type(self, field):
        """Only what the form offers now (no consultation to choose: not offered)."""
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose what you want email updates about"))

    def _check_choice(self, field, target_type: str, missing, unknown) -> None:
        if self.target_type.data != target_type or self.target_type.errors:
            return
        if not field.data:
            raise ValidationError(missing)
        if valid_id(field.data) not in self.options.ids(target_type):
            raise ValidationError(unknown)

    def validate_area(self, field):
        self._check_choice(
            field,
            "area",
            _l("Choose an area of weakness"),
            _l("Choose an area of weakness from the list"),
        )

    def validate_action(self, field):
        self._check_choice(
            field, "action", _l("Choose an action"), _l("Choose an action from the list")
        )

    def validate_consultation(self, field):
        self._check_choice(
            field,
            "consultation",
            _l("Choose a consultation"),
            _l("Choose a consultation from the list"),
        )

    @property
    def target_id(self) -> int:
        chosen = {"area": self.area, "action": self.action, "consultation": self.consultation}
        return valid_id(chosen[self.target_type.data].data)
