"""Leaving follow-up stops everything planned; the dashboard shows what needs doing; links are resent."""
from datetime import timedelta

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.db import utcnow
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.patients.models import Patient
from pro_app.questionnaires.links import issue_link, lookup
from pro_app.schedule.services import advance_visit_states
from tests.staff.web import fresh, html, post, visit_of


def _messages(patient):
    db.session.expire_all()
    return db.session.scalars(db.select(OutboundMessage).filter_by(patient_id=patient.id)).all()


@pytest.mark.parametrize("status", ["withdrawn", "deceased", "lost"])
def test_leaving_follow_up_cancels_every_planned_message_and_visit(client, nurse, make, status):
    patient = make.patient()
    token = issue_link(visit_of(patient).administration("qlq_c30"))
    db.session.commit()
    assert any(m.status == "pending" for m in _messages(patient))
    response = post(client, f"/patients/{patient.id}/status", {
        "status": status, "reason": "Letter of 3 May", "confirm": "y", "version": str(patient.version),
        "event_date": patient.inclusion_date.isoformat()})
    assert response.status_code == 302
    patient = fresh(patient)
    assert patient.status == status and patient.status_changed_at is not None
    assert {m.status for m in _messages(patient)} == {"cancelled"}
    assert {m.cancel_reason for m in _messages(patient)} == {f"patient_{status}"}
    assert {v.status for v in patient.visits} == {"cancelled"}
    assert lookup(token).state == "revoked"
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="change_status"))
    assert (entry.old_value, entry.new_value, entry.reason) == ("active", status, "Letter of 3 May")


def test_leaving_follow_up_needs_a_reason_and_a_confirmation(client, nurse, make):
    patient = make.patient()
    response = post(client, f"/patients/{patient.id}/status", {"status": "withdrawn", "reason": "",
                                                                "version": str(patient.version)})
    assert response.status_code == 400
    assert fresh(patient).status == "active" and any(m.status == "pending" for m in _messages(patient))


def test_the_dashboard_lists_due_overdue_sms_problems_and_opt_outs(client, nurse, make):
    due = make.patient(study_code="STEP-01-101")
    late = make.patient(study_code="STEP-01-102", inclusion=utcnow().date() - timedelta(days=5))
    opted_out = make.patient(study_code="STEP-01-103")
    advance_visit_states(utcnow().date())
    failed = _messages(due)[0]
    failed.status, failed.last_error_code = "failed", "30006"
    db.session.get(Patient, opted_out.id).sms_opted_out_at = utcnow()
    db.session.commit()
    page = html(client.get("/patients/?lang=en"))
    due_section = page.split('id="due"')[1].split('id="overdue"')[0]
    overdue_section = page.split('id="overdue"')[1].split('id="sms"')[0]
    sms_section = page.split('id="sms"')[1].split('id="optout"')[0]
    optout_section = page.split('id="optout"')[1].split('id="all"')[0]
    assert "STEP-01-101" in due_section and "STEP-01-102" in overdue_section
    assert "STEP-01-101" in sms_section and "30006" in sms_section
    assert "STEP-01-103" in optout_section and "STEP-01-101" not in optout_section
    assert "Send the link now" in overdue_section and "Complete on the clinic tablet" in overdue_section
    assert page.count("Window open") >= 3  # every patient's baseline in the visit grid


def test_one_tap_resends_a_fresh_link_and_the_old_one_stops_working(client, nurse, make):
    patient = make.patient()
    qlq = visit_of(patient).administration("qlq_c30")
    old_token = issue_link(qlq)
    db.session.commit()
    response = post(client, f"/patients/administrations/{qlq.id}/resend")
    assert response.status_code == 303
    manual = [m for m in _messages(patient) if m.kind.startswith("manual_")]
    assert [(m.kind, m.status) for m in manual] == [("manual_1", "pending")]
    assert lookup(old_token).state == "revoked"
    assert post(client, f"/patients/administrations/{qlq.id}/resend").status_code == 409  # too soon: no stacking
    assert sorted(m.kind for m in _messages(patient) if m.kind.startswith("manual_")) == ["manual_1"]


def test_a_link_cannot_be_resent_to_a_patient_without_a_mobile(client, nurse, make):
    patient = make.patient(phone=None)
    qlq = visit_of(patient).administration("qlq_c30")
    response = post(client, f"/patients/administrations/{qlq.id}/resend?lang=en")
    assert response.status_code == 409 and "cannot receive text messages" in html(response)
    assert not [m for m in _messages(patient) if m.kind.startswith("manual_")]
