"""The audit trail for data managers and administrators: filter, page through, download."""
from __future__ import annotations

import tempfile

from flask import Blueprint, render_template, request, send_file

from ..db import utcnow
from ..extensions import db
from ..staff.auth import roles_required
from .csv_export import csv_lines
from .filters import AuditFilter, FilterError, filtered, parse_filter, parse_page, staff_choices
from .labels import Labels
from .models import AuditEntry
from .presentation import action_label, change_view, reason_text
from .services import record

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/audit")
READERS = ("data_manager", "admin")
PER_PAGE = 50
# The CSV is built before it is sent (a streamed body would outlive the request's session);
# beyond this size it spills from memory to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


@bp.get("/")
@roles_required(*READERS)
def index():
    try:
        flt, page = parse_filter(request.args), parse_page(request.args)
    except FilterError as error:
        return _page(None, None, error), 400
    query = filtered(db.select(AuditEntry), flt).order_by(AuditEntry.id.desc())
    pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False, count=True)
    return _page(pagination, Labels(pagination.items), None)


@bp.get("/export.csv")
@roles_required(*READERS)
def export():
    try:
        flt = parse_filter(request.args)
    except FilterError as error:
        return _page(None, None, error), 400
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    for chunk in csv_lines(filtered(db.select(AuditEntry), flt)):
        spool.write(chunk.encode("utf-8"))
    spool.seek(0)
    _record_export(flt)
    db.session.commit()
    return send_file(spool, mimetype="text/csv", as_attachment=True,
                     download_name=f"audit-trail-{utcnow():%Y%m%d-%H%M%S}.csv")


def _record_export(flt: AuditFilter) -> None:
    record("export", "audit_entry", None, patient_id=flt.patient_id,
           new={"format": "csv", "user": flt.user_id, "since": flt.since, "until": flt.until})


def _page(pagination, labels, error: FilterError | None):
    filters = {k: request.args.get(k, "").strip() for k in ("patient", "user", "since", "until")}
    query = {k: v for k, v in filters.items() if v}
    return render_template("audit/index.html", pagination=pagination, labels=labels, error=error,
                           filters=filters, query=query, staff=staff_choices(),
                           action_label=action_label, change_view=change_view, reason_text=reason_text)
