from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
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
        description=_l(
            "Use 12 characters or more. A few unrelated words together make a strong password "
            "that is easy to remember."
        ),
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
