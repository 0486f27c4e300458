"""/track: follow a piece of feedback by its reference."""

from flask import current_app, request
from flask_babel import gettext as _

from ..domain.thread import tracking
from ..extensions import limiter
from ..web import private_page
from . import bp
from .feedback_forms import TrackForm


def _track_limit() -> str:
    return current_app.config.get("TRACK_RATE_LIMIT", "30 per hour")


def _no_reference_given() -> bool:
    """Opening the empty form is free; each look-up counts, so guessing is not practical."""
    return "reference" not in request.args


@bp.get("/track")
@limiter.limit(_track_limit, exempt_when=_no_reference_given)
def track():
    form = TrackForm(formdata=request.args if "reference" in request.args else None)
    journey = None
    if "reference" in request.args and form.validate():
        journey = tracking.journey(form.normalised)
        if journey is None:
            form.reference.errors.append(
                _("We could not find feedback with that reference. Check it and try again.")
            )
    return private_page("public/track.html", form=form, journey=journey)
