"""The patient's own way to stop text messages, from any link they received.

Replies to an alphanumeric sender cannot reach us, so this page is the patient's STOP. A GET
only shows the question (link previewers fetch pages); the POST with ``confirm`` records it.
Known links work whatever their state: an expired or completed link still lets the patient stop.
"""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request
from flask_babel import refresh

from ..audit.services import Actor, set_actor
from ..extensions import db, limiter
from ..patients.models import Patient
from ..questionnaires.links import link_url, lookup
from .consent import record_opt_out

bp = Blueprint("sms_stop", __name__, template_folder="templates", url_prefix="/q")


@bp.route("/<token>/stop-sms", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def stop(token: str):
    found = lookup(token)
    if found.link is None:
        abort(404)
    patient = db.session.get(Patient, found.link.patient_id)
    g.patient_language = patient.language
    refresh()
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("messaging/stop_confirm.html", token=token, back_url=link_url(token),
                               already=patient.sms_opted_out_at is not None)
    set_actor(Actor("patient_link", found.link.administration_id))
    record_opt_out(patient, "questionnaire_page")
    db.session.commit()
    return render_template("messaging/stop_done.html")
