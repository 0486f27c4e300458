"""Flask-Login wiring, staff sessions (fresh at sign-in, idle and absolute limits, ended for good
at sign-out) and the role checks every staff route uses."""

import json
import time
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user

from ..models import Role

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
PENDING = "pending_sign_in"
KEPT_FORM = "kept_form"
# Requests that read the session's state without counting as activity.
PASSIVE_ENDPOINTS = {"static"}
# Form work kept across a timed-out session must fit in the session cookie.
KEPT_FORM_MAX_BYTES = 2500
# Fields never kept: the form token, passwords (and the address beside them for password
# managers), their confirmation, one-time codes.
NEVER_KEPT = {"csrf_token", "current", "confirm", "code", "username"}


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        from ..domain.people.accounts import user_for_session

        return user_for_session(user_id)

    app.before_request(enforce_session_limits)
    app.context_processor(session_timeout_context)


def _limits() -> tuple[int, int]:
    config = current_app.config
    return config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_ABSOLUTE_HOURS"] * 3600


def start_session(user) -> None:
    """Sign in with a new session: nothing from before survives, not even the CSRF token."""
    kept = session.get(KEPT_FORM)
    session.clear()
    g.pop("csrf_token", None)
    login_user(user)
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    if kept and kept.get("user_id") == user.id:
        session[KEPT_FORM] = kept


def end_session() -> None:
    logout_user()
    session.clear()
    g.pop("csrf_token", None)


def begin_pending_sign_in(user, next_url: str) -> None:
    """The password was right; the code from the authenticator app comes next."""
    kept = session.get(KEPT_FORM)
    session.clear()
    g.pop("csrf_token", None)
    session[PENDING] = {
        "user_id": user.id,
        "version": user.session_version,
        "at": int(time.time()),
        "next": next_url,
    }
    if kept:
        session[KEPT_FORM] = kept


def pending_sign_in() -> dict | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    minutes = current_app.config["TWO_STEP_PENDING_MINUTES"]
    if time.time() - pending.get("at", 0) > minutes * 60:
        session.pop(PENDING, None)
        return None
    return pending


def _same_site_path(url: str | None) -> str | None:
    from ..i18n import safe_next

    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path, "") or None


def _keep_form(user_id: int) -> None:
    """A form sent after the session ended: keep what was typed (not passwords or the CSRF
    token) so the person can send it again after signing in."""
    fields = [
        [name, value]
        for name, value in request.form.items(multi=True)
        if name not in NEVER_KEPT and "password" not in name
    ]
    if not any(value.strip() for name, value in fields if name != "submit") or request.files:
        return
    kept = {"user_id": user_id, "action": request.path, "fields": fields}
    if len(json.dumps(kept)) <= KEPT_FORM_MAX_BYTES:
        session[KEPT_FORM] = kept


def enforce_session_limits():
    """Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS
    after signing in. The next request goes to sign-in, coming back where the person was."""
    if "_user_id" not in session:
        return None
    idle, absolute = _limits()
    now = time.time()
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    reason = None
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        reason = "no times"
    elif now - signed_in_at > absolute:
        reason = "absolute"
    elif now - seen_at > idle:
        reason = "idle"
    if reason is None:
        if request.endpoint not in PASSIVE_ENDPOINTS and now - seen_at >= 15:
            session[SEEN_AT] = int(now)
        return None

    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is not None:
        from ..domain.people.accounts import record_session_timeout

        record_session_timeout(user, reason)
    end_session()
    if request.method == "POST" and user is not None:
        _keep_form(user.id)
        back = _same_site_path(request.referrer) or url_for("manage.home")
    else:
        back = request.full_path.rstrip("?")
    staff_area = request.path.startswith(("/manage", "/auth"))
    if request.endpoint in PASSIVE_ENDPOINTS:
        return None
    if not staff_area and request.method == "GET":
        return None  # a public page: carry on, signed out
    if reason == "absolute":
        flash(
            _("You were signed out because you signed in a long time ago. Sign in again."), "info"
        )
    else:
        flash(_("You were signed out because you had not done anything for a while."), "info")
    if request.endpoint == "auth.keep_alive":
        back = _same_site_path(request.form.get("next")) or url_for("manage.home")
    elif request.endpoint == "auth.sign_in":
        back = _same_site_path(request.args.get("next")) or url_for("manage.home")
    return redirect(url_for("auth.sign_in", next=back))


def session_timeout_context() -> dict:
    """What the timeout warning needs: seconds until the session ends, and why it would."""
    if not current_user.is_authenticated or not session.get(SIGNED_IN_AT):
        return {"session_timeout": None}
    idle, absolute = _limits()
    now = time.time()
    idle_left = max(0, int(idle - (now - session.get(SEEN_AT, now))))
    absolute_left = max(0, int(absolute - (now - session[SIGNED_IN_AT])))
    return {
        "session_timeout": {
            "seconds": min(idle_left, absolute_left),
            "warning_seconds": current_app.config["SESSION_WARNING_SECONDS"],
            "can_extend": idle_left < absolute_left,
        }
    }


def roles_required(*roles: Role):
    """Anonymous people are sent to sign in; signed-in staff without the role get 403; staff
    whose role needs two-step sign-in set it up first."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if roles and not current_user.has_role(*roles):
                abort(403)
            if _two_step_missing():
                flash(
                    _("Set up two-step sign-in before you use the staff pages."),
                    "info",
                )
                return redirect(url_for("auth.two_step_set_up", next=request.full_path.rstrip("?")))
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(Role(r) for r in roles) if roles else tuple(Role)
        return wrapped

    return decorator


def _two_step_missing() -> bool:
    from ..domain.people import two_step

    if current_user.has_two_step:
        return False
    if "two_step_missing" not in g:
        g.two_step_missing = two_step.is_required_for(current_user)
    return g.two_step_missing
