"""Entry point for gunicorn: `gunicorn wsgi:app`.

Runs the production configuration unless FLASK_CONFIG says otherwise (`make run` sets
FLASK_CONFIG=development), so a server started as documented is never in debug mode.
"""

import os

from app import create_app

app = create_app(os.environ.get("FLASK_CONFIG", "production"))
