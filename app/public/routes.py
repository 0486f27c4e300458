"""The public site: no account needed."""

from flask import abort, current_app, jsonify, render_template, url_for
from sqlalchemy import text

from ..domain.engagement import open_now as engagement
from ..domain.plan import areas_and_actions as plan
from ..domain.plan import measures
from ..domain.thread import cases, you_said_we_did
from ..extensions import db, limiter
from ..i18n import current_language, text_direction
from ..page_cache import public_page
from . import bp

ACTIVITY_PAGES = {"survey": "public.survey", "consultation": "public.consultation"}


def _open_activities(**links) -> list[dict]:
    """Open surveys and consultations with their addresses, for the "Have your say" lists."""
    found = []
    for activity in engagement.open_activities(current_language(), **links):
        href = url_for(ACTIVITY_PAGES[activity.kind], slug=activity.slug)
        found.append({"activity": activity, "href": href})
    return found


@bp.get("/")
@public_page
def home():
    return render_template(
        "public/home.html",
        areas=plan.areas_at_a_glance(),
        totals=plan.plan_status_counts(),
        latest=you_said_we_did.latest_published(3),
        activities=_open_activities(),
        measure_counts={
            state.value: count for state, count in measures.state_counts(measures.today()).items()
        },
    )


@bp.get("/areas")
@public_page
def areas():
    return render_template("public/areas.html", areas=plan.areas_at_a_glance())


@bp.get("/areas/<int:number>")
@public_page
def area(number: int):
    found = plan.area_by_number(number)
    if found is None:
        abort(404)
    return render_template(
        "public/area.html",
        area=found,
        loop=plan.loop_for(area_id=found.id),
        activities=_open_activities(area_id=found.id),
        measures=measures.measure_summaries(measures.today(), [found.id], public_only=True),
        case_answers=cases.area_answers(found.id),
    )


@bp.get("/actions/<reference>")
@public_page
def action(reference: str):
    if len(reference) > 30:
        abort(404)
    found = plan.action_by_reference(reference)
    if found is None:
        abort(404)
    return render_template(
        "public/action.html",
        action=found,
        loop=plan.loop_for(action_id=found.id),
        activities=_open_activities(action_id=found.id),
        measures=measures.measure_details(
            found.id, measures.today(), public_only=True, rtl=text_direction() == "rtl"
        ),
    )


@bp.get("/accessibility")
@public_page
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/privacy")
@public_page
def privacy():
    return render_template("public/privacy.html")


@bp.get("/cookies")
@public_page
def cookies():
    return render_template(
        "public/cookies.html", language_cookie=current_app.config["LANGUAGE_COOKIE"]
    )


@bp.get("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
