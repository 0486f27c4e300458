"""Moderating a consultation's comments: the queue (waiting, reported, hidden) and one comment's
page, where a moderator approves, hides or restores it with a reason, or keeps a reported one.
Nothing is ever deleted: there is no route to delete a comment. The rules are in
app/domain/engagement/moderation.py."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.engagement import moderation
from ..domain.people import audit, roles
from ..domain.shared.errors import Refused
from ..forms import ConfirmForm, show_problems
from . import bp
from .consultation_forms import ReasonForm
from .consultations import consultation_or_404


def _actor():
    return current_user._get_current_object()


def _comment_or_404(consultation, comment_id: int):
    comment = moderation.staff_comment(consultation, comment_id)
    if comment is None:
        abort(404)
    return comment


def _back_to_queue(consultation):
    return redirect(url_for("manage.consultation_moderation", consultation_id=consultation.id))


def _back_to_comment(consultation, comment):
    return redirect(
        url_for(
            "manage.consultation_comment", consultation_id=consultation.id, comment_id=comment.id
        )
    )


def _with_reason(consultation_id: int, comment_id: int, change, form_name: str):
    """Hiding and restoring a comment both need a reason; a refusal is shown next to it.
    `change(comment, reason)` returns the message to show once done."""
    consultation = consultation_or_404(consultation_id)
    comment = _comment_or_404(consultation, comment_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            message = change(comment, form.reason.data)
        except Refused as refused:
            show_problems(form, refused, default="reason")
        else:
            flash(message, "success")
            return _back_to_queue(consultation)
    return _comment_page(consultation, comment, **{form_name: form})


@bp.get("/consultations/<int:consultation_id>/moderation", endpoint="consultation_moderation")
@roles_required(*roles.MODERATORS)
def consultation_moderation(consultation_id: int):
    consultation = consultation_or_404(consultation_id)
    return render_template(
        "manage/consultations/moderation.html",
        consultation=consultation,
        queue=moderation.queue(consultation),
        limit=moderation.QUEUE_LIMIT,
    )


def _comment_page(consultation, comment, hide_form=None, restore_form=None, status=200):
    return render_template(
        "manage/consultations/comment.html",
        consultation=consultation,
        comment=comment,
        reference=moderation.contribution_reference(comment),
        hide_form=hide_form or ReasonForm(formdata=None),
        restore_form=restore_form or ReasonForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        history=moderation.history(comment),
        labels=audit.ACTION_LABELS,
        open_reports=[r for r in comment.reports if r.resolved_at is None],
    ), status


@bp.get(
    "/consultations/<int:consultation_id>/comments/<int:comment_id>",
    endpoint="consultation_comment",
)
@roles_required(*roles.MODERATORS)
def consultation_comment(consultation_id: int, comment_id: int):
    consultation = consultation_or_404(consultation_id)
    return _comment_page(consultation, _comment_or_404(consultation, comment_id))


@bp.post(
    "/consultations/<int:consultation_id>/comments/<int:comment_id>/approve",
    endpoint="consultation_comment_approve",
)
@roles_required(*roles.MODERATORS)
def consultation_comment_approve(consultation_id: int, comment_id: int):
    consultation = consultation_or_404(consultation_id)
    comment = _comment_or_404(consultation, comment_id)
    if ConfirmForm().validate_on_submit():
        try:
            moderation.approve(_actor(), comment)
        except Refused as error:
            flash(str(error), "info")
            return _back_to_comment(consultation, comment)
        flash(_("Comment approved. It is now shown on the consultation’s page."), "success")
    return _back_to_queue(consultation)


@bp.post(
    "/consultations/<int:consultation_id>/comments/<int:comment_id>/hide",
    endpoint="consultation_comment_hide",
)
@roles_required(*roles.MODERATORS)
def consultation_comment_hide(consultation_id: int, comment_id: int):
    def hide(comment, reason):
        resolved = moderation.hide(_actor(), comment, reason)
        message = _("Comment hidden. The consultation’s page shows your reason in its place.")
        if resolved:
            message += " " + ngettext(
                "%(num)d report resolved.", "%(num)d reports resolved.", resolved
            )
        return message

    return _with_reason(consultation_id, comment_id, hide, "hide_form")


@bp.post(
    "/consultations/<int:consultation_id>/comments/<int:comment_id>/restore",
    endpoint="consultation_comment_restore",
)
@roles_required(*roles.MODERATORS)
def consultation_comment_restore(consultation_id: int, comment_id: int):
    def restore(comment, reason):
        moderation.restore(_actor(), comment, reason)
        return _("Comment restored. It is shown on the consultation’s page again.")

    return _with_reason(consultation_id, comment_id, restore, "restore_form")


@bp.post(
    "/consultations/<int:consultation_id>/comments/<int:comment_id>/keep",
    endpoint="consultation_comment_keep",
)
@roles_required(*roles.MODERATORS)
def consultation_comment_keep(consultation_id: int, comment_id: int):
    consultation = consultation_or_404(consultation_id)
    comment = _comment_or_404(consultation, comment_id)
    if ConfirmForm().validate_on_submit():
        try:
            resolved = moderation.keep(_actor(), comment)
        except Refused as error:
            flash(str(error), "info")
            return _back_to_comment(consultation, comment)
        flash(
            ngettext(
                "Comment kept. %(num)d report resolved.",
                "Comment kept. %(num)d reports resolved.",
                resolved,
            ),
            "success",
        )
    return _back_to_queue(consultation)
