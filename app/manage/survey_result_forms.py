"""Forms for survey results: the filters (a GET form) and the publish/unpublish confirmations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import HiddenField, SubmitField

from ..domain.surveys.results import FILTER_FIELDS, ResultFilters, filter_choices
from ..forms import ChoiceSelectField, QueryForm

ANY = {
    "relationship_to_child": _l("Anyone"),
    "district": _l("Any district"),
    "age_group": _l("Any age group"),
    "need": _l("Any area of need"),
    "setting": _l("Any setting"),
    "ehc_plan": _l("Any answer"),
    "channel": _l("Any channel"),
}


class ResultFilterForm(QueryForm):
    relationship_to_child = ChoiceSelectField(
        _l("Who answered"),
        widget=GovSelect(),
        invalid_message=_l("Select who answered from the list"),
    )
    district = ChoiceSelectField(
        _l("District"), widget=GovSelect(), invalid_message=_l("Select a district from the list")
    )
    age_group = ChoiceSelectField(
        _l("Age of the child or young person"),
        widget=GovSelect(),
        invalid_message=_l("Select an age group from the list"),
    )
    need = ChoiceSelectField(
        _l("Area of need"),
        widget=GovSelect(),
        invalid_message=_l("Select an area of need from the list"),
    )
    setting = ChoiceSelectField(
        _l("Where they learn"),
        widget=GovSelect(),
        invalid_message=_l("Select a setting from the list"),
    )
    ehc_plan = ChoiceSelectField(
        _l("EHC plan"),
        widget=GovSelect(),
        invalid_message=_l("Select whether they have an EHC plan from the list"),
    )
    channel = ChoiceSelectField(
        _l("How they answered"),
        widget=GovSelect(),
        invalid_message=_l("Select a channel from the list"),
    )

    FIELDS = FILTER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FILTER_FIELDS:
            getattr(self, name).choices = [("", str(ANY[name]))] + filter_choices(name)

    @property
    def filters(self) -> ResultFilters:
        """The chosen filters; call after validate() found no errors."""
        return ResultFilters(**{name: (getattr(self, name).data or None) for name in FILTER_FIELDS})


class PublishResultsForm(FlaskForm):
    confirm = HiddenField()
    submit = SubmitField(_l("Publish the results"), widget=GovSubmitInput())


class UnpublishResultsForm(FlaskForm):
    confirm = HiddenField()
    submit = SubmitField(_l("Take the results down"), widget=GovSubmitInput())
