"""Your account (every member of staff): change your password, two-step sign-in and recovery
codes."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.forms import ChangePasswordForm
from ..auth.session import roles_required, start_session
from ..domain.people import accounts, roles, two_step
from ..domain.shared.errors import Refused
from ..forms import ConfirmForm, show_problems
from . import bp


@bp.get("/account")
@roles_required(*roles.STAFF)
def account():
    me = current_user._get_current_object()
    return render_template(
        "manage/account/index.html",
        me=me,
        required=two_step.is_required_for(me),
        recovery_left=two_step.unused_recovery_codes(me),
        action_form=ConfirmForm(formdata=None),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*roles.STAFF)
def account_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        me = current_user._get_current_object()
        try:
            accounts.change_password(me, form.current.data, form.password.data)
        except Refused as refused:
            show_problems(form, refused, default="password")
        else:
            start_session(me)  # this session carries on; every other one has ended
            flash(
                _("Your password has been changed. You have been signed out everywhere else."),
                "success",
            )
            return redirect(url_for("manage.account"))
    return render_template("manage/account/password.html", form=form)
