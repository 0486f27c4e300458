"""The audit log (administrators only). Read only: nothing here can change or remove an entry."""

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import ValidationError

from ..auth.session import roles_required
from ..domain.people import accounts, audit, roles
from ..domain.shared.dates import DATE_PARTS
from ..domain.shared.ids import valid_id
from ..forms import GovukDateField
from . import bp

PER_PAGE = 50


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads

    person = SelectField(_l("Person"), widget=GovSelect(), validate_choice=False)
    action = SelectField(_l("Action"), widget=GovSelect(), validate_choice=False)
    date_from = GovukDateField(_l("Date from"), id="date_from-day")
    date_to = GovukDateField(_l("Date to"), id="date_to-day")

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = [("", _l("Everyone"))] + [
            (str(user.id), f"{user.name} ({user.email})") for user in people
        ]
        self.action.choices = [("", _l("All actions"))] + [
            (key, label) for key, label in audit.ACTION_LABELS.items()
        ]

    def validate_person(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Select a person from the list"))

    def validate_action(self, field):
        if field.data and field.data not in audit.ACTION_LABELS:
            raise ValidationError(_l("Select an action from the list"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and self.date_from.data > field.data:
            raise ValidationError(_l("Date to must be the same as or after date from"))

    @property
    def filters(self) -> dict:
        return {
            "actor_id": valid_id(self.person.data),
            "action": self.action.data or None,
            "date_from": self.date_from.data,
            "date_to": self.date_to.data,
        }


def _filter_args() -> dict:
    """The filters in the current URL, to carry into the paging links."""
    keep = ["person", "action"] + [
        f"{name}-{part}" for name in ("date_from", "date_to") for part in DATE_PARTS
    ]
    return {key: request.args[key] for key in keep if request.args.get(key)}


@bp.get("/audit", endpoint="audit")
@roles_required(*roles.ADMINISTRATORS)
def audit_log():
    form = AuditFilterForm(accounts.staff_users(), formdata=request.args)
    form.validate()
    log = None
    if not form.errors:
        log = audit.log_page(
            **form.filters, before_id=request.args.get("before", type=int), per_page=PER_PAGE
        )
    args = _filter_args()
    return render_template(
        "manage/audit/index.html",
        form=form,
        log=log,
        labels=audit.ACTION_LABELS,
        filtered=bool(args),
        older_url=url_for("manage.audit", before=log.older_before_id, **args)
        if log and log.older_before_id
        else None,
        newest_url=url_for("manage.audit", **args) if request.args.get("before") else None,
    )
