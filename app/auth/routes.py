from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.people import accounts
from ..domain.shared.dates import time_of_day
from ..domain.shared.errors import Refused
from ..extensions import limiter
from ..forms import show_problems
from ..i18n import safe_next
from . import bp
from .forms import SetPasswordForm, SignInForm


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("manage.home"))
    form = SignInForm()
    locked_message = None
    if form.validate_on_submit():
        result = accounts.attempt_sign_in(form.email.data, form.password.data)
        if result.ok:
            login_user(result.user)
            return redirect(safe_next(request.args.get("next"), url_for("manage.home")))
        if result.locked_until:
            locked_message = _(
                "This account is locked because of too many failed sign-in attempts. "
                "Try again after %(time)s, or ask an administrator to help.",
                time=time_of_day(result.locked_until.replace(tzinfo=None)),
            )
            form.email.errors.append(locked_message)
        else:
            form.email.errors.append(_("Enter a correct email address and password"))
        form.password.data = ""
        return render_template("auth/sign_in.html", form=form), 200
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out():
    accounts.record_sign_out(current_user._get_current_object())
    logout_user()
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
            logout_user()
            flash(
                _("Your password is set. Sign in with your email address and new password."),
                "success",
            )
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", form=form, user=user)
