"""A bare Flask app that stores one row per POST, served under the same gunicorn settings as the
service: the framework's own ceiling for a public form that writes to the database, printed
beside the service's POSTs by bench/posts.py.

Each POST reads two form fields and inserts them in one transaction (SQLAlchemy Core, pooled
connections with pre-ping, as the service), then redirects, as a form that worked does.
"""

import os

from flask import Flask, redirect, request
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, insert

from config import _database_url

engine = create_engine(_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
metadata = MetaData()
rows = Table(
    "ceiling_insert_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("topic", String(60)),
    Column("text", Text),
)
metadata.create_all(engine, checkfirst=True)

app = Flask(__name__)


@app.post("/")
def store_one():
    with engine.begin() as connection:
        connection.execute(
            insert(rows), {"topic": request.form.get("topic", ""), "text": request.form.get("text")}
        )
    return redirect("/done")
