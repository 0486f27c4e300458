"""Service-design consultations: the list, a consultation's page, commenting and reporting.

The rules (stages, what is public, moderation) are in app/domain/consultations.py and
app/domain/moderation.py.
"""

import logging

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..domain.engagement import consultations as consultations_domain
from ..domain.engagement import moderation
from ..domain.shared.errors import Refused
from ..domain.shared.ids import page_number
from ..domain.shared.wording import Wording
from ..domain.thread.references import new_reference
from ..extensions import limiter
from ..forms import show_problems
from ..i18n import current_language
from ..models import CommentState
from ..page_cache import public_page
from ..web import just_sent, private_page
from . import bp
from .consultation_forms import CommentForm, ReportForm

log = logging.getLogger(__name__)

COMMENTED_KEY = "consultation_commented"
YOUNG_PERSON_ARG = "young_person"  # the same switch as surveys use
YOUNG_PERSON_VALUE = "1"


def _comment_limit() -> str:
    return current_app.config.get("COMMENT_RATE_LIMIT", "10 per hour")


def _report_limit() -> str:
    return current_app.config.get("REPORT_RATE_LIMIT", "10 per hour")


def _sent(response) -> bool:
    """Only what was sent counts towards the limit, not a form returned with errors."""
    return response.status_code == 302


def _young_person() -> bool:
    return request.args.get(YOUNG_PERSON_ARG) == YOUNG_PERSON_VALUE


def _wording() -> Wording:
    return Wording(current_language(), _young_person())


def _consultation_or_404(slug: str):
    consultation = consultations_domain.published_by_slug(slug)
    if consultation is None:
        abort(404)
    return consultation


def _comment_form(consultation, wording: Wording, **kwargs) -> CommentForm:
    proposals = [(p.id, wording(p, "title")) for p in consultation.proposals]
    return CommentForm(proposals=proposals, **kwargs)


def _consultation_page(consultation, form: CommentForm | None = None, refused: str | None = None):
    wording = _wording()
    if form is None:
        form = _comment_form(consultation, wording)
        form.prefill(request.args.get("about"))
    form.start_clock()
    return render_template(
        "public/consultations/consultation.html",
        page=consultations_domain.public_page(consultation),
        consultation=consultation,
        w=wording,
        young_person=_young_person(),
        form=form,
        refused=refused,
        max_comment_length=moderation.MAX_COMMENT_LENGTH,
        comments_shown=consultations_domain.COMMENTS_SHOWN,
    )


@bp.get("/consultations")
@public_page
def consultations():
    return render_template(
        "public/consultations/index.html", listing=consultations_domain.public_list(), w=_wording()
    )


@bp.get("/consultations/<slug>")
@public_page
def consultation(slug: str):
    return _consultation_page(_consultation_or_404(slug))


@bp.post("/consultations/<slug>/comments")
@limiter.limit(_comment_limit, deduct_when=_sent)
def consultation_comment(slug: str):
    consultation = _consultation_or_404(slug)
    if not consultations_domain.is_open(consultation):
        # A form kept open past the closing time, or a forged request: say so plainly.
        return _consultation_page(
            consultation,
            refused=_(
                "This consultation is not taking comments, so your comment has not been sent."
            ),
        )
    form = _comment_form(consultation, _wording())
    if not form.validate_on_submit():
        return _consultation_page(consultation, form)
    if form.looks_automated():
        # Robots see the usual confirmation, so they learn nothing; nothing is stored.
        log.info("Consultation comment treated as automated and not stored")
        session[COMMENTED_KEY] = {
            "slug": slug,
            "state": CommentState.PENDING.value,
            "urgent": False,
            "reference": new_reference(),
        }
        return redirect(url_for("public.consultation_commented", slug=slug))
    try:
        comment = moderation.record_comment(
            consultation,
            text=form.text.data,
            display_name=form.display_name.data or "",
            proposal_id=form.proposal_id,
            consent_to_publish=bool(form.consent.data),
            language=current_language(),
            contact_email=form.email.data or None,
        )
    except moderation.CommentsClosed:
        return _consultation_page(
            consultation,
            refused=_(
                "This consultation is not taking comments, so your comment has not been sent."
            ),
        )
    except Refused as refused:
        show_problems(form, refused, default="about")
        return _consultation_page(consultation, form)
    session[COMMENTED_KEY] = {
        "slug": slug,
        "state": comment.state,
        "urgent": comment.safeguarding,
        "personal_details": moderation.held_for_personal_details(comment),
        "reference": moderation.contribution_reference(comment),
        "comment_id": comment.id,
    }
    return redirect(url_for("public.consultation_commented", slug=slug))


@bp.get("/consultations/<slug>/commented")
def consultation_commented(slug: str):
    sent = just_sent(COMMENTED_KEY, slug=slug)
    if sent is None:
        return redirect(url_for("public.consultation", slug=slug))
    consultation = _consultation_or_404(slug)
    return private_page(
        "public/consultations/commented.html",
        consultation=consultation,
        w=_wording(),
        published=sent.get("state") == CommentState.PUBLISHED.value,
        urgent=bool(sent.get("urgent")),
        personal_details=bool(sent.get("personal_details")),
        reference=sent.get("reference"),
        comment_id=sent.get("comment_id"),
    )


@bp.get("/consultations/<slug>/comments")
@public_page
def consultation_comments(slug: str):
    consultation = _consultation_or_404(slug)
    about = (request.args.get("about") or consultations_domain.GENERAL)[:20]
    found = consultations_domain.comments_page(
        consultation, about, page_number(request.args.get("page"))
    )
    if found is None:
        abort(404)
    return render_template(
        "public/consultations/comments.html",
        consultation=consultation,
        found=found,
        w=_wording(),
        about=about,
        accepting=consultations_domain.is_open(consultation),
    )


@bp.route("/consultations/<slug>/comments/<int:comment_id>/report", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"], deduct_when=_sent)
def consultation_report(slug: str, comment_id: int):
    consultation = _consultation_or_404(slug)
    comment = consultations_domain.public_comment(consultation, comment_id)
    if comment is None:
        abort(404)
    form = ReportForm()
    if request.method == "POST" and form.validate_on_submit():
        thanks = _(
            "Thank you. A moderator will look at this comment and decide whether to hide it."
        )
        if form.looks_automated():
            log.info("Comment report treated as automated and not stored")
            flash(thanks, "success")
            return redirect(url_for("public.consultation", slug=slug) + f"#comment-{comment_id}")
        try:
            moderation.report_comment(comment, form.reason.data)
        except Refused as refused:
            show_problems(form, refused, default="reason")
        else:
            flash(thanks, "success")
            return redirect(url_for("public.consultation", slug=slug) + f"#comment-{comment_id}")
    form.start_clock()
    return render_template(
        "public/consultations/report.html",
        consultation=consultation,
        comment=comment,
        form=form,
        w=_wording(),
        max_reason_length=moderation.MAX_REASON_LENGTH,
    )
