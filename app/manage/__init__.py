"""Staff pages. Every route here is wrapped in `roles_required`; a test walks the URL map, and a
view that declares no roles is refused (403) rather than open."""

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..domain.people import roles

bp = Blueprint("manage", __name__)


@bp.before_request
def deny_by_default():
    """A forgotten @roles_required is a 403, never an open page."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "allowed_roles", None):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    abort(403)


# (label, endpoint, roles that see it, other endpoint prefixes in the same section)
STAFF_SECTIONS = [
    (_l("Home"), "manage.home", roles.STAFF, ()),
    (_l("Inbox"), "manage.inbox", roles.STAFF, ("manage.contribution",)),
    (_l("You said, we did"), "manage.responses", roles.RESPONSE_WRITERS, ("manage.response",)),
    (_l("Improvement plan"), "manage.plan", roles.PLAN_KEEPERS, ()),
    (_l("Board report"), "manage.report", roles.REPORT_READERS, ()),
    (_l("Surveys"), "manage.surveys", roles.SURVEY_BUILDERS, ("manage.survey",)),
    (
        _l("Consultations"),
        "manage.consultations",
        roles.CONSULTATION_RUNNERS,
        ("manage.consultation",),
    ),
    (_l("Events"), "manage.events", roles.EVENT_ORGANISERS, ("manage.event",)),
    (_l("Cases"), "manage.cases", roles.CASEWORKERS, ("manage.case",)),
    (_l("Themes"), "manage.themes", roles.THEME_EDITORS, ("manage.theme",)),
    (
        _l("Translations"),
        "manage.translations",
        roles.TRANSLATORS,
        ("manage.area_translation", "manage.action_translation"),
    ),
    (_l("Reach"), "manage.reach", roles.REACH_WATCHERS, ("manage.reach_",)),
    (_l("Safeguarding"), "manage.settings", roles.ADMINISTRATORS, ("manage.setting",)),
    (_l("Users"), "manage.users", roles.ADMINISTRATORS, ("manage.user",)),
    (
        _l("Organisations"),
        "manage.organisations",
        roles.ADMINISTRATORS,
        ("manage.organisation",),
    ),
    (_l("Teams"), "manage.teams", roles.ADMINISTRATORS, ("manage.team",)),
    (_l("Data requests"), "manage.data_requests", roles.ADMINISTRATORS, ()),
    (_l("Audit log"), "manage.audit", roles.ADMINISTRATORS, ()),
]


@bp.app_template_global()
def staff_navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    items = []
    for label, target, allowed, prefixes in STAFF_SECTIONS:
        if not current_user.has_role(*allowed):
            continue
        active = endpoint == target or (
            target != "manage.home" and endpoint.startswith((target, *prefixes))
        )
        items.append({"href": url_for(target), "text": str(label), "active": active})
    return items


from . import (  # noqa: E402,F401  (one per line, so features merge cleanly)
    account,
    audit,
    cases,
    consultations,
    data_requests,
    events,
    feedback_entry,
    home,
    inbox,
    measures,
    moderation,
    organisations,
    plan,
    reach,
    report,
    responses,
    settings,
    survey_entry,
    survey_exports,
    survey_questions,
    survey_results,
    surveys,
    themes,
    translations,
    users,
)
