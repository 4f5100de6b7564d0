"""The dispatcher asks again, just before sending, whether a message is still wanted."""
from datetime import date, datetime

from pro_app.audit.models import AuditEntry
from pro_app.extensions import db
from pro_app.messaging.consent import record_opt_out
from pro_app.messaging.models import OutboundMessage
from pro_app.messaging.services import cancel_pending_messages

INVITED = datetime(2026, 3, 24, 8)  # the baseline invitation is due then (09:00 in Paris)


def enrolled(enrol, **kwargs):
    return enrol(datetime(2026, 3, 20, 12), date(2026, 3, 24), date(2026, 4, 7), **kwargs)


def invitation(patient):
    return db.session.scalar(db.select(OutboundMessage).filter_by(patient_id=patient.id, kind="invitation")
                             .order_by(OutboundMessage.due_at))


def after_pass(patient):
    db.session.expire_all()
    row = invitation(patient)
    return row.status, row.cancel_reason


def test_a_questionnaire_submitted_meanwhile_gets_no_invitation(enrol, dispatch, fake):
    patient = enrolled(enrol)
    administration = patient.visits[0].administration("qlq_c30")
    # Submitted on a tablet, without the usual cancellation: the dispatcher still refuses to send.
    administration.status, administration.started_at, administration.submitted_at = "submitted", INVITED, INVITED
    db.session.commit()
    report = dispatch(INVITED)
    assert after_pass(patient) == ("cancelled", "completed") and report["cancel"] == 1
    assert fake.messages == []


def test_a_withdrawn_patient_gets_nothing(enrol, dispatch, fake):
    patient = enrolled(enrol)
    patient.status, patient.status_changed_at = "withdrawn", datetime(2026, 3, 23)
    db.session.commit()
    dispatch(INVITED)
    assert after_pass(patient) == ("cancelled", "patient_withdrawn") and fake.messages == []


def test_an_opted_out_patient_gets_nothing(enrol, dispatch, fake):
    patient = enrolled(enrol)
    record_opt_out(patient, "staff", now=datetime(2026, 3, 22))
    db.session.commit()
    dispatch(INVITED)
    assert after_pass(patient) == ("cancelled", "opted_out") and fake.messages == []
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboundMessage)
                             .filter_by(patient_id=patient.id, status="pending")) == 0


def test_a_patient_without_a_phone_number_gets_nothing(enrol, dispatch, fake):
    patient = enrolled(enrol, phone=None)
    dispatch(INVITED)
    assert after_pass(patient) == ("cancelled", "no_phone") and fake.messages == []


def test_a_message_found_at_night_waits_for_the_morning(enrol, dispatch, fake):
    patient = enrolled(enrol)
    row = invitation(patient)
    row.due_at = datetime(2026, 3, 24, 21, 30)  # 22:30 in Paris, e.g. a retry that came due late
    db.session.commit()
    report = dispatch(datetime(2026, 3, 24, 21, 30))
    db.session.expire_all()
    assert (invitation(patient).status, invitation(patient).due_at) == ("pending", datetime(2026, 3, 25, 8))
    assert report["defer"] == 1 and fake.messages == []
    deferral = db.session.scalar(db.select(AuditEntry).filter_by(action="message_deferred"))
    assert (deferral.field, deferral.reason) == ("due_at", "outside sending hours")
    dispatch(datetime(2026, 3, 25, 8))
    assert after_pass(patient) == ("sent", None) and len(fake.messages) == 1


def test_a_message_planned_for_old_dates_is_never_sent_stale(enrol, dispatch, fake):
    patient = enrolled(enrol)
    # Dates changed without the messages being planned again (a bug elsewhere, or a raw edit).
    patient.visits[0].window_closes = date(2026, 4, 20)
    db.session.commit()
    dispatch(INVITED)
    assert after_pass(patient) == ("cancelled", "rescheduled") and fake.messages == []


def test_a_window_closed_while_the_dispatcher_was_down_expires_its_messages(enrol, dispatch, fake):
    patient = enrolled(enrol)
    report = dispatch(datetime(2026, 4, 8, 8))
    assert after_pass(patient) == ("expired", None) and report["expired"] == 4
    assert fake.messages == []


def test_withdrawal_by_staff_cancels_every_pending_message_with_an_audit_entry(enrol):
    patient = enrolled(enrol)
    assert cancel_pending_messages(patient, "patient_withdrawn") == 20
    db.session.commit()  # audit entries are written by the commit
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="message_status", patient_id=patient.id))
    assert {(e.old_value, e.new_value, e.reason) for e in entries} == {("pending", "cancelled", "patient_withdrawn")}
