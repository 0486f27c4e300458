"""bench/run is never run in CI (it measures; tests do not time anything). These cheap checks keep
it from breaking silently when the code it drives changes: its modules import, the form filler
still fills the real forms so that they are accepted, wrk's report is still read, and the
ceiling app still serves its 20 KB page and inserts a row per POST."""

import time
from urllib.parse import urlencode

import pytest

from app.extensions import db
from app.forms import started_token
from app.models import Contribution
from bench import forms, load
from tests.survey_helpers import Demo

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8000/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.51ms    2.10ms  40.00ms   90.00%
    Req/Sec     1.52k   100.00     1.70k    70.00%
  Latency Distribution
     50%  850.00us
     75%   11.00ms
     90%   12.00ms
     99%    1.20s
  15234 requests in 10.00s, 300.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:   1523.40
Transfer/sec:     30.00MB
Unexpected status: 7
"""


def test_bench_modules_import():
    import bench.harness
    import bench.runner
    import bench.volume

    assert bench.runner.main and bench.volume.build and bench.harness.production_workers() >= 3


def test_wrk_report_is_read():
    read = load.parse(WRK_REPORT)
    assert read.rate == 1523.40
    assert read.p50_ms == pytest.approx(0.85)
    assert read.p99_ms == pytest.approx(1200)
    assert (read.requests, read.unexpected, read.errors) == (15234, 7, 3)


def _post(client, url: str, fields: list[tuple[str, str]], app):
    """Sent url-encoded, as wrk sends it; started a while ago, as the run waits a few seconds
    before sending (a person would) and a test cannot wait."""
    with app.app_context():
        token = started_token(time.time() - 10)
    fields = [(name, token if name == "started" else value) for name, value in fields]
    return client.post(
        url, data=urlencode(fields), content_type="application/x-www-form-urlencoded"
    )


def test_filled_tell_us_form_is_accepted_and_stored(client, app):
    action, fields = forms.fill(client.get("/feedback").get_data(as_text=True))
    assert ("website", "") in fields  # the robot trap is left empty
    response = _post(client, action or "/feedback", fields, app)
    assert response.status_code == 302
    assert response.location.endswith("/feedback/confirmation")
    with app.app_context():
        stored = db.session.scalar(db.select(Contribution).order_by(Contribution.id.desc()))
        assert stored.text == forms.TEXT


def test_filled_survey_page_is_accepted(client, app):
    with app.app_context():
        demo = Demo.create()
        page = f"{demo.base}/page/1"
    action, fields = forms.fill(client.get(page).get_data(as_text=True))
    response = _post(client, action or page, fields, app)
    assert response.status_code == 302
    assert response.location.endswith(f"{demo.base}/page/2")


def test_ceiling_serves_20_kb_and_inserts_a_row_per_post(monkeypatch):
    from bench import bare_app

    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    ceiling = bare_app.create_app()
    with ceiling.app_context():
        bare_app.db.create_all()
    client = ceiling.test_client()
    page = client.get("/")
    assert page.status_code == 200 and 18_000 < len(page.data) < 24_000
    assert client.post("/").status_code == 303
    with ceiling.app_context():
        assert (
            bare_app.db.session.scalar(db.select(db.func.count()).select_from(bare_app.CeilingRow))
            == 1
        )
