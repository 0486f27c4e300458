"""The framework's ceiling on this machine, served under the same gunicorn settings as the
service and measured in the same run: GET / renders a GOV.UK-like page of about 20 KB with plain
Jinja (no queries), and POST / inserts one row with Flask-SQLAlchemy into a table of the same
database (DATABASE_URL; SQLite in WAL mode as the service sets it), commits and redirects (303).
GET /stream sends ?lines=N lines of a CSV-like row, 200 at a time, as the service's CSV export
does. No CSRF, no sessions, no extensions; the database pool is set as the service sets it
(config.Config.SQLALCHEMY_ENGINE_OPTIONS). `prepare(database_url)` makes its table before
serving."""

import os
import sys

from flask import Flask, Response, redirect, render_template, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from app.database import _configure_sqlite  # noqa: E402
from config import Config, _database_url  # noqa: E402

DEFAULT_DATABASE = "sqlite://"
LINE = b"ABCD-EFGH-JKLM,2026-07-01 13:30,Online,English,no," + b"Some answer," * 18 + b"yes\r\n"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class CeilingRow(db.Model):
    __tablename__ = "bench_ceiling_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))


STATUSES = [("On track", "green"), ("At risk", "yellow"), ("Off track", "red"), ("Done", "blue")]
CONTEXT = {
    "title": "Communication with families",
    "number": 6,
    "summary": "Families told us they did not know what was happening with their child's EHC "
    "needs assessment, or who to ask. This is what the council and NHS are doing about it.",
    "navigation": [
        ("Home", "/"),
        ("Areas for improvement", "/areas"),
        ("You said, we did", "/you-said-we-did"),
        ("Surveys", "/surveys"),
        ("Consultations", "/consultations"),
        ("Events", "/events"),
        ("Tell us", "/feedback"),
    ],
    "facts": [
        ("Lead", "Director of Education and SEN"),
        ("Partners", "NHS Kent and Medway, PACT"),
        ("Started", "March 2025"),
        ("Next review", "January 2027"),
    ],
    "actions": [
        {
            "reference": f"APP-6.{n}",
            "title": "Every family has a named caseworker and hears from them at least every four "
            "weeks while their child's assessment is under way",
            "status": STATUSES[n % 4][0],
            "colour": STATUSES[n % 4][1],
            "progress": (n * 7) % 100,
        }
        for n in range(1, 22)
    ],
    "quotes": [
        {
            "text": "We waited eleven months for the EHC needs assessment and nobody told us what "
            "was happening. One person to speak to who knows our case would change everything.",
            "when": f"{n} March 2026",
            "channel": "online feedback",
        }
        for n in range(1, 12)
    ],
    "footer": [
        ("Track your feedback", "/track"),
        ("Accessibility statement", "/accessibility"),
        ("Privacy notice", "/privacy"),
        ("Cookies", "/cookies"),
        ("Open data", "/open-data"),
        ("Get email updates", "/subscribe"),
    ],
}


def create_app() -> Flask:
    app = Flask(__name__, template_folder="templates")
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = Config.SQLALCHEMY_ENGINE_OPTIONS
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)

    @app.get("/")
    def page():
        return render_template("ceiling.html", **CONTEXT)

    @app.post("/")
    def add():
        db.session.add(CeilingRow(text="One row per POST"))
        db.session.commit()
        return redirect("/", 303)

    @app.get("/stream")
    def stream():
        lines = min(int(request.args.get("lines", 100000)), 1_000_000)

        def chunks():
            block = LINE * 200
            for _ in range(lines // 200):
                yield block
            yield LINE * (lines % 200)

        return Response(chunks(), content_type="text/csv")

    return app


def prepare(database_url: str) -> None:
    """Make the ceiling's table in the database (once, before the workers start)."""
    os.environ["DATABASE_URL"] = database_url
    with create_app().app_context():
        db.create_all()


app = create_app()
