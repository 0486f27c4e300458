"""Email updates: /subscribe, the confirmation link, each subscription's own page (how often),
and one-click unsubscribe."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..domain.mail import subscriptions
from ..domain.shared.errors import Refused
from ..extensions import csrf, limiter
from ..forms import show_problems
from ..i18n import current_language
from ..web import private_page
from . import bp
from .subscribe_forms import FrequencyForm, SubscribeForm

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
                form.email.data,
                form.target_type.data,
                form.target_id,
                frequency=form.frequency.data,
                language=current_language(),
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


@bp.route("/subscribe/settings/<token>", methods=["GET", "POST"])
@limiter.limit(_subscribe_limit, methods=["POST"])
def subscription_settings(token: str):
    """A subscription's own page, linked from every email: how often, and unsubscribe. The
    long random token in the address is the key, as for unsubscribing."""
    found = subscriptions.by_unsubscribe_token(token)
    if found is None:
        return render_template("public/subscribe/unsubscribe_invalid.html"), 404
    subscription = found.subscription
    form = FrequencyForm()
    # Nothing is ticked in advance: the page says in words how often they get emails now.
    if request.method == "POST" and form.validate_on_submit():
        try:
            subscriptions.change_frequency(token, form.frequency.data)
        except Refused as refused:
            show_problems(form, refused)
        else:
            flash(
                _("You will get a weekly summary.")
                if form.frequency.data == "weekly"
                else _("You will get an email each time something changes."),
                "success",
            )
            return redirect(url_for("public.subscription_settings", token=token))
    return private_page(
        "public/subscribe/settings.html",
        form=form,
        target=found.target,
        subscription=subscription,
        stopped=subscription.unsubscribed_at is not None,
        token=token,
    )
