"""The audit trail for data managers and administrators: filter, page through, download."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request, stream_with_context

from ..db import utcnow
from ..extensions import db
from ..staff.auth import roles_required
from .csv_export import csv_lines
from .filters import AuditFilter, FilterError, filtered, parse_filter, parse_page, staff_choices
from .labels import Labels
from .models import AuditEntry
from .services import record

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/audit")
READERS = ("data_manager", "admin")
PER_PAGE = 50


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
    _record_export(flt)
    db.session.commit()
    filename = f"audit-trail-{utcnow():%Y%m%d-%H%M%S}.csv"
    lines = stream_with_context(csv_lines(filtered(db.select(AuditEntry), flt)))
    return Response(lines, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _record_export(flt: AuditFilter) -> None:
    record("export", "audit_entry", None, patient_id=flt.patient_id,
           new={"format": "csv", "user": flt.user_id, "since": flt.since, "until": flt.until})


def _page(pagination, labels, error: FilterError | None):
    filters = {k: request.args.get(k, "").strip() for k in ("patient", "user", "since", "until")}
    query = {k: v for k, v in filters.items() if v}
    return render_template("audit/index.html", pagination=pagination, labels=labels, error=error,
                           filters=filters, query=query, staff=staff_choices())
