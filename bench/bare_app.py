"""A bare Flask page served under the same gunicorn settings as the service: the framework's own
ceiling on this machine, printed beside the pages timed by bench/report.py and bench/search.py,
and (/stream) beside the CSV export timed by bench/survey_results.py."""

from flask import Flask, Response, request

app = Flask(__name__)

PAGE = "<!DOCTYPE html><html lang='en'><head><title>Bare</title></head><body>ok</body></html>"


@app.get("/")
def bare():
    return PAGE


LINE = b"ABCD-EFGH-JKLM,2026-07-01 13:30,Online,English,no," + b"Some answer," * 18 + b"yes\r\n"


@app.get("/stream")
def stream():
    """The framework's ceiling for a streamed download: ?lines=N lines of a CSV-like row, sent
    200 lines at a time, as the service's CSV export sends them."""
    lines = min(int(request.args.get("lines", 100000)), 1_000_000)

    def chunks():
        block = LINE * 200
        for _ in range(lines // 200):
            yield block
        yield LINE * (lines % 200)

    return Response(chunks(), content_type="text/csv")
