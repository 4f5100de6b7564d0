"""Issue 15: a status change records the date of the event; a status set in error is corrected
back to active with a reason, and what it cancelled is planned again."""
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.models import OutboundMessage
from tests.staff.web import fresh, html, post, visit_of

TODAY = datetime.now(ZoneInfo("Europe/Paris")).date()


def _leave(client, patient, lang="en", **changes):
    form = {"status": "withdrawn", "reason": "Letter", "confirm": "y", "version": str(fresh(patient).version),
            "event_date": TODAY.isoformat()}
    form.update(changes)
    return post(client, f"/patients/{patient.id}/status?lang={lang}", form)


def _messages(patient):
    db.session.expire_all()
    return db.session.scalars(db.select(OutboundMessage).filter_by(patient_id=patient.id)).all()


@pytest.mark.parametrize("event_date, message", [
    ("", "This field is required."),
    ((TODAY + timedelta(days=1)).isoformat(), f"The date of the event is in the future (today is {TODAY})."),
    ((TODAY - timedelta(days=30)).isoformat(), "The date of the event is before the inclusion date"),
])
def test_the_date_of_the_event_is_required_and_plausible(client, nurse, make, event_date, message):
    patient = make.patient(inclusion=TODAY - timedelta(days=2))
    response = _leave(client, patient, event_date=event_date)
    assert response.status_code == 400 and message in unescape(html(response))
    assert fresh(patient).status == "active"


def test_the_date_of_the_event_is_stored_shown_and_audited(client, nurse, make):
    patient = make.patient(inclusion=TODAY - timedelta(days=5))
    event = TODAY - timedelta(days=2)
    assert _leave(client, patient, status="deceased", event_date=event.isoformat()).status_code == 302
    assert (fresh(patient).status, fresh(patient).status_event_date) == ("deceased", event)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="change_status", field="status_event_date"))
    assert entry.new_value is not None and event.isoformat() in entry.new_value
    page = html(client.get(f"/patients/{patient.id}?lang=fr"))
    assert "Date de l’événement" in unescape(page) and "Corriger le statut" in page


def test_a_status_set_in_error_is_corrected_back_to_active_and_replanned(client, nurse, make):
    patient = make.patient(inclusion=TODAY - timedelta(days=1))
    pending_before = sorted(m.id for m in _messages(patient) if m.status == "pending")
    _leave(client, patient, status="lost")
    assert {m.status for m in _messages(patient)} == {"cancelled"}
    refused = post(client, f"/patients/{patient.id}/resume?lang=en",
                   {"reason": "", "version": str(fresh(patient).version)})
    assert refused.status_code == 400 and fresh(patient).status == "lost"
    response = post(client, f"/patients/{patient.id}/resume?lang=en",
                    {"reason": "Wrong patient chosen", "version": str(fresh(patient).version)})
    assert response.status_code == 303
    patient = fresh(patient)
    assert (patient.status, patient.status_changed_at, patient.status_event_date) == ("active", None, None)
    assert visit_of(patient).status == "open" and visit_of(patient, "m3").status == "upcoming"
    assert sorted(m.id for m in _messages(patient) if m.status == "pending") == pending_before
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="change_status", field="status",
                                                              reason="Wrong patient chosen"))
    assert "lost" in entry.old_value and "active" in entry.new_value


def test_a_window_that_passed_meanwhile_is_missed_after_the_correction(client, nurse, make):
    patient = make.patient(inclusion=TODAY - timedelta(days=1))
    _leave(client, patient)
    baseline = visit_of(patient)
    baseline.window_opens, baseline.window_closes = TODAY - timedelta(days=20), TODAY - timedelta(days=10)
    db.session.commit()
    post(client, f"/patients/{patient.id}/resume", {"reason": "Error", "version": str(fresh(patient).version)})
    assert visit_of(patient).status == "missed" and visit_of(patient, "m3").status == "upcoming"
    m3 = {a.id for a in visit_of(patient, "m3").administrations}
    assert any(m.status == "pending" for m in _messages(patient) if m.administration_id in m3)
    assert not any(m.status == "pending" for m in _messages(patient)
                   if m.administration_id in {a.id for a in visit_of(patient).administrations})
