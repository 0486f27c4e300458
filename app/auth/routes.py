from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.people import accounts, two_step
from ..domain.shared.errors import Refused
from ..extensions import limiter
from ..forms import ConfirmForm, show_problems
from ..i18n import safe_next
from ..web import private_page
from . import bp, throttle
from .forms import SetPasswordForm, SignInForm, TwoStepCodeForm, TwoStepSetUpForm
from .session import (
    KEPT_FORM,
    begin_pending_sign_in,
    end_session,
    pending_sign_in,
    start_session,
)

SET_UP_SECRET = "two_step_secret"


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _after_sign_in(next_url: str) -> str:
    if session.get(KEPT_FORM):
        return url_for("auth.resume")
    return next_url


def _too_many(until) -> str:
    return _(
        "Too many failed attempts. Wait until %(time)s, then try again, or ask an "
        "administrator to send you a link to set a new password.",
        time=format_datetime(until, "HH:mm"),
    )


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("manage.home"))
    form = SignInForm()
    next_url = safe_next(request.args.get("next"), url_for("manage.home"))
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data)
        until = throttle.blocked_until("password", email)
        if until:
            form.email.errors.append(_too_many(until))
            form.password.data = ""
            return render_template("auth/sign_in.html", form=form), 429
        result = accounts.attempt_sign_in(email, form.password.data)
        if result.ok:
            throttle.succeeded("password", email)
            if result.user.has_two_step:
                begin_pending_sign_in(result.user, next_url)
                return redirect(url_for("auth.two_step"))
            start_session(result.user)
            return redirect(_after_sign_in(next_url))
        throttle.failed("password", email)
        form.email.errors.append(_("Enter a correct email address and password"))
        form.password.data = ""
        return render_template("auth/sign_in.html", form=form), 200
    return render_template("auth/sign_in.html", form=form)


@bp.route("/two-step", methods=["GET", "POST"], endpoint="two_step")
@limiter.limit(_sign_in_limit, methods=["POST"])
def two_step_sign_in():
    pending = pending_sign_in()
    user = accounts.user_by_id(pending["user_id"]) if pending else None
    if (
        user is None
        or not user.is_active_account
        or user.session_version != pending["version"]
        or not user.has_two_step
    ):
        flash(_("Sign in again: it has been more than a few minutes."), "info")
        return redirect(url_for("auth.sign_in"))
    form = TwoStepCodeForm()
    status = 200
    if form.validate_on_submit():
        who = str(user.id)
        until = throttle.blocked_until("code", who)
        if until:
            form.code.errors.append(_too_many(until))
            status = 429
        else:
            method = two_step.check_code(user, form.code.data)
            if method:
                throttle.succeeded("code", who)
                start_session(user)
                accounts.complete_two_step_sign_in(user, method)
                if method == "recovery code":
                    left = two_step.unused_recovery_codes(user)
                    flash(
                        ngettext(
                            "You used a recovery code. You have %(num)d left: make new ones "
                            "from Your account if you are running out.",
                            "You used a recovery code. You have %(num)d left: make new ones "
                            "from Your account if you are running out.",
                            left,
                        ),
                        "info",
                    )
                return redirect(_after_sign_in(pending["next"]))
            throttle.failed("code", who)
            form.code.errors.append(_("Enter the code your authenticator app shows now"))
        form.code.data = ""
    return render_template("auth/two_step.html", form=form), status


@bp.route("/two-step/set-up", methods=["GET", "POST"])
@login_required
def two_step_set_up():
    user = current_user._get_current_object()
    next_url = safe_next(request.args.get("next"), url_for("manage.account"))
    if user.has_two_step:
        flash(_("Two-step sign-in is already on for your account."), "info")
        return redirect(url_for("manage.account"))
    secret = session.get(SET_UP_SECRET) or two_step.new_secret()
    session[SET_UP_SECRET] = secret
    form = TwoStepSetUpForm()
    if form.validate_on_submit():
        try:
            codes = two_step.enable(user, secret, form.code.data)
        except Refused as refused:
            show_problems(form, refused, default="code")
        else:
            session.pop(SET_UP_SECRET, None)
            return private_page(
                "auth/recovery_codes.html", codes=codes, next_url=next_url, first_time=True
            )
        form.code.data = ""
    uri = two_step.provisioning_uri(user, secret)
    return private_page(
        "auth/two_step_set_up.html",
        form=form,
        qr_svg=_qr_svg(uri),
        secret=two_step.grouped(secret),
    )


def _qr_svg(uri: str) -> str:
    import segno
    from markupsafe import Markup

    title = _("QR code to scan with your authenticator app")
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", title=title, svgclass="app-qr-code"
    )
    return Markup(svg)


@bp.post("/two-step/recovery-codes")
@login_required
def new_recovery_codes():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("manage.account"))
    try:
        codes = two_step.new_recovery_codes(current_user._get_current_object())
    except Refused as refused:
        flash(str(refused), "error")
        return redirect(url_for("manage.account"))
    return private_page(
        "auth/recovery_codes.html",
        codes=codes,
        next_url=url_for("manage.account"),
        first_time=False,
    )


@bp.post("/keep-alive")
@login_required
def keep_alive():
    """ "Stay signed in" on the timeout warning: the request itself resets the idle clock."""
    if request.accept_mimetypes.best == "application/json":
        return {"status": "ok"}
    return redirect(safe_next(request.form.get("next"), url_for("manage.home")))


@bp.get("/continue")
@login_required
def resume():
    """After a session timed out on a form: send what was typed again, or leave it."""
    kept = session.pop(KEPT_FORM, None)
    if not kept or kept.get("user_id") != current_user.id:
        return redirect(url_for("manage.home"))
    return private_page("auth/resume.html", kept=kept)


@bp.post("/sign-out")
@login_required
def sign_out():
    accounts.record_sign_out(current_user._get_current_object())
    end_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def set_password(token: str):
    user = accounts.user_for_invitation(token)
    if user is None:
        return render_template("auth/invitation_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.accept_invitation(user, form.password.data)
        except Refused as refused:
            show_problems(form, refused, default="password")
        else:
            end_session()
            flash(
                _("Your password is set. Sign in with your email address and new password."),
                "success",
            )
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", form=form, user=user)
