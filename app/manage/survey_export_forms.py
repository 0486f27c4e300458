"""Forms for survey spreadsheets built in the background: asking for one, trying again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField


class PrepareExportForm(FlaskForm):
    submit = SubmitField(_l("Prepare the spreadsheet"), widget=GovSubmitInput())


class RetryExportForm(FlaskForm):
    submit = SubmitField(_l("Try again"), widget=GovSubmitInput())
