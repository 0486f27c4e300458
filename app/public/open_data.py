"""/open-data: published responses, plan actions, per-area counts, public outcome measures
with their values, survey totals and who took part in each published board report, as CSV and
JSON."""

import csv
import io

from flask import Response, abort, jsonify, render_template

from ..domain.evidence import report as board_report
from ..domain.plan import measures
from ..domain.shared import suppression
from ..domain.thread import open_data
from ..models.base import utcnow
from ..page_cache import public_page
from . import bp


@bp.get("/open-data", endpoint="open_data")
@public_page
def open_data_page():
    return render_template(
        "public/open_data.html",
        datasets=open_data.DATASETS + tuple(board_report.OPEN_DATASETS),
        licence=open_data.LICENCE,
        licence_url=open_data.LICENCE_URL,
        suppress_below=suppression.threshold(),
    )


@bp.get("/open-data/<name>.<fmt>")
def open_data_file(name: str, fmt: str):
    if fmt not in open_data.FORMATS:
        abort(404)
    data = (
        open_data.dataset(name)
        or measures.open_dataset(name)
        or (board_report.OPEN_DATASETS[name]() if name in board_report.OPEN_DATASETS else None)
    )
    if data is None:
        abort(404)
    if fmt == "json":
        return jsonify(open_data.json_document(data, utcnow()))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(open_data.csv_rows(data))
    return Response(
        buffer.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{data.name}.csv"'},
    )
