"""Email updates: /subscribe, the confirmation link, and one-click unsubscribe."""

from flask import current_app, redirect, render_template, request, session, url_for

from ..domain.mail import subscriptions
from ..domain.shared.errors import Refused
from ..extensions import csrf, limiter
from ..forms import show_problems
from . import bp
from .subscribe_forms import SubscribeForm

SENT_KEY = "subscribe_sent"


def _subscribe_limit() -> str:
    return current_app.config.get("SUBSCRIBE_RATE_LIMIT", "10 per hour")


@bp.route("/subscribe", methods=["GET", "POST"])
@limiter.limit(_subscribe_limit, methods=["POST"])
def subscribe():
    form = SubscribeForm(subscriptions.subscription_options())
    if request.method == "GET":
        form.prefill(
            request.args.get("area"), request.args.get("action"), request.args.get("consultation")
        )
    elif form.validate_on_submit():
        try:
            subscriptions.request_subscription(
                form.email.data, form.target_type.data, form.target_id
            )
        except Refused as refused:
            show_problems(form, refused)
        else:
            # The same page whether or not the address was already subscribed.
            session[SENT_KEY] = form.email.data.strip().lower()
            return redirect(url_for("public.subscribe_check_email"))
    return render_template("public/subscribe/subscribe.html", form=form)


@bp.get("/subscribe/check-your-email")
def subscribe_check_email():
    return render_template("public/subscribe/check_email.html", email=session.pop(SENT_KEY, None))


@bp.get("/subscribe/confirm/<token>")
def subscribe_confirm(token: str):
    confirmed = subscriptions.confirm(token)
    if confirmed is None:
        return render_template("public/subscribe/confirm_invalid.html"), 404
    return render_template("public/subscribe/confirmed.html", target=confirmed.target)


@bp.route("/subscribe/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET shows one button; POST unsubscribes.

    Exempt from CSRF because mail programs' one-click unsubscribe (RFC 8058) POSTs
    `List-Unsubscribe=One-Click` here without a token. Unsubscribing is harmless and the
    long random token in the address is the secret, so a forged request gains nothing.
    """
    if request.method == "POST":
        found = subscriptions.unsubscribe(token)
        if found is None:
            return render_template("public/subscribe/unsubscribe_invalid.html"), 404
        return render_template("public/subscribe/unsubscribed.html", target=found.target)
    found = subscriptions.by_unsubscribe_token(token)
    if found is None:
        return render_template("public/subscribe/unsubscribe_invalid.html"), 404
    return render_template(
        "public/subscribe/unsubscribe.html",
        target=found.target,
        already=found.subscription.unsubscribed_at is not None,
    )
