"""The audit log (administrators only). Read only: nothing here can change or remove an entry."""

from datetime import date

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import Field, SelectField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from ..auth.session import roles_required
from ..domain import accounts, audit
from ..models import Role
from . import bp

PER_PAGE = 50

PARTS = ("day", "month", "year")


def _missing_message(missing: tuple[str, ...], label: str) -> str:
    """What to say when some parts of a date are missing, as in the GOV.UK date input pattern."""
    messages = {
        ("day",): lambda: _("%(label)s must include a day", label=label),
        ("month",): lambda: _("%(label)s must include a month", label=label),
        ("year",): lambda: _("%(label)s must include a year", label=label),
        ("day", "month"): lambda: _("%(label)s must include a day and month", label=label),
        ("day", "year"): lambda: _("%(label)s must include a day and year", label=label),
        ("month", "year"): lambda: _("%(label)s must include a month and year", label=label),
    }
    return messages[missing]()


class GovukDateField(Field):
    """A GOV.UK date input: three boxes named <name>-day, <name>-month and <name>-year.

    Empty is allowed (no date). Whatever was typed is kept in `parts` to show again.
    The field's id is that of the day box, so the error summary links to it.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parts = dict.fromkeys(PARTS, "")

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.data = None
        self.raw_data = []
        if formdata is None:
            return
        self.parts = {part: (formdata.get(f"{self.name}-{part}") or "").strip()[:20] for part in PARTS}
        self.raw_data = [self.parts[part] for part in PARTS]
        missing = tuple(part for part in PARTS if not self.parts[part])
        if len(missing) == 3:
            return
        label = self.label.text
        if missing:
            self.process_errors.append(_missing_message(missing, label))
            return
        if not all(self.parts[part].isdigit() for part in PARTS):
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        if len(self.parts["year"]) != 4:
            self.process_errors.append(_("Year must include 4 numbers"))
            return
        if not 1900 <= int(self.parts["year"]) <= 2999:
            self.process_errors.append(_("%(label)s must be a real date", label=label))
            return
        try:
            self.data = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except ValueError:
            self.process_errors.append(_("%(label)s must be a real date", label=label))

    def _value(self):
        return " ".join(self.raw_data)


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
            "actor_id": int(self.person.data) if self.person.data else None,
            "action": self.action.data or None,
            "date_from": self.date_from.data,
            "date_to": self.date_to.data,
        }


def _filter_args() -> dict:
    """The filters in the current URL, to carry into the paging links."""
    keep = ["person", "action"] + [f"{name}-{part}" for name in ("date_from", "date_to") for part in PARTS]
    return {key: request.args[key] for key in keep if request.args.get(key)}


@bp.get("/audit", endpoint="audit")
@roles_required(Role.ADMIN)
def audit_log():
    form = AuditFilterForm(accounts.staff_users(), formdata=request.args)
    form.validate()
    log = None
    if not form.errors:
        log = audit.log_page(**form.filters, before_id=request.args.get("before", type=int), per_page=PER_PAGE)
    args = _filter_args()
    return render_template(
        "manage/audit/index.html",
        form=form,
        log=log,
        labels=audit.ACTION_LABELS,
        filtered=bool(args),
        older_url=url_for("manage.audit", before=log.older_before_id, **args) if log and log.older_before_id else None,
        newest_url=url_for("manage.audit", **args) if request.args.get("before") else None,
    )
