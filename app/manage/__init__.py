"""Staff pages. Every route here is wrapped in `roles_required`; a test walks the URL map."""

from flask import Blueprint, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import Role

bp = Blueprint("manage", __name__)

# (label, endpoint, roles that see it, other endpoint prefixes in the same section)
STAFF_SECTIONS = [
    (_l("Home"), "manage.home", tuple(Role), ()),
    (_l("Inbox"), "manage.inbox", tuple(Role), ("manage.contribution",)),
    (_l("You said, we did"), "manage.responses", tuple(Role), ("manage.response",)),
    (_l("Improvement plan"), "manage.plan", (Role.OFFICER, Role.ADMIN), ()),
    (_l("Surveys"), "manage.surveys", (Role.COORDINATOR, Role.ADMIN), ("manage.survey",)),
    (
        _l("Consultations"),
        "manage.consultations",
        (Role.COORDINATOR, Role.ADMIN),
        ("manage.consultation",),
    ),
    (_l("Events"), "manage.events", (Role.COORDINATOR, Role.ADMIN), ("manage.event",)),
    (_l("Themes"), "manage.themes", (Role.COORDINATOR, Role.ADMIN), ("manage.theme",)),
    (_l("Safeguarding"), "manage.settings", (Role.ADMIN,), ("manage.setting",)),
    (_l("Users"), "manage.users", (Role.ADMIN,), ("manage.user",)),
    (_l("Audit log"), "manage.audit", (Role.ADMIN,), ()),
]


@bp.app_template_global()
def staff_navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    items = []
    for label, target, roles, prefixes in STAFF_SECTIONS:
        if not current_user.has_role(*roles):
            continue
        active = endpoint == target or (
            target != "manage.home" and endpoint.startswith((target, *prefixes))
        )
        items.append({"href": url_for(target), "text": str(label), "active": active})
    return items


from . import (  # noqa: E402,F401  (one per line, so features merge cleanly)
    audit,
    consultations,
    events,
    home,
    inbox,
    moderation,
    plan,
    responses,
    settings,
    survey_entry,
    survey_questions,
    survey_results,
    surveys,
    themes,
    translations,
    users,
)
