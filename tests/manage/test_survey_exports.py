"""Survey spreadsheets (XLSX) built in the background: asking for one queues a job and says it
is being prepared; a worker builds it once; staff who may export the survey download it; a
failure says so and can be tried again; the retention job deletes old files."""

import io
import random
import re
import zipfile
from datetime import datetime, timedelta

import pytest

from app.demo.surveys import create_ehc_survey, create_short_breaks_survey
from app.domain.people.retention import run_retention
from app.domain.surveys import export, export_jobs
from app.extensions import db
from app.models import AuditEntry, ExportJob
from app.models.base import utcnow

from ..conftest import sign_in_as
from ..helpers import heading, main_text, page
from ..survey_results_data import bulk_responses, loaded, option, question, respond
from .test_survey_results import audit_entries, some_answers, xlsx_rows

pytestmark = pytest.mark.usefixtures("app_ctx")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def ehc():
    return loaded(create_ehc_survey())


@pytest.fixture
def in_the_background(app, monkeypatch):
    """As in production: nothing is built until a worker runs."""
    monkeypatch.setitem(app.config, "EXPORTS_BUILD_AFTER_REQUEST", False)


def ask_for_spreadsheet(client, survey, query: str = ""):
    """Open the spreadsheet page (with the results filters), press the button; the response
    after following the redirect."""
    url = f"/manage/surveys/{survey.id}/exports" + (f"?{query}" if query else "")
    assert client.get(url).status_code == 200
    response = client.post(url, data={"submit": "Prepare the spreadsheet"})
    assert response.status_code == 303
    assert re.search(rf"/manage/surveys/{survey.id}/exports/\d+$", response.headers["Location"])
    return client.get(response.headers["Location"])


def the_job() -> ExportJob:
    db.session.expire_all()
    return db.session.scalars(db.select(ExportJob).order_by(ExportJob.id.desc())).first()


def run_worker(app) -> str:
    result = app.test_cli_runner().invoke(args=["exports", "work", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def download_link(response) -> str:
    link = page(response).find("a", string=re.compile("Download the spreadsheet"))
    assert link is not None, main_text(response)
    return link["href"]


def test_asking_queues_a_job_and_the_worker_builds_it(app, client, signed_in, ehc):
    some_answers(ehc)
    chased = question(ehc, "How many times")
    respond(ehc, {chased: -3}, submitted_at=datetime(2026, 8, 1, 8, 0))
    coordinator = signed_in("coordinator")
    app.config["EXPORTS_BUILD_AFTER_REQUEST"] = False
    try:
        waiting = ask_for_spreadsheet(client, ehc)
    finally:
        app.config["EXPORTS_BUILD_AFTER_REQUEST"] = True
    assert heading(waiting) == "We are preparing your spreadsheet"
    soup = page(waiting)
    refresh = soup.find("a", string="Refresh this page")
    assert refresh["href"] == f"/manage/surveys/{ehc.id}/exports/{the_job().id}"
    assert soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}) is None
    assert "Waiting to start" in main_text(waiting)
    job = the_job()
    assert (job.state, job.requested_by_id, job.filters, job.content) == (
        "queued",
        coordinator.id,
        {},
        None,
    )
    assert audit_entries("survey.exported")[-1].detail == {
        "format": "xlsx",
        "count": 3,
        "filters": {},
        "job": job.id,
    }

    assert run_worker(app) == "Worked on 1 spreadsheet(s).\n"
    assert run_worker(app) == ""  # nothing left: a second worker builds nothing

    ready = client.get(refresh["href"])
    assert heading(ready) == "Your spreadsheet is ready"
    assert "It holds 3 responses." in main_text(ready)
    job = the_job()
    assert job.state == "ready" and job.response_count == 3 and job.attempts == 1
    deleted_on = job.finished_at + timedelta(days=app.config["EXPORT_RETENTION_DAYS"])
    assert str(deleted_on.year) in main_text(ready)

    response = client.get(download_link(ready))
    assert response.status_code == 200
    assert response.content_type == XLSX
    assert (
        'filename="survey-ehc-plan-experience-responses.xlsx"'
        in response.headers["Content-Disposition"]
    )
    data = response.get_data()
    assert int(response.headers["Content-Length"]) == len(data) == job.size
    rows = xlsx_rows(data)
    header = rows[0]
    assert header[0] == "Reference" and header[5] == "1. Who asked for the EHC needs assessment?"
    assert len(rows) == 4
    online = dict(zip(header, rows[2], strict=False))
    assert online["5. How did the SEND team contact you?"] == "Email; Phone; Other: Texts"
    # Plain text, never a formula.
    assert (
        online["12. If we could change one thing first, what should it be?"]
        == '=HYPERLINK("http://example.com")'
    )
    assert online["District"] == "Ashford"
    assert (
        dict(zip(header, rows[3], strict=False))[
            "6. How many times did you have to chase for an update?"
        ]
        == -3
    )
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert audit_entries("survey.export_downloaded")[-1].detail == {
        "job": job.id,
        "format": "xlsx",
        "count": 3,
    }


def test_in_development_the_spreadsheet_is_built_after_the_request(client, signed_in, ehc):
    """EXPORTS_BUILD_AFTER_REQUEST (development and testing): `make run` needs no worker."""
    some_answers(ehc)
    signed_in("admin")
    ready = ask_for_spreadsheet(client, ehc)
    assert heading(ready) == "Your spreadsheet is ready"
    assert len(xlsx_rows(client.get(download_link(ready)).get_data())) == 3


def test_the_spreadsheet_uses_the_results_filters(client, signed_in, ehc):
    some_answers(ehc)
    signed_in("coordinator")
    results = page(client.get(f"/manage/surveys/{ehc.id}/results?district=Dover"))
    link = results.find("a", string=re.compile(r"Download responses \(Excel, XLSX\)"))
    assert link["href"] == f"/manage/surveys/{ehc.id}/exports?district=Dover"
    ready = ask_for_spreadsheet(client, ehc, "district=Dover")
    assert "District: Dover" in main_text(ready)
    rows = xlsx_rows(client.get(download_link(ready)).get_data())
    assert len(rows) == 2 and dict(zip(rows[0], rows[1], strict=False))["District"] == "Dover"
    assert the_job().filters == {"district": "Dover"}


def test_thousands_of_responses(client, signed_in, ehc):
    bulk_responses(ehc, 2000, random.Random(3))
    signed_in("coordinator")
    ready = ask_for_spreadsheet(client, ehc)
    response = client.get(download_link(ready))
    assert response.is_streamed
    rows = xlsx_rows(response.get_data())
    assert len(rows) == 2001 and len({row[0] for row in rows[1:]}) == 2000


def test_only_staff_who_may_export_the_survey_see_or_download_it(app, client, signed_in, ehc):
    some_answers(ehc)
    signed_in("coordinator")
    ready = ask_for_spreadsheet(client, ehc)
    job_url = f"/manage/surveys/{ehc.id}/exports/{the_job().id}"
    download = download_link(ready)
    officer = app.test_client()
    sign_in_as(officer, "officer")
    for url in (f"/manage/surveys/{ehc.id}/exports", job_url, download):
        assert officer.get(url).status_code == 403, url
    assert officer.post(f"/manage/surveys/{ehc.id}/exports").status_code == 403
    assert officer.post(f"{job_url}/retry").status_code == 403
    assert audit_entries("survey.export_downloaded") == []
    admin = app.test_client()  # another member of staff who may export it
    sign_in_as(admin, "admin")
    assert admin.get(download).status_code == 200


def test_a_job_is_found_only_under_its_own_survey(client, signed_in, ehc):
    some_answers(ehc)
    other = loaded(create_short_breaks_survey())
    signed_in("coordinator")
    ask_for_spreadsheet(client, ehc)
    job = the_job()
    assert client.get(f"/manage/surveys/{other.id}/exports/{job.id}").status_code == 404
    assert (
        client.get(f"/manage/surveys/{other.id}/exports/{job.id}/responses.xlsx").status_code == 404
    )
    assert client.get(f"/manage/surveys/{ehc.id}/exports/99999999").status_code == 404


def test_a_spreadsheet_not_ready_cannot_be_downloaded(client, signed_in, ehc, in_the_background):
    signed_in("coordinator")
    ask_for_spreadsheet(client, ehc)
    job = the_job()
    response = client.get(f"/manage/surveys/{ehc.id}/exports/{job.id}/responses.xlsx")
    assert response.status_code == 302
    assert "This spreadsheet is not ready." in main_text(client.get(response.headers["Location"]))
    assert audit_entries("survey.export_downloaded") == []


def test_a_failure_says_so_and_can_be_tried_again(
    app, client, signed_in, ehc, monkeypatch, in_the_background
):
    some_answers(ehc)
    signed_in("coordinator")
    ask_for_spreadsheet(client, ehc)
    job_url = f"/manage/surveys/{ehc.id}/exports/{the_job().id}"

    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(export, "write_xlsx", broken)
    run_worker(app)
    job = the_job()
    assert job.state == "failed" and job.error == "No space left on device"
    failed = client.get(job_url)
    assert heading(failed) == "The spreadsheet could not be prepared"
    assert f"giving the number {job.id}" in main_text(failed)
    assert "No space left" not in main_text(failed)  # what went wrong is for the logs

    monkeypatch.undo()
    monkeypatch.setitem(app.config, "EXPORTS_BUILD_AFTER_REQUEST", False)
    retried = client.post(f"{job_url}/retry", data={"submit": "Try again"})
    assert retried.status_code == 303
    assert heading(client.get(job_url)) == "We are preparing your spreadsheet"
    assert the_job().state == "queued"
    assert audit_entries("survey.export_retried")[-1].detail == {"job": job.id}
    run_worker(app)
    ready = client.get(job_url)
    assert heading(ready) == "Your spreadsheet is ready"
    assert len(xlsx_rows(client.get(download_link(ready)).get_data())) == 3
    # Only a failed job can be tried again.
    client.post(f"{job_url}/retry", data={"submit": "Try again"})
    assert the_job().state == "ready"


def queued_job(survey, user_id=None) -> ExportJob:
    job = ExportJob(survey_id=survey.id, format="xlsx", filters={}, requested_by_id=user_id)
    db.session.add(job)
    db.session.commit()
    return job


def test_two_workers_never_build_the_same_job(ehc):
    first, second = queued_job(ehc), queued_job(ehc)
    claims = [export_jobs._claim_next(), export_jobs._claim_next(), export_jobs._claim_next()]
    assert [claim.id if claim else None for claim in claims] == [first.id, second.id, None]


def test_a_worker_whose_claim_was_taken_over_does_not_record_its_result(ehc):
    job = queued_job(ehc)
    worker_a = export_jobs._claim_next()
    assert export_jobs._claim_next() is None  # still within its claim
    db.session.execute(
        db.update(ExportJob)
        .where(ExportJob.id == job.id)
        .values(started_at=utcnow() - export_jobs.CLAIM_TIMEOUT - timedelta(minutes=1))
    )
    db.session.commit()
    worker_b = export_jobs._claim_next()  # worker A died, as far as anyone can tell
    assert worker_b.id == job.id and worker_b.attempts == 2
    assert not export_jobs._finish(worker_a, state="failed", error="A gave up")
    assert export_jobs._finish(worker_b, state="ready", content=b"x", size=1)
    assert the_job().state == "ready"


def test_the_retention_job_deletes_old_spreadsheets(app, ehc):
    days = app.config["EXPORT_RETENTION_DAYS"]
    now = utcnow()
    old_ready, old_failed, recent, waiting = (queued_job(ehc) for _n in range(4))
    for job, state, finished in (
        (old_ready, "ready", now - timedelta(days=days, minutes=1)),
        (old_failed, "failed", now - timedelta(days=days + 3)),
        (recent, "ready", now - timedelta(days=days - 1)),
    ):
        job.state, job.finished_at, job.content = state, finished, b"answers"
    waiting.created_at = now - timedelta(days=days * 2)
    db.session.commit()
    ids = {job.id for job in (old_ready, old_failed, recent, waiting)}

    assert run_retention().exports == 2
    db.session.expire_all()
    left = set(db.session.scalars(db.select(ExportJob.id).where(ExportJob.id.in_(ids))))
    assert left == {recent.id, waiting.id}
    entry = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.action == "retention.run")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.detail["exports"] == 2


def test_the_spreadsheet_is_written_in_the_language_of_whoever_asked(app, ehc):
    who = question(ehc, "Who asked")
    respond(ehc, {who: option(who, "I did (parent or carer)")})
    job = queued_job(ehc)
    job.language = "pl"
    db.session.commit()
    export_jobs.build_due()
    rows = xlsx_rows(the_job().content)
    assert rows[0][0] != "Reference" and rows[0][0]  # Polish heading
