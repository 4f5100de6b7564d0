"""Staff pages: the outbox (what was sent, what failed), text previews, one patient's messages."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import query_args
from ..extensions import db
from ..patients.labels import message_kind_label, visit_label
from ..staff.access import CHANGE_PATIENTS, READ_PATIENTS, may_change_patients, require_patient_access
from ..staff.auth import roles_required
from .calendar_view import describe, patient_calendar
from .consent import CHANGED, STALE, record_opt_in, record_opt_out
from .forms import ConsentChangeForm
from .labels import patient_time, reason_label, status_label
from .queries import FILTERS, attention_count, outbox_query, parse_filter
from .texts import KINDS, analyse_stored, preview

bp = Blueprint("messaging", __name__, template_folder="templates", url_prefix="/staff/messages")
PER_PAGE = 50
MAX_PAGE = 100_000
STAFF = READ_PATIENTS + ("admin",)


@bp.context_processor
def _helpers() -> dict:
    return {"patient_time": patient_time, "reason_label": reason_label, "describe": describe,
            "message_kind_label": message_kind_label, "message_status_label": status_label,
            "visit_label": visit_label, "analyse_stored": analyse_stored}


@bp.get("/")
@roles_required(*READ_PATIENTS)
def outbox():
    flt = parse_filter(request.args)
    page = query_args.integer(request.args, "page", 1, maximum=MAX_PAGE)
    pagination = db.paginate(outbox_query(current_user, flt), page=page, per_page=PER_PAGE, error_out=False)
    return render_template("messaging/outbox.html", pagination=pagination, flt=flt, filters=FILTERS,
                           attention=attention_count(current_user))


@bp.get("/preview")
@roles_required(*STAFF)
def texts():
    base_url = current_app.extensions["pro_app.settings"].public_base_url
    previews = [preview(kind, language, base_url) for kind in KINDS for language in ("fr", "en")]
    return render_template("messaging/preview.html", previews=previews)


@bp.get("/patient/<int:patient_id>")
@roles_required(*READ_PATIENTS)
def patient(patient_id: int):
    record = require_patient_access(patient_id)
    policy = current_app.extensions["pro_app.protocol"].reminders
    return render_template("messaging/patient.html", patient=record, form=ConsentChangeForm().show_now(),
                           blocks=patient_calendar(record, policy), may_change=may_change_patients(current_user))


@bp.post("/patient/<int:patient_id>/<any(opt_out, opt_in):change>")
@roles_required(*CHANGE_PATIENTS)
def change_consent(patient_id: int, change: str):
    """Applied only if the patient stated no choice after the page was shown (see consent.py)."""
    record = require_patient_access(patient_id)
    form = ConsentChangeForm()
    if not form.validate_on_submit():
        policy = current_app.extensions["pro_app.protocol"].reminders
        return render_template("messaging/patient.html", patient=record, form=form.show_now(), may_change=True,
                               blocks=patient_calendar(record, policy)), 400
    source, as_of = f"recorded by staff: {form.reason.data.strip()}", form.shown_at_time()
    apply = record_opt_out if change == "opt_out" else record_opt_in
    result = STALE if as_of is None else apply(record, source, as_of=as_of)
    if result == STALE:
        db.session.rollback()
        abort(409, description=_("The patient's choice about text messages was recorded after you opened this "
                                 "page, or the page is out of date. Nothing was saved: open the page again to "
                                 "see the current choice."))
    if result == CHANGED and change == "opt_out":
        flash(_("Text messages are stopped for %(code)s.", code=record.study_code), "success")
    elif result == CHANGED:
        flash(_("Text messages will be sent again to %(code)s.", code=record.study_code), "success")
    else:
        flash(_("Nothing changed: that was already the case."), "info")
    db.session.commit()
    return redirect(url_for("messaging.patient", patient_id=record.id), code=303)
