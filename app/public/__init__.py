from flask import Blueprint

bp = Blueprint("public", __name__)

from . import events, feedback, open_data, responses, routes, subscribe, survey_results, track  # noqa: E402,F401
