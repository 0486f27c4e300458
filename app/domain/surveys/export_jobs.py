"""Spreadsheet (XLSX) exports built in the background, so no request waits while 100,000
responses are written.

Asking for one queues a job (audited like any export) and the page says it is being prepared.
A worker (`flask exports work`) claims the oldest queued job with one conditional UPDATE …
RETURNING, as the email outbox does: atomic on SQLite (one writer at a time) and on PostgreSQL
(`FOR UPDATE SKIP LOCKED`, and the state re-checked on the row), so two workers never build the
same job. The worker writes the workbook in constant memory into a temporary file and stores it
in the job, so whichever web server gets the download can send it; it records its result only
if its claim still stands (`attempts` is the claim's version). A job whose worker died is
claimed again after CLAIM_TIMEOUT. A failed job says so and can be tried again.

Only staff who may export the survey (the same role rule as the CSV) see and download its jobs,
and each download is audited. The retention job (people/retention.py) deletes finished jobs,
file and all, after EXPORT_RETENTION_DAYS: they hold what people told us.
"""

import logging
import os
import tempfile
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ...extensions import db
from ...models import ExportJob, ExportState, Survey, User
from ...models.base import utcnow
from ..people import audit
from ..shared import records
from ..shared.errors import Refused
from . import export
from .results import ResultFilters
from .structure import load_survey

log = logging.getLogger(__name__)

# Whether the current request queued an export, so the web layer can build it straight after
# the response when EXPORTS_BUILD_AFTER_REQUEST is on (app/web.py resets it per request).
export_queued: ContextVar[bool] = ContextVar("export_queued", default=False)

# A job "working" this long belongs to a worker that died; another worker takes it again.
CLAIM_TIMEOUT = timedelta(minutes=30)
DOWNLOAD_CHUNK_SIZE = 1024 * 1024
FORMAT = "xlsx"


def request_export(actor: User, survey: Survey, filters: ResultFilters) -> ExportJob:
    """Queue a spreadsheet of the survey's responses (those the filters match), in the language
    the staff member is using; audited as an export."""
    job = ExportJob(
        survey_id=survey.id,
        format=FORMAT,
        filters=filters.active(),
        language=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        requested_by_id=actor.id,
    )
    db.session.add(job)
    db.session.flush()
    export.audit_export(actor, survey, export.ExportPlan.of(survey, filters), FORMAT, job=job.id)
    db.session.commit()
    export_queued.set(True)
    return job


def retry(actor: User, job: ExportJob) -> None:
    """Queue a failed job again."""
    if job.state != ExportState.FAILED.value:
        raise Refused(_("Only a spreadsheet that could not be prepared can be tried again."))
    changed = db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job.id, ExportJob.state == ExportState.FAILED.value)
        .values(state=ExportState.QUEUED.value, error="", started_at=None, finished_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        audit.record(
            "survey.export_retried",
            job.survey,
            actor=actor,
            summary=f"{job.survey.title}: spreadsheet export {job.id} tried again",
            detail={"job": job.id},
        )
    db.session.commit()
    db.session.refresh(job)
    export_queued.set(True)


def survey_job(survey: Survey, job_id: int) -> ExportJob | None:
    """The survey's job with that id (a job of another survey is not found)."""
    return db.session.scalar(
        select(ExportJob).where(ExportJob.id == job_id, ExportJob.survey_id == survey.id)
    )


def filters_of(job: ExportJob) -> ResultFilters:
    return ResultFilters(**(job.filters or {}))


def deleted_after(job: ExportJob) -> datetime | None:
    """When the retention job deletes a finished spreadsheet."""
    if job.finished_at is None:
        return None
    return job.finished_at + timedelta(days=current_app.config["EXPORT_RETENTION_DAYS"])


def recent_jobs(survey: Survey, limit: int = 10) -> list[ExportJob]:
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.survey_id == survey.id)
            .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class Download:
    filename: str
    size: int
    chunks: object  # an iterator of bytes


def download(actor: User, survey: Survey, job: ExportJob) -> Download:
    """The ready file, read from the database a chunk at a time (a whole file never sits in
    the web server's memory); audited before the first byte is sent."""
    if job.state != ExportState.READY.value:
        raise Refused(_("This spreadsheet is not ready."))
    audit.record(
        "survey.export_downloaded",
        survey,
        actor=actor,
        summary=f"{survey.title}: spreadsheet export {job.id} downloaded",
        detail={"job": job.id, "format": job.format, "count": job.response_count},
    )
    db.session.commit()
    return Download(
        filename=f"survey-{survey.slug}-responses.{job.format}",
        size=job.size or 0,
        chunks=_file_chunks(job.id, job.size or 0),
    )


def _file_chunks(job_id: int, size: int):
    for start in range(1, size + 1, DOWNLOAD_CHUNK_SIZE):
        chunk = db.session.scalar(
            select(func.substr(ExportJob.content, start, DOWNLOAD_CHUNK_SIZE)).where(
                ExportJob.id == job_id
            )
        )
        if not chunk:  # deleted while being sent
            return
        yield bytes(chunk)


# --- The worker ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    survey_id: int
    filters: dict
    language: str
    attempts: int


def _is_due(now: datetime):
    """Queued, or claimed by a worker that has not finished within CLAIM_TIMEOUT."""
    return (ExportJob.state == ExportState.QUEUED.value) | (
        (ExportJob.state == ExportState.WORKING.value)
        & (ExportJob.started_at < now - CLAIM_TIMEOUT)
    )


def _claim_next() -> ClaimedJob | None:
    """Claim the oldest due job in one statement and commit; None when nothing is due."""
    now = utcnow()
    row = records.claim_next(
        ExportJob,
        _is_due(now),
        order_by=(ExportJob.created_at, ExportJob.id),
        values={
            "state": ExportState.WORKING.value,
            "started_at": now,
            "attempts": ExportJob.attempts + 1,
        },
        returning=(
            ExportJob.id,
            ExportJob.survey_id,
            ExportJob.filters,
            ExportJob.language,
            ExportJob.attempts,
        ),
    )
    if row is None:
        return None
    return ClaimedJob(
        id=row.id,
        survey_id=row.survey_id,
        filters=dict(row.filters or {}),
        language=row.language,
        attempts=row.attempts,
    )


def _finish(job: ClaimedJob, **values) -> bool:
    """Record the outcome, only if this worker's claim still stands."""
    changed = db.session.execute(
        update(ExportJob)
        .where(
            ExportJob.id == job.id,
            ExportJob.state == ExportState.WORKING.value,
            ExportJob.attempts == job.attempts,
        )
        .values(finished_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(changed)


def _build(job: ClaimedJob) -> None:
    survey = load_survey(job.survey_id)
    filters = ResultFilters(**job.filters)
    with (
        force_locale(job.language),
        tempfile.TemporaryDirectory(prefix="survey-export-") as folder,
    ):
        plan = export.ExportPlan.of(survey, filters)
        path = os.path.join(folder, plan.filename(FORMAT))
        count = export.write_xlsx(plan, path)
        # End the read before writing: on SQLite a read transaction that then writes fails if
        # another connection wrote in between.
        db.session.commit()
        with open(path, "rb") as workbook:
            content = workbook.read()
    _finish(
        job,
        state=ExportState.READY.value,
        content=content,
        size=len(content),
        response_count=count,
        error="",
    )


def build_due(limit: int = 10) -> int:
    """Build up to `limit` due spreadsheets, one at a time; returns how many were tried. A
    failure is recorded on its job (and logged), never lost, and does not stop the others."""
    built = 0
    for _attempt in range(limit):
        job = _claim_next()
        if job is None:
            break
        built += 1
        try:
            _build(job)
        except Exception as error:  # recorded on the job; staff see it failed and may retry
            log.exception("Export %s failed (attempt %s)", job.id, job.attempts)
            db.session.rollback()
            _finish(
                job,
                state=ExportState.FAILED.value,
                error=(str(error) or error.__class__.__name__)[:2000],
            )
    return built
