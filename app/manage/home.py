"""Staff home: what needs attention now, with a link to where to deal with it."""

from flask import render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import ALL_STAFF, roles_required
from ..domain import dashboard
from ..domain.plan import areas_and_actions as plan
from ..models import Role
from . import bp

COORDINATING = (Role.COORDINATOR, Role.ADMIN)
PLANNING = (Role.OFFICER, Role.ADMIN)


def _attention_items(found: dashboard.Attention) -> list[dict]:
    """One line per thing waiting, for the roles that can act on it; nothing waiting, no line."""
    candidates = [
        (
            found.urgent,
            ngettext(
                "%(num)d urgent safeguarding contribution not yet read",
                "%(num)d urgent safeguarding contributions not yet read",
                found.urgent,
            ),
            "manage.inbox",
            {"state": "new"},
            ALL_STAFF,
            True,
        ),
        (
            found.new_contributions,
            ngettext(
                "%(num)d new contribution to code",
                "%(num)d new contributions to code",
                found.new_contributions,
            ),
            "manage.inbox",
            {"state": "new"},
            ALL_STAFF,
            False,
        ),
        (
            found.awaiting_approval,
            ngettext(
                "%(num)d response awaiting approval",
                "%(num)d responses awaiting approval",
                found.awaiting_approval,
            ),
            "manage.responses",
            {"state": "awaiting_approval"},
            ALL_STAFF,
            False,
        ),
        (
            found.comments_waiting,
            ngettext(
                "%(num)d consultation comment waiting for moderation",
                "%(num)d consultation comments waiting for moderation",
                found.comments_waiting,
            ),
            "manage.consultations",
            {},
            COORDINATING,
            False,
        ),
        (
            found.reports_open,
            ngettext(
                "%(num)d reported comment to check",
                "%(num)d reported comments to check",
                found.reports_open,
            ),
            "manage.consultations",
            {},
            COORDINATING,
            False,
        ),
        (
            found.overdue_actions,
            ngettext(
                "%(num)d plan action past its due date",
                "%(num)d plan actions past their due date",
                found.overdue_actions,
            ),
            "manage.plan",
            {},
            PLANNING,
            False,
        ),
        (
            found.open_surveys,
            ngettext("%(num)d survey open now", "%(num)d surveys open now", found.open_surveys),
            "manage.surveys",
            {},
            COORDINATING,
            False,
        ),
        (
            found.open_consultations,
            ngettext(
                "%(num)d consultation open now",
                "%(num)d consultations open now",
                found.open_consultations,
            ),
            "manage.consultations",
            {},
            COORDINATING,
            False,
        ),
    ]
    return [
        {"text": text, "href": url_for(endpoint, **args), "urgent": urgent}
        for count, text, endpoint, args, roles, urgent in candidates
        if count and current_user.has_role(*roles)
    ]


@bp.get("/")
@roles_required(*ALL_STAFF)
def home():
    return render_template(
        "manage/home.html",
        totals=plan.plan_status_counts(),
        role=current_user.role_enum,
        attention=_attention_items(dashboard.attention()),
    )
