from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import trimmed

PASSWORD_ADVICE = _l(
    "Use 12 characters or more. A few unrelated words together make a strong password that is "
    "easy to remember."
)


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message=_l("Enter your password")),
            Length(max=256, message=_l("Password must be 256 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        description=PASSWORD_ADVICE,
        validators=[DataRequired(message=_l("Enter a new password"))],
    )
    confirm = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message=_l("Enter the password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )
    submit = SubmitField(_l("Set password"), widget=GovSubmitInput())


class TwoStepCodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        widget=GovTextInput(),
        description=_l("The 6-digit code, or one of your recovery codes if you lost your phone."),
        validators=[
            DataRequired(message=_l("Enter the code from your authenticator app")),
            Length(max=40, message=_l("Enter the code from your authenticator app")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class TwoStepSetUpForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        widget=GovTextInput(),
        description=_l("Enter the 6-digit code the app shows for this account."),
        validators=[
            DataRequired(message=_l("Enter the 6-digit code your authenticator app shows now")),
            Length(max=40, message=_l("Enter the 6-digit code your authenticator app shows now")),
        ],
    )
    submit = SubmitField(_l("Turn on two-step sign-in"), widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message=_l("Enter your current password")),
            Length(max=256, message=_l("Password must be 256 characters or fewer")),
        ],
    )
    password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        description=PASSWORD_ADVICE,
        validators=[DataRequired(message=_l("Enter a new password"))],
    )
    confirm = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message=_l("Enter the password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())
