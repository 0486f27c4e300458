"""Staff accounts (administrators only): list, invite, change role, deactivate, reactivate."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.session import roles_required
from ..domain.people import accounts, roles, two_step
from ..domain.plan import areas_and_actions as plan
from ..domain.shared.errors import Refused
from ..domain.shared.ids import valid_id
from ..forms import ConfirmForm, show_problems
from ..models import Role
from . import bp
from .user_forms import ChangeRoleForm, InviteUserForm, TwoStepRolesForm, role_hints


def _user_or_404(user_id: int):
    user = accounts.user_by_id(user_id)
    if user is None:
        abort(404)
    return user


def _me():
    return current_user._get_current_object()


def _user_page(user, role_form=None, status=200):
    return render_template(
        "manage/users/user.html",
        user=user,
        state=accounts.account_state(user),
        is_me=user.id == current_user.id,
        role_form=role_form or ChangeRoleForm(data={"role": user.role}, formdata=None),
        action_form=ConfirmForm(formdata=None),
        role_hints=role_hints(),
        invitation_hours=current_app.config["INVITATION_VALID_HOURS"],
        reset_minutes=current_app.config["PASSWORD_RESET_VALID_MINUTES"],
        two_step_required=two_step.is_required_for(user),
    ), status


@bp.get("/users")
@roles_required(*roles.ADMINISTRATORS)
def users():
    staff = accounts.staff_users()
    return render_template(
        "manage/users/index.html",
        users=[(user, accounts.account_state(user)) for user in staff],
        two_step_roles=[Role(r).label for r in sorted(two_step.required_roles())],
    )


@bp.route("/users/two-step", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def users_two_step():
    """Which roles must use two-step sign-in."""
    form = TwoStepRolesForm(data={"roles": sorted(two_step.required_roles())})
    if form.validate_on_submit():
        try:
            two_step.set_required_roles(_me(), form.roles.data or [])
        except ValueError:
            form.roles.errors.append(_("Select roles from the list"))
        else:
            flash(_("Two-step sign-in settings saved."), "success")
            return redirect(url_for("manage.users"))
    return render_template("manage/users/two_step.html", form=form, role_hints=role_hints())


@bp.post("/users/<int:user_id>/password-reset")
@roles_required(*roles.ADMINISTRATORS)
def send_password_reset(user_id: int):
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accounts.send_password_reset(_me(), user)
    except Refused as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "A link to set a new password was sent to %(email)s. It works once and expires "
                "in %(minutes)d minutes.",
                email=user.email,
                minutes=current_app.config["PASSWORD_RESET_VALID_MINUTES"],
            ),
            "success",
        )
    return redirect(url_for("manage.user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-two-step", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def reset_two_step(user_id: int):
    user = _user_or_404(user_id)
    if not user.has_two_step:
        flash(_("%(name)s has not set up two-step sign-in", name=user.name), "error")
        return redirect(url_for("manage.user", user_id=user.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        two_step.reset(_me(), user)
        flash(
            _(
                "Two-step sign-in for %(name)s has been reset and they have been signed out. "
                "They set it up again when they next sign in.",
                name=user.name,
            ),
            "success",
        )
        return redirect(url_for("manage.user", user_id=user.id))
    return render_template("manage/users/reset_two_step.html", user=user, form=form)


@bp.route("/users/invite", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def invite_user():
    form = InviteUserForm(plan.organisations())
    if form.validate_on_submit():
        try:
            user = accounts.invite_user(
                _me(),
                form.email.data,
                form.name.data,
                form.role.data,
                valid_id(form.organisation.data),
            )
        except Refused as refused:
            show_problems(form, refused, default="email")
        else:
            flash(
                _(
                    "An invitation email was sent to %(email)s. The link in it expires in "
                    "%(hours)d hours.",
                    email=user.email,
                    hours=current_app.config["INVITATION_VALID_HOURS"],
                ),
                "success",
            )
            return redirect(url_for("manage.user", user_id=user.id))
    return render_template("manage/users/invite.html", form=form, role_hints=role_hints())


@bp.get("/users/<int:user_id>")
@roles_required(*roles.ADMINISTRATORS)
def user(user_id: int):
    return _user_page(_user_or_404(user_id))


@bp.post("/users/<int:user_id>/role")
@roles_required(*roles.ADMINISTRATORS)
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = ChangeRoleForm()
    if not form.validate_on_submit():
        return _user_page(user, role_form=form)
    try:
        accounts.change_role(_me(), user, form.role.data)
    except Refused as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "%(name)s is now: %(role)s. If they were signed in, they have been signed out.",
                name=user.name,
                role=user.role_enum.label,
            ),
            "success",
        )
    return redirect(url_for("manage.user", user_id=user.id))


@bp.post("/users/<int:user_id>/resend-invitation")
@roles_required(*roles.ADMINISTRATORS)
def resend_invitation(user_id: int):
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accounts.resend_invitation(_me(), user)
    except Refused as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "A new invitation email was sent to %(email)s. The link in it expires in %(hours)d "
                "hours. "
                "Earlier links no longer work.",
                email=user.email,
                hours=current_app.config["INVITATION_VALID_HOURS"],
            ),
            "success",
        )
    return redirect(url_for("manage.user", user_id=user.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@roles_required(*roles.ADMINISTRATORS)
def deactivate_user(user_id: int):
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account"), "error")
        return redirect(url_for("manage.user", user_id=user.id))
    if not user.is_active_account:
        flash(_("%(name)s is already deactivated", name=user.name), "error")
        return redirect(url_for("manage.user", user_id=user.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            accounts.deactivate(_me(), user)
        except Refused as error:
            flash(str(error), "error")
        else:
            flash(
                _(
                    "%(name)s has been deactivated and signed out. They cannot sign in.",
                    name=user.name,
                ),
                "success",
            )
        return redirect(url_for("manage.user", user_id=user.id))
    return render_template("manage/users/deactivate.html", user=user, form=form)


@bp.post("/users/<int:user_id>/reactivate")
@roles_required(*roles.ADMINISTRATORS)
def reactivate_user(user_id: int):
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accounts.reactivate(_me(), user)
    if user.has_password:
        flash(_("%(name)s has been reactivated and can sign in again.", name=user.name), "success")
    else:
        flash(
            _(
                "%(name)s has been reactivated. Send them an invitation so they can set a "
                "password.",
                name=user.name,
            ),
            "success",
        )
    return redirect(url_for("manage.user", user_id=user.id))
