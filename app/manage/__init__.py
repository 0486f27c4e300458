"""Staff pages. Every route here is wrapped in `roles_required`; a test walks the URL map."""

from flask import Blueprint, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import Role

bp = Blueprint("manage", __name__)

# (label, endpoint, roles that see it)
STAFF_SECTIONS = [
    (_l("Home"), "manage.home", tuple(Role)),
    (_l("Inbox"), "manage.inbox", tuple(Role)),
    (_l("You said, we did"), "manage.responses", tuple(Role)),
    (_l("Improvement plan"), "manage.plan", (Role.OFFICER, Role.ADMIN)),
    (_l("Themes"), "manage.themes", (Role.COORDINATOR, Role.ADMIN)),
    (_l("Safeguarding"), "manage.settings", (Role.ADMIN,)),
    (_l("Users"), "manage.users", (Role.ADMIN,)),
    (_l("Audit log"), "manage.audit", (Role.ADMIN,)),
]


@bp.app_template_global()
def staff_navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    items = []
    for label, target, roles in STAFF_SECTIONS:
        if target not in current_app.view_functions or not current_user.has_role(*roles):
            continue
        section = target.split(".")[1]
        active = endpoint == target if target == "manage.home" else endpoint.startswith(f"manage.{section}")
        items.append({"href": url_for(target), "text": str(label), "active": active})
    return items


from . import audit, home, inbox, plan, responses, settings, themes, users  # noqa: E402,F401
