"""Public "You said, we did": published responses, filterable without JavaScript, and each one's page."""

from datetime import date

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput
from wtforms import Field, SelectField, SubmitField
from wtforms.validators import ValidationError

from ..domain.thread import publishing, you_said_we_did
from ..domain.thread.you_said_we_did import PublicFilter
from ..models import ApprovalState, WeDidStatus
from ..web import pagination_links
from . import bp


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


class DayField(Field):
    """An optional date entered as day, month and year (GOV.UK date input).

    Blank means "no date"; anything else must be a real date, or the field says what is wrong.
    """

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, *, missing_message, invalid_message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.missing_message = missing_message
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        parts = [str(v).strip() for v in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts  # the widget always needs day, month and year to show back
        self.data = None
        if not any(parts):
            return
        if not all(parts):
            raise ValueError(str(self.missing_message))
        try:
            day, month, year = (int(p) for p in parts)
            if not 1900 <= year <= 2100:
                raise ValueError
            self.data = date(year, month, day)
        except (ValueError, OverflowError):
            raise ValueError(str(self.invalid_message)) from None

    def _value(self):
        return self.data.strftime("%d %m %Y") if self.data else ""


class ResponseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("Area of weakness"), widget=GovSelect(), validate_choice=False)
    action = SelectField(_l("Plan action"), widget=GovSelect(), validate_choice=False)
    organisation = SelectField(_l("Organisation"), widget=GovSelect(), validate_choice=False)
    status = SelectField(_l("Status"), widget=GovSelect(), validate_choice=False)
    published_from = DayField(
        _l("Published on or after"),
        missing_message=_l("Published on or after must include a day, month and year"),
        invalid_message=_l("Published on or after must be a real date"),
    )
    published_to = DayField(
        _l("Published on or before"),
        missing_message=_l("Published on or before must include a day, month and year"),
        invalid_message=_l("Published on or before must be a real date"),
    )
    submit = SubmitField(_l("Apply filters"), widget=GovSubmitInput())

    def set_choices(self, choices) -> None:
        self.area.choices = [("", _l("Any area"))] + [
            (str(a.number), _l("Area %(number)d: %(title)s", number=a.number, title=a.title))
            for a in choices.areas
        ]
        self.action.choices = [("", _l("Any action"))] + [
            (a.reference, f"{a.reference} {a.title}") for a in choices.actions
        ]
        self.organisation.choices = [("", _l("Any organisation"))] + [
            (str(o.id), o.name) for o in choices.organisations
        ]
        self.status.choices = [("", _l("Any status"))] + WeDidStatus.choices()

    def validate_published_to(self, field):
        start, end = self.published_from.data, field.data
        if start and end and end < start:
            raise ValidationError(
                _l("Published on or before must be the same as or after published on or after")
            )

    def public_filter(self) -> PublicFilter:
        """The filters that make sense; a value that is not in the list is ignored."""

        def chosen(field):
            return (
                field.data if field.data in {value for value, _label in field.choices[1:]} else None
            )

        area = chosen(self.area)
        organisation = chosen(self.organisation)
        return PublicFilter(
            area_number=int(area) if area else None,
            action_reference=chosen(self.action),
            organisation_id=int(organisation) if organisation else None,
            status=chosen(self.status),
            published_from=None if self.published_from.errors else self.published_from.data,
            published_to=None if self.published_to.errors else self.published_to.data,
        )


FILTER_NAMES = (
    "area",
    "action",
    "organisation",
    "status",
    "published_from",
    "published_to",
    "state",
)


@bp.get("/you-said-we-did")
def responses():
    form = ResponseFilterForm(request.args)
    form.set_choices(publishing.choices())
    form.validate()
    page = _int_or_none(request.args.get("page")) or 1
    listing = you_said_we_did.published_responses(form.public_filter(), page=min(page, 100_000))
    filtered = any(
        request.args.get(name) for name in ("area", "action", "organisation", "status")
    ) or any(any(request.args.getlist(name)) for name in ("published_from", "published_to"))
    return render_template(
        "public/responses/index.html",
        form=form,
        listing=listing,
        filtered=filtered,
        pagination=pagination_links(listing, "public.responses", keep=FILTER_NAMES),
    )


@bp.get("/you-said-we-did/<int:response_id>")
def response(response_id: int):
    found = you_said_we_did.public_response(response_id)
    if found is None:
        abort(404)
    if found.response.state == ApprovalState.WITHDRAWN.value:
        return render_template("public/responses/withdrawn.html", response=found.response)
    return render_template("public/responses/show.html", found=found, response=found.response)
