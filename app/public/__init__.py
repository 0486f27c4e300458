from flask import Blueprint

bp = Blueprint("public", __name__)

from . import (  # noqa: E402,F401  (one per line, so features merge cleanly)
    consultations,
    events,
    feedback,
    open_data,
    reports,
    responses,
    routes,
    search,
    subscribe,
    survey_results,
    surveys,
    track,
)
