"""The framework's ceiling for the benchmarks: a Flask app whose one page returns a few bytes,
served by the same gunicorn settings (bench/search.py starts it beside the real app)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok"
