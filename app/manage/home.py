"""Staff home: what needs attention now, with a link to where to deal with it."""

from flask import render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain import dashboard
from ..domain.people import roles
from ..domain.plan import areas_and_actions as plan
from . import bp
from .reach import reach_url


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
            roles.STAFF,
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
            roles.STAFF,
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
            roles.STAFF,
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
            roles.MODERATORS,
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
            roles.MODERATORS,
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
            roles.PLAN_KEEPERS,
            False,
        ),
        (
            found.open_surveys,
            ngettext("%(num)d survey open now", "%(num)d surveys open now", found.open_surveys),
            "manage.surveys",
            {},
            roles.SURVEY_BUILDERS,
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
            roles.CONSULTATION_RUNNERS,
            False,
        ),
    ]
    return [
        {"text": text, "href": url_for(endpoint, **args), "urgent": urgent}
        for count, text, endpoint, args, allowed, urgent in candidates
        if count and current_user.has_role(*allowed)
    ]


@bp.get("/")
@roles_required(*roles.STAFF)
def home():
    return render_template(
        "manage/home.html",
        totals=plan.plan_status_counts(),
        role=current_user.role_enum,
        attention=_attention_items(dashboard.attention()),
        open_cases=dashboard.open_cases() if current_user.has_role(*roles.CASEWORKERS) else None,
        reach_gaps=_reach_gaps() if current_user.has_role(*roles.REACH_WATCHERS) else None,
    )


def _reach_gaps() -> list[dict]:
    """Each open survey and consultation with its largest reach gaps and the reach page for it."""
    return [
        {"found": found, "href": reach_url(None, found.today, found.activity)}
        for found in dashboard.reach_gaps()
    ]
