"""A bare Flask page served under the same gunicorn settings as the service: the framework's own
ceiling on this machine, printed beside the pages timed by bench/report.py and bench/search.py."""

from flask import Flask

app = Flask(__name__)

PAGE = "<!DOCTYPE html><html lang='en'><head><title>Bare</title></head><body>ok</body></html>"


@app.get("/")
def bare():
    return PAGE
