"""Corrections need a reason, are audited with old and new values, and move the visits to come."""
from datetime import timedelta

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from pro_app.privacy import decrypt_phone
from tests.staff.web import fresh, html, post, visit_of


@pytest.fixture
def patient(make):
    return make.patient(study_code="STEP-01-030", education_level="primary_certificate")


def _form(patient, **changes) -> dict:
    form = {"study_code": patient.study_code, "language": patient.language, "timezone": patient.timezone,
            "inclusion_date": patient.inclusion_date.isoformat(),
            "radiotherapy_date": patient.radiotherapy_date.isoformat(), "surgery_date": "",
            "education_level": patient.education_level or "", "sms_consent": "y", "phone": "",
            "reason": "Checked against the medical record", "version": str(patient.version)}
    form.update(changes)
    return form


def _corrections(patient_id):
    return {entry.field: entry for entry in db.session.scalars(
        db.select(AuditEntry).filter_by(action="correct", patient_id=patient_id))}


def test_a_correction_without_a_reason_changes_nothing(client, nurse, patient):
    response = post(client, f"/patients/{patient.id}/correct?lang=en", _form(patient, language="en", reason=" "))
    assert response.status_code == 400 and "This field is required." in html(response)
    assert fresh(patient).language == "fr" and _corrections(patient.id) == {}


def test_each_corrected_value_is_audited_with_old_new_and_reason(client, nurse, patient):
    response = post(client, f"/patients/{patient.id}/correct",
                    _form(patient, language="en", education_level="secondary_or_higher", phone="07 98 76 54 32"))
    assert response.status_code == 302
    patient = fresh(patient)
    assert (patient.language, patient.education_level) == ("en", "secondary_or_higher")
    assert decrypt_phone(patient.phone_ciphertext) == "+33798765432"
    entries = _corrections(patient.id)
    assert (entries["language"].old_value, entries["language"].new_value) == ("fr", "en")
    assert (entries["education_level"].old_value, entries["education_level"].new_value) == (
        "primary_certificate", "secondary_or_higher")
    assert {entry.reason for entry in entries.values()} == {"Checked against the medical record"}
    assert entries["phone"].new_value == "replaced" and "98765432" not in (entries["phone"].old_value or "")
    assert all(entry.actor_id == nurse.id for entry in entries.values())


def test_a_corrected_radiotherapy_date_moves_future_visits_and_their_pending_messages(client, nurse, patient):
    m3 = visit_of(patient, "m3")
    invitation = db.session.scalar(db.select(OutboundMessage).filter_by(
        administration_id=m3.administration("qlq_c30").id, kind="invitation"))
    old_target, old_due = m3.target_date, invitation.due_at
    new_date = patient.radiotherapy_date + timedelta(days=14)
    response = post(client, f"/patients/{patient.id}/correct",
                    _form(patient, radiotherapy_date=new_date.isoformat()))
    assert response.status_code == 302
    m3, invitation = fresh(m3), fresh(invitation)
    assert m3.target_date == old_target + timedelta(days=14)
    assert invitation.status == "pending" and invitation.due_at > old_due  # the same row, replanned
    kinds = db.session.scalars(db.select(OutboundMessage.kind).filter_by(
        administration_id=m3.administration("qlq_c30").id)).all()
    assert len(kinds) == len(set(kinds))
    assert _corrections(patient.id)["radiotherapy_date"].new_value == new_date.isoformat()
    assert "visit_moved" in db.session.scalars(db.select(AuditEntry.action)).all()


def test_a_stale_correction_form_gets_a_conflict_not_an_overwrite(client, nurse, patient):
    stale = _form(patient, language="en")
    first = post(client, f"/patients/{patient.id}/correct", _form(patient, timezone="Europe/Brussels"))
    assert first.status_code == 302
    response = post(client, f"/patients/{patient.id}/correct", stale)
    assert response.status_code == 409
    patient = fresh(patient)
    assert (patient.language, patient.timezone) == ("fr", "Europe/Brussels")
