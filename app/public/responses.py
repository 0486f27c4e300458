"""Public "You said, we did": published responses, filterable without JavaScript, and each
one's page."""

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import ValidationError

from ..domain.shared.ids import page_number
from ..domain.thread import publishing, you_said_we_did
from ..domain.thread.you_said_we_did import PublicFilter
from ..forms import GovukDateField
from ..models import ApprovalState, WeDidStatus
from ..page_cache import public_page
from ..web import pagination_links
from . import bp


class ResponseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("Area of weakness"), widget=GovSelect(), validate_choice=False)
    action = SelectField(_l("Plan action"), widget=GovSelect(), validate_choice=False)
    organisation = SelectField(_l("Organisation"), widget=GovSelect(), validate_choice=False)
    status = SelectField(_l("Status"), widget=GovSelect(), validate_choice=False)
    published_from = GovukDateField(
        _l("Published on or after"),
        widget=GovDateInput(),
        one_name=True,
        missing_message=_l("Published on or after must include a day, month and year"),
        invalid_message=_l("Published on or after must be a real date"),
    )
    published_to = GovukDateField(
        _l("Published on or before"),
        widget=GovDateInput(),
        one_name=True,
        missing_message=_l("Published on or before must include a day, month and year"),
        invalid_message=_l("Published on or before must be a real date"),
    )
    submit = SubmitField(_l("Apply filters"), widget=GovSubmitInput())

    def set_choices(self, choices) -> None:
        self.area.choices = [("", _l("Any area"))] + [
            # gettext, not lazy_gettext: a lazy string counts as safe HTML (it has __html__), so
            # the title typed by staff would reach the page unescaped.
            (str(a.number), _("Area %(number)d: %(title)s", number=a.number, title=a.title))
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
@public_page
def responses():
    form = ResponseFilterForm(request.args)
    form.set_choices(publishing.choices())
    form.validate()
    page = page_number(request.args.get("page"))
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
@public_page
def response(response_id: int):
    found = you_said_we_did.public_response(response_id)
    if found is None:
        abort(404)
    if found.response.state == ApprovalState.WITHDRAWN.value:
        return render_template("public/responses/withdrawn.html", response=found.response)
    return render_template("public/responses/show.html", found=found, response=found.response)
