from flask import Blueprint

bp = Blueprint("public", __name__)

from . import consultations, events, feedback, open_data, responses, routes, subscribe, track  # noqa: E402,F401
